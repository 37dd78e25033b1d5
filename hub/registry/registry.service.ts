/**
 * The registry's operations (docs/hub.md): enrollment, suspension, reinstatement and key
 * rotation by the operator, and lookups for authentication, intake and checks. Every entry
 * that is stored has passed the protocol's RegistryEntrySchema (docs/protocol.md §5.3) and
 * the public-key checks of §6.1. Every change — enrollment, key rotation, suspension,
 * reinstatement — is appended to the transparency log in its own transaction
 * (docs/transparency.md, "What is logged"); the hub's checkpointer signs it later.
 */
import { importPublicJwk } from '../../crypto/signing/keys.js';
import type { AgencyDirectory } from '../../platform/http/agency-auth.js';
import { safeDecode } from '../../protocol/decode.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import {
  MAX_AGENCY_KEYS,
  RegistryEntrySchema,
  type AgencyStatus,
  type RegistryEntry,
} from '../../protocol/registry-entry.js';
import { HubError, type HubFieldError } from '../errors.js';
import { agencyEntry } from '../tlog/entries.js';
import { appendEntries } from '../tlog/tlog.repository.js';
import type { HubDatabase } from '../database.js';
import { registryRepository } from './registry.repository.js';

export interface EnrollmentInput {
  readonly ori: string;
  readonly name: string;
  /** Jurisdiction level: federal, state, local, tribal, territorial. */
  readonly jurisdiction: string;
  /** USPS code, or null (federal headquarters, tribal agency spanning several states). */
  readonly state: string | null;
  readonly roles: readonly string[];
  /** The agency's public JWK, as given (validated here). */
  readonly jwk: unknown;
  readonly contact: { readonly name: string; readonly email: string; readonly phone: string };
}

/** A valid key standing in for a bad one, so the other members can still be checked. */
const PLACEHOLDER_KEY: AgencyKey = {
  kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
  status: 'active',
  jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
};

/** The registry key for a public JWK, or the field errors that make it unusable (§6.1). */
async function keyFromJwk(
  jwk: unknown,
): Promise<{ key: AgencyKey; errors: [] } | { key: undefined; errors: HubFieldError[] }> {
  try {
    const { kid, publicJwk } = await importPublicJwk(jwk);
    return { key: { kid, status: 'active', jwk: { ...publicJwk } }, errors: [] };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'KEY_INVALID') throw e;
    const member = (e as { field?: string }).field;
    return {
      key: undefined,
      errors: [
        {
          field: member === undefined || member === 'jwk' ? 'jwk' : `jwk.${member}`,
          code: 'KEY_INVALID',
          message: (e as Error).message,
        },
      ],
    };
  }
}

function entryErrors(candidate: unknown): HubFieldError[] {
  const result = safeDecode(RegistryEntrySchema, candidate);
  return result.ok ? [] : [...result.error.errors];
}

export function registryService(db: HubDatabase) {
  const repo = registryRepository(db);

  return {
    find: (ori: string) => repo.find(ori),
    findMany: (oris: readonly string[]) => repo.findMany(oris),
    list: () => repo.list(),

    /** What agencyAuth resolves request tokens against: the stored registry, read live. */
    directory(): AgencyDirectory {
      return { find: (ori) => repo.find(ori) };
    },

    /**
     * Validates and stores a new agency with one active key. Throws ENTRY_INVALID listing every
     * bad member (fields as in §5.3, the key as `jwk…`), AGENCY_EXISTS or KEY_IN_USE.
     */
    async enroll(input: EnrollmentInput, now: Date): Promise<RegistryEntry> {
      const { key, errors } = await keyFromJwk(input.jwk);
      const candidate = {
        ori: input.ori,
        name: input.name,
        jurisdiction: input.jurisdiction,
        state: input.state,
        roles: [...input.roles],
        keys: [key ?? PLACEHOLDER_KEY],
        contact: { ...input.contact },
        status: 'active',
      };
      const all = [...errors, ...entryErrors(candidate)];
      if (all.length > 0) {
        throw new HubError('ENTRY_INVALID', 'the registry entry is not valid', { errors: all });
      }
      const entry = candidate as RegistryEntry;
      const { kid, jwk } = entry.keys[0]!;
      await repo.insert(entry, now, (tx) =>
        appendEntries(tx, [agencyEntry('enrolled', entry.ori, kid, jwk, now)], now).then(
          () => undefined,
        ),
      );
      return entry;
    },

    async setStatus(ori: string, status: AgencyStatus, now: Date): Promise<RegistryEntry> {
      const event = status === 'active' ? 'reinstated' : 'suspended';
      const logged = async (tx: HubDatabase) => {
        const kid = await registryRepository(tx).activeKid(ori);
        if (kid === undefined) throw new Error(`${ori} has no active key`);
        await appendEntries(tx, [agencyEntry(event, ori, kid, null, now)], now);
      };
      if (!(await repo.setStatus(ori, status, now, logged))) {
        throw new HubError('AGENCY_UNKNOWN', `no agency ${ori} in the registry`, { field: 'ori' });
      }
      return (await repo.find(ori))!;
    },

    /**
     * Registers `jwk` as the agency's one active key and retires the others. Retired keys stay
     * listed: they still verify attestations signed before the rotation, but no longer
     * authenticate requests or sign new statements.
     */
    async rotateKey(ori: string, jwk: unknown, now: Date): Promise<RegistryEntry> {
      const existing = await repo.find(ori);
      if (existing === undefined) {
        throw new HubError('AGENCY_UNKNOWN', `no agency ${ori} in the registry`, { field: 'ori' });
      }
      const { key, errors } = await keyFromJwk(jwk);
      if (key === undefined) {
        throw new HubError('ENTRY_INVALID', 'the new key is not usable', { errors });
      }
      if (existing.keys.some((k) => k.kid === key.kid)) {
        throw new HubError('KEY_IN_USE', `key ${key.kid} is already registered to ${ori}`, {
          field: 'jwk',
        });
      }
      if (existing.keys.length >= MAX_AGENCY_KEYS) {
        throw new HubError(
          'KEY_LIMIT',
          `${ori} already has ${MAX_AGENCY_KEYS} keys, the most a registry entry lists`,
          { field: 'jwk' },
        );
      }
      await repo.rotateKey(
        ori,
        key,
        now,
        (tx) =>
          appendEntries(tx, [agencyEntry('key_rotated', ori, key.kid, key.jwk, now)], now).then(
            () => undefined,
          ),
        MAX_AGENCY_KEYS,
      );
      return (await repo.find(ori))!;
    },
  };
}

export type RegistryService = ReturnType<typeof registryService>;
