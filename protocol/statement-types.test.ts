import { describe, expect, it } from 'vitest';
import {
  STATEMENT_TYPES,
  statementKindOf,
  statementMediaType,
  type StatementKind,
} from './statement-types.js';

describe('statement types', () => {
  it('gives each kind a distinct explicit type', () => {
    const values = Object.values(STATEMENT_TYPES);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(v).toMatch(/^spx-[a-z-]+\+(jws|jwt)$/);
  });

  it('maps a typ header back to its kind, and nothing else', () => {
    for (const kind of Object.keys(STATEMENT_TYPES) as StatementKind[]) {
      expect(statementKindOf(STATEMENT_TYPES[kind])).toBe(kind);
    }
    expect(statementKindOf('JWT')).toBeUndefined();
    expect(statementKindOf('application/spx-attestation+jws')).toBeUndefined();
    expect(statementKindOf('SPX-ATTESTATION+JWS')).toBeUndefined();
  });

  it('derives the media type by the RFC 7515 §4.1.9 prefix rule', () => {
    expect(statementMediaType('checkResponse')).toBe('application/spx-check-response+jws');
  });
});
