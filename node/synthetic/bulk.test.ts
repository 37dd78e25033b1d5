import { describe, expect, it } from 'vitest';
import { AttestationPayloadSchema } from '../../protocol/attestation.js';
import { OriSchema } from '../../protocol/common.js';
import { bulkAgencies, bulkAttestations } from './bulk.js';
import { seededRng } from './seeded-rng.js';

const NOW = new Date('2026-12-07T12:00:00Z');

describe('bulk synthetic data', () => {
  it('gives distinct, well-formed agencies, the same for the same seed', () => {
    const agencies = bulkAgencies(30, seededRng('a'));
    expect(bulkAgencies(30, seededRng('a'))).toEqual(agencies);
    expect(new Set(agencies.map((a) => a.ori)).size).toBe(30);
    for (const a of agencies) {
      expect(OriSchema.safeParse(a.ori).success).toBe(true);
      expect(a.contact.phone).toMatch(/^\+1\d{10}$/);
      expect(a.sworn).toBeGreaterThan(0);
    }
    expect(() => bulkAgencies(10_000, seededRng('a'))).toThrow(RangeError);
  });

  it('gives final outcomes the protocol accepts, spread over categories and years', () => {
    const [agency] = bulkAgencies(1, seededRng('b'));
    const payloads = bulkAttestations(agency!, 200, {
      rng: seededRng('c'),
      now: NOW,
      epoch: 1,
      from: '2020-01-01',
      to: '2026-12-07',
    });
    for (const p of payloads) {
      const parsed = AttestationPayloadSchema.safeParse(p);
      expect(parsed.success, JSON.stringify(parsed.error?.issues[0])).toBe(true);
      expect(p.status).toBe('final');
    }
    expect(new Set(payloads.map((p) => p.id)).size).toBe(200);
    expect(new Set(payloads.map((p) => p.category)).size).toBeGreaterThan(3);
    expect(new Set(payloads.map((p) => p.outcomeDate.slice(0, 4))).size).toBeGreaterThan(4);
  });
});
