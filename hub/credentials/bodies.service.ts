/**
 * Credentialing bodies (docs/hub.md "Credentialing bodies"): enrolment, suspension,
 * reinstatement and retirement by the hub operator — the hub's record of the Attorney
 * General's certification of each body. Every change is appended to the transparency log in
 * its own transaction (a `credentialing_body` entry, protocol/tlog.ts).
 */
import { importPublicJwk } from '../../crypto/signing/keys.js';
import { formatTimestamp } from '../../protocol/common.js';
import { safeDecode } from '../../protocol/decode.js';
import {
  CredentialingBodySchema,
  type BodyStatus,
  type CredentialingBody,
} from '../../protocol/credentialing-body.js';
import { MAX_AGENCY_KEYS } from '../../protocol/registry-entry.js';
import { HubError, type HubFieldError } from '../errors.js';
import type { HubDatabase } from '../database.js';
import { bodyEntry } from '../tlog/entries.js';
import { appendEntries } from '../tlog/tlog.repository.js';
import { bodiesRepository } from './bodies.repository.js';

export interface BodyEnrollmentInput {
  readonly id: string;
  readonly name: string;
  /** The body's public JWK, as given (validated here). */
  readonly jwk: unknown;
  readonly contact: { readonly name: string; readonly email: string; readonly phone: string };
}

/** A valid key standing in for a bad one, so the other members can still be checked. */
const PLACEHOLDER = {
  kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
  status: 'active' as const,
  jwk: {
    kty: 'OKP' as const,
    crv: 'Ed25519' as const,
    x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  },
};

const EVENT: Record<BodyStatus, 'reinstated' | 'suspended' | 'retired'> = {
  active: 'reinstated',
  suspended: 'suspended',
  retired: 'retired',
};

export function bodiesService(db: HubDatabase) {
  const repo = bodiesRepository(db);
  return {
    find: (id: string) => repo.find(id),
    list: () => repo.list(),

    /** Throws ENTRY_INVALID (every member at fault), BODY_EXISTS or KEY_IN_USE. */
    async enroll(input: BodyEnrollmentInput, now: Date): Promise<CredentialingBody> {
      const errors: HubFieldError[] = [];
      let key: CredentialingBody['keys'][number] = PLACEHOLDER;
      try {
        const { kid, publicJwk } = await importPublicJwk(input.jwk);
        key = { kid, status: 'active', jwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x } };
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'KEY_INVALID') throw e;
        errors.push({ field: 'jwk', code: 'KEY_INVALID', message: (e as Error).message });
      }
      const candidate = {
        id: input.id,
        name: input.name,
        keys: [key],
        contact: { ...input.contact },
        status: 'active',
        statusSince: formatTimestamp(now),
      };
      const decoded = safeDecode(CredentialingBodySchema, candidate);
      if (!decoded.ok) errors.push(...decoded.error.errors);
      if (errors.length > 0) {
        throw new HubError('ENTRY_INVALID', 'the credentialing body is not valid', { errors });
      }
      const body = candidate as CredentialingBody;
      await repo.insert(body, now, async (tx) => {
        await appendEntries(tx, [bodyEntry('enrolled', body.id, key.kid, key.jwk, now)], now);
      });
      return (await repo.find(body.id))!;
    },

    /**
     * Registers `jwk` as the body's one active key and retires its others: they still verify
     * what the body signed before (the stored credentials), but no longer authenticate it or
     * sign anything new. Throws BODY_UNKNOWN, BODY_RETIRED, ENTRY_INVALID, KEY_IN_USE, KEY_LIMIT.
     */
    async rotateKey(id: string, jwk: unknown, now: Date): Promise<CredentialingBody> {
      let info: Awaited<ReturnType<typeof importPublicJwk>>;
      try {
        info = await importPublicJwk(jwk);
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'KEY_INVALID') throw e;
        throw new HubError('ENTRY_INVALID', 'the new key is not usable', {
          errors: [{ field: 'jwk', code: 'KEY_INVALID', message: (e as Error).message }],
        });
      }
      const key = { kid: info.kid, x: info.publicJwk.x };
      const before = await repo.rotateKey(id, key, now, MAX_AGENCY_KEYS, async (tx) => {
        const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: key.x };
        await appendEntries(tx, [bodyEntry('key_rotated', id, key.kid, publicJwk, now)], now);
      });
      if (before === undefined) {
        throw new HubError('BODY_UNKNOWN', `no credentialing body ${id}`, { field: 'id' });
      }
      if (before === 'retired') {
        throw new HubError('BODY_RETIRED', `credentialing body ${id} is retired`, { field: 'id' });
      }
      if (before === 'key_limit') {
        throw new HubError('KEY_LIMIT', `${id} already has ${MAX_AGENCY_KEYS} keys`, {
          field: 'jwk',
        });
      }
      return (await repo.find(id))!;
    },

    /**
     * Suspends, reinstates or retires a body. Throws BODY_UNKNOWN, or BODY_RETIRED for a change
     * to a retired body (retirement is final).
     */
    async setStatus(id: string, status: BodyStatus, now: Date): Promise<CredentialingBody> {
      const before = await repo.setStatus(id, status, now, async (tx) => {
        const kid = await bodiesRepository(tx).activeKid(id);
        if (kid === undefined) throw new Error(`${id} has no active key`);
        await appendEntries(tx, [bodyEntry(EVENT[status], id, kid, null, now)], now);
      });
      if (before === undefined) {
        throw new HubError('BODY_UNKNOWN', `no credentialing body ${id}`, { field: 'id' });
      }
      if (before === 'retired' && status !== 'retired') {
        throw new HubError('BODY_RETIRED', `credentialing body ${id} is retired; enroll anew`, {
          field: 'id',
        });
      }
      return (await repo.find(id))!;
    },
  };
}

export type BodiesService = ReturnType<typeof bodiesService>;
