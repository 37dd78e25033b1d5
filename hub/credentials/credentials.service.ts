/**
 * Accepting credentials, revocations and "in process" affirmations (docs/protocol.md §5.16.3).
 *
 * A credential, from an authenticated active body (bodyAuth), in order:
 * 1. the compact JWS (typ `spx-credential+jws`) by a key registered to the payload's `body`;
 *    the payload (§5.16.1); `body` is the authenticated body (ISSUER_MISMATCH);
 * 2. a byte-identical resubmission gets the first receipt (`duplicate`); another statement under
 *    a used id is a CONFLICT;
 * 3. the key is active; `issuedAt` not in the future (DATE_IN_FUTURE);
 * 4. the standards against their list (UNSUPPORTED_STANDARDS_LIST, STANDARD_UNKNOWN,
 *    MANDATORY_STANDARD_MISSING);
 * 5. `assessedOn` not after today nor after `issuedAt` (DATE_IN_FUTURE), and at most 36 months
 *    old (CREDENTIAL_EXPIRED);
 * 6. `ori` is in the registry (SUBJECT_UNKNOWN);
 * 7. no other credential of the same body, agency and assessment day (CONFLICT).
 *
 * A revocation: steps 1–3 for typ `spx-credential-revocation+jws`; the credential is held
 * (NOT_FOUND), was issued by this body (NOT_ISSUING_BODY) and is not revoked (ALREADY_REVOKED).
 *
 * An affirmation, from an authenticated agency (agencyAuth): steps 1–3 for typ
 * `spx-credential-affirmation+jws` with the agency's key and `issuer` the agency;
 * `affirmedOn` not in the future (DATE_IN_FUTURE) nor past its 12 months (CREDENTIAL_EXPIRED);
 * one per agency and day (CONFLICT).
 *
 * Each accepted statement is entered in the transparency log in the clear, in the transaction
 * that stores it.
 */
import type { z } from 'zod';
import type { AgencyKey } from '../../protocol/agency-key.js';
import { issuedAtErrors } from '../../protocol/attestation-lifecycle.js';
import { formatTimestamp, timestampDate } from '../../protocol/common.js';
import {
  affirmationValidUntil,
  AffirmationPayloadSchema,
  credentialValidUntil,
  CredentialPayloadSchema,
  CredentialRevocationPayloadSchema,
  dateInFuture,
  mandatoryMet,
  standardsMet,
  standardsProblem,
  type RevocationReason,
} from '../../protocol/credential.js';
import {
  MAX_CREDENTIALS_PAGE,
  type AffirmationList,
  type CredentialList,
  type CredentialReceipt,
} from '../../protocol/credential-api.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import type { LogEntry } from '../../protocol/tlog.js';
import { isUniqueViolation } from '../../platform/db/sql-error.js';
import type { HubDatabase } from '../database.js';
import type { RegistryService } from '../registry/registry.service.js';
import type { TransparencyLog } from '../tlog/tlog.service.js';
import { bodiesRepository } from './bodies.repository.js';
import { credentialsRepository } from './credentials.repository.js';
import { statementProblem, verifySignedStatement } from './statement-verification.js';

export interface CredentialsOptions {
  readonly log: TransparencyLog;
}

/** Whole seconds: receipts carry wire timestamps, and a duplicate repeats them exactly. */
function toSecond(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

export function credentialsService(
  db: HubDatabase,
  registry: RegistryService,
  options: CredentialsOptions,
) {
  const repo = credentialsRepository(db);
  const bodies = bodiesRepository(db);
  const bodyKeys = async (id: string) => (await bodies.find(id))?.keys;
  const agencyKeys = async (ori: string) => (await registry.find(ori))?.keys;

  async function receipt(
    row: { id: string; receivedAt: Date; logIndex: number },
    validUntil: string | null,
    status: CredentialReceipt['status'],
    now: Date,
  ): Promise<CredentialReceipt> {
    const checkpoint = await options.log.checkpointCovering(row.logIndex + 1, now);
    return {
      id: row.id,
      status,
      receivedAt: formatTimestamp(row.receivedAt),
      validUntil,
      log: { index: row.logIndex, checkpoint: await options.log.served(checkpoint) },
    };
  }

  /** Step 3: the key is active and `issuedAt` is not in the future. */
  function checkFresh(field: string, key: AgencyKey, issuedAt: string, now: Date): void {
    if (key.status !== 'active') {
      throw statementProblem(
        'SIG_UNKNOWN_KEY',
        field,
        undefined,
        'invalid_value',
        'signed with a retired key',
      );
    }
    if (issuedAtErrors({ issuedAt }, now).length > 0) {
      throw statementProblem(
        'DATE_IN_FUTURE',
        field,
        'issuedAt',
        'not_allowed',
        'issuedAt is in the future',
      );
    }
  }

  function conflict(field: string, member: string, message: string) {
    return statementProblem('CONFLICT', field, member, 'duplicate', message);
  }

  /**
   * Steps 1–3, the same for the three statements: verified, naming the authenticated party in
   * `signerMember`, not another statement under a used id, signed with an active key and not
   * issued in the future. A byte-identical resubmission answers `{ prior }`: the row stored the
   * first time, whose receipt the caller repeats.
   */
  async function admit<
    S extends z.ZodType<{ id: string; issuedAt: string }>,
    R extends { jws: string },
  >(
    jws: string,
    now: Date,
    spec: {
      readonly typ: string;
      readonly field: string;
      readonly schema: S;
      readonly signerMember: 'body' | 'issuer';
      /** The authenticated body or agency, and its word in messages. */
      readonly party: string;
      readonly partyKind: 'body' | 'agency';
      readonly keys: (signer: string) => Promise<readonly AgencyKey[] | undefined>;
      readonly find: (id: string) => Promise<R | undefined>;
    },
  ): Promise<{ payload: z.output<S>; key: AgencyKey; prior?: undefined } | { prior: R }> {
    const F = spec.field;
    const { payload, key } = await verifySignedStatement(jws, spec);
    const signer = (payload as Record<string, unknown>)[spec.signerMember];
    if (signer !== spec.party) {
      throw statementProblem(
        'ISSUER_MISMATCH',
        F,
        spec.signerMember,
        'mismatch',
        `${spec.signerMember} ${String(signer)} is not the authenticated ${spec.partyKind} ${spec.party}`,
      );
    }
    const prior = await spec.find(payload.id);
    if (prior !== undefined && prior.jws === jws) return { prior };
    if (prior !== undefined)
      throw conflict(F, 'id', `the hub holds a different statement with id ${payload.id}`);
    checkFresh(F, key, payload.issuedAt, now);
    return { payload, key };
  }

  /** Appends `entry` in `tx`; the leaf index for the row. */
  const logged = (entry: LogEntry, now: Date) => async (tx: HubDatabase) =>
    (await options.log.appendAndCheckpoint(tx, [{ entry }], now)).append.first;

  return {
    async submitCredential(jws: string, body: string, now: Date): Promise<CredentialReceipt> {
      const F = 'credential';
      const receivedAt = toSecond(now);
      const today = now.toISOString().slice(0, 10);
      const admitted = await admit(jws, now, {
        typ: STATEMENT_TYPES.credential,
        field: F,
        schema: CredentialPayloadSchema,
        signerMember: 'body',
        party: body,
        partyKind: 'body',
        keys: bodyKeys,
        find: repo.findCredential,
      });
      if (admitted.prior)
        return receipt(admitted.prior, admitted.prior.validUntil, 'duplicate', now);
      const { payload, key } = admitted;
      const standards = standardsProblem(payload, F);
      if (standards !== undefined) throw standards;
      const future = dateInFuture(payload.assessedOn, payload.issuedAt, today);
      if (future !== undefined)
        throw statementProblem('DATE_IN_FUTURE', F, 'assessedOn', 'not_allowed', future);
      const validUntil = credentialValidUntil(payload.assessedOn);
      if (validUntil < today) {
        throw statementProblem(
          'CREDENTIAL_EXPIRED',
          F,
          'assessedOn',
          'not_allowed',
          `an assessment of ${payload.assessedOn} counted until ${validUntil}`,
        );
      }
      if ((await registry.find(payload.ori)) === undefined) {
        throw statementProblem(
          'SUBJECT_UNKNOWN',
          F,
          'ori',
          'invalid_value',
          `no agency ${payload.ori} in the registry`,
        );
      }
      const same = await repo.sameAssessment(body, payload.ori, payload.assessedOn);
      if (same !== undefined) {
        throw conflict(
          F,
          'assessedOn',
          `${body} already credentialed ${payload.ori} for the assessment of ${payload.assessedOn} (${same.id})`,
        );
      }
      const met = standardsMet(payload);
      const mandatory = mandatoryMet(payload);
      try {
        await repo.storeCredential(
          {
            id: payload.id,
            body,
            ori: payload.ori,
            kid: key.kid,
            standardsList: payload.standardsList,
            standards: met,
            mandatoryMet: mandatory,
            assessedOn: payload.assessedOn,
            validUntil,
            issuedAt: payload.issuedAt,
            receivedAt,
            jws,
          },
          logged(
            {
              v: 1,
              kind: 'credential',
              id: payload.id,
              body,
              ori: payload.ori,
              standardsList: payload.standardsList,
              standards: met,
              mandatoryMet: mandatory,
              assessedOn: payload.assessedOn,
              at: formatTimestamp(receivedAt),
            },
            now,
          ),
        );
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict(F, 'assessedOn', 'stored concurrently; submit again to read its receipt');
        throw e;
      }
      return receipt((await repo.findCredential(payload.id))!, validUntil, 'accepted', now);
    },

    async submitRevocation(jws: string, body: string, now: Date): Promise<CredentialReceipt> {
      const F = 'revocation';
      const receivedAt = toSecond(now);
      const admitted = await admit(jws, now, {
        typ: STATEMENT_TYPES.credentialRevocation,
        field: F,
        schema: CredentialRevocationPayloadSchema,
        signerMember: 'body',
        party: body,
        partyKind: 'body',
        keys: bodyKeys,
        find: repo.findRevocation,
      });
      if (admitted.prior) return receipt(admitted.prior, null, 'duplicate', now);
      const { payload, key } = admitted;
      const credential = await repo.findCredential(payload.credential);
      if (credential === undefined) {
        throw statementProblem(
          'NOT_FOUND',
          F,
          'credential',
          'invalid_value',
          `the hub holds no credential ${payload.credential}`,
        );
      }
      if (credential.body !== body) {
        throw statementProblem(
          'NOT_ISSUING_BODY',
          F,
          'credential',
          'not_allowed',
          `credential ${credential.id} was issued by ${credential.body}; only it may revoke it`,
        );
      }
      const earlier = await repo.revocationOf(credential.id);
      if (earlier !== undefined) {
        throw statementProblem(
          'ALREADY_REVOKED',
          F,
          'credential',
          'duplicate',
          `credential ${credential.id} was revoked by ${earlier.id}`,
        );
      }
      const reason: RevocationReason = payload.reason;
      try {
        await repo.storeRevocation(
          {
            id: payload.id,
            credential: credential.id,
            body,
            kid: key.kid,
            reason,
            revokedOn: timestampDate(payload.issuedAt),
            issuedAt: payload.issuedAt,
            receivedAt,
            jws,
          },
          logged(
            {
              v: 1,
              kind: 'credential_revocation',
              id: payload.id,
              body,
              credential: credential.id,
              reason,
              at: formatTimestamp(receivedAt),
            },
            now,
          ),
        );
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw statementProblem(
            'ALREADY_REVOKED',
            F,
            'credential',
            'duplicate',
            `credential ${credential.id} was revoked concurrently`,
          );
        }
        throw e;
      }
      return receipt((await repo.findRevocation(payload.id))!, null, 'accepted', now);
    },

    async submitAffirmation(jws: string, ori: string, now: Date): Promise<CredentialReceipt> {
      const F = 'affirmation';
      const receivedAt = toSecond(now);
      const today = now.toISOString().slice(0, 10);
      const admitted = await admit(jws, now, {
        typ: STATEMENT_TYPES.credentialAffirmation,
        field: F,
        schema: AffirmationPayloadSchema,
        signerMember: 'issuer',
        party: ori,
        partyKind: 'agency',
        keys: agencyKeys,
        find: repo.findAffirmation,
      });
      if (admitted.prior)
        return receipt(admitted.prior, admitted.prior.validUntil, 'duplicate', now);
      const { payload, key } = admitted;
      const future = dateInFuture(payload.affirmedOn, payload.issuedAt, today);
      if (future !== undefined)
        throw statementProblem('DATE_IN_FUTURE', F, 'affirmedOn', 'not_allowed', future);
      const validUntil = affirmationValidUntil(payload.affirmedOn);
      if (validUntil < today) {
        throw statementProblem(
          'CREDENTIAL_EXPIRED',
          F,
          'affirmedOn',
          'not_allowed',
          `an affirmation of ${payload.affirmedOn} counted until ${validUntil}`,
        );
      }
      const same = await repo.sameAffirmationDay(ori, payload.affirmedOn);
      if (same !== undefined) {
        throw conflict(
          F,
          'affirmedOn',
          `${ori} already affirmed on ${payload.affirmedOn} (${same.id})`,
        );
      }
      try {
        await repo.storeAffirmation(
          {
            id: payload.id,
            ori,
            kid: key.kid,
            affirmedOn: payload.affirmedOn,
            validUntil,
            issuedAt: payload.issuedAt,
            receivedAt,
            jws,
          },
          logged(
            {
              v: 1,
              kind: 'credential_affirmation',
              id: payload.id,
              ori,
              affirmedOn: payload.affirmedOn,
              at: formatTimestamp(receivedAt),
            },
            now,
          ),
        );
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict(F, 'affirmedOn', 'stored concurrently; submit again to read its receipt');
        throw e;
      }
      return receipt((await repo.findAffirmation(payload.id))!, validUntil, 'accepted', now);
    },

    async listCredentials(filter: { ori?: string; body?: string }): Promise<CredentialList> {
      const rows = await repo.listCredentials(filter, MAX_CREDENTIALS_PAGE);
      return {
        credentials: rows.map(({ credential: c, revocation: r }) => ({
          id: c.id,
          body: c.body,
          ori: c.ori,
          standardsList: c.standardsList,
          standards: c.standards,
          mandatoryMet: c.mandatoryMet,
          assessedOn: c.assessedOn,
          validUntil: c.validUntil,
          receivedAt: formatTimestamp(c.receivedAt),
          revocation:
            r === null
              ? null
              : { id: r.id, reason: r.reason as RevocationReason, revokedOn: r.revokedOn },
          jws: c.jws,
        })),
      };
    },

    async listAffirmations(filter: { ori?: string }): Promise<AffirmationList> {
      const rows = await repo.listAffirmations(filter, MAX_CREDENTIALS_PAGE);
      return {
        affirmations: rows.map((a) => ({
          id: a.id,
          ori: a.ori,
          affirmedOn: a.affirmedOn,
          validUntil: a.validUntil,
          receivedAt: formatTimestamp(a.receivedAt),
          jws: a.jws,
        })),
      };
    },

    repo,
  };
}

export type CredentialsService = ReturnType<typeof credentialsService>;
