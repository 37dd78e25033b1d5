/**
 * The hub as the node sees it (issue 3 contract; docs/protocol.md §5.3, §5.6–§5.8). Answers are
 * validated against the protocol schemas; a check answer is only *well formed* here — its
 * signatures and consistency are verified by node/check before anyone relies on it.
 */
import type { z } from 'zod';
import { importPublicJwk, parseStatement, type PublicKeyInfo } from '../../crypto/signing/index.js';
import { CheckAnswerSchema, type CheckAnswer } from '../../protocol/check-answer.js';
import { CheckRequestSchema, type CheckRequest } from '../../protocol/check-request.js';
import {
  CertificationListSchema,
  CertificationReceiptSchema,
  type CertificationList,
  type CertificationReceipt,
} from '../../protocol/certification-api.js';
import {
  CertificationSubmissionSchema,
  type CertificationSubmission,
} from '../../protocol/certification.js';
import {
  AffirmationSubmissionSchema,
  type AffirmationSubmission,
} from '../../protocol/credential.js';
import { CredentialReceiptSchema, type CredentialReceipt } from '../../protocol/credential-api.js';
import { OriSchema } from '../../protocol/common.js';
import {
  IntakeBatchSchema,
  intakeReceiptSchemaFor,
  type IntakeBatch,
  type IntakeReceipt,
} from '../../protocol/intake.js';
import {
  CheckpointNoteSchema,
  ConsistencyProofResponseSchema,
  CosignatureSubmissionSchema,
  InclusionProofResponseSchema,
  LogEntriesResponseSchema,
  LogIndexSchema,
  LogSizeSchema,
  MAX_LOG_ENTRIES_PAGE,
  type ConsistencyProofResponse,
  type CosignatureSubmission,
  type InclusionProofResponse,
  type LogEntriesResponse,
} from '../../protocol/tlog.js';
import {
  MAX_MAILBOX_PAGE,
  MailboxAckReceiptSchema,
  MailboxAckSchema,
  MailboxPageSchema,
  MailboxSeqSchema,
  type MailboxAckReceipt,
  type MailboxPage,
} from '../../protocol/mailbox.js';
import {
  EnrollmentReceiptSchema,
  EnrollmentRequestSchema,
  EnrollmentSummarySchema,
  type EnrollmentReceipt,
  type EnrollmentRequest,
  type EnrollmentSummary,
} from '../../protocol/monitoring.js';
import { RegistryEntrySchema, type RegistryEntry } from '../../protocol/registry-entry.js';
import { ServedEpochsSchema, type ServedEpochs } from '../../protocol/served-epochs.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { ClientError } from './client-error.js';
import { createSignedClient, type ClientDeps } from './signed-client.js';
import {
  CosignatureReceiptSchema,
  HubJwksSchema,
  RegistryListingSchema,
  StatisticsSchema,
  type CosignatureReceipt,
  type Statistics,
} from './wire.js';

/** The hub's `aud` (§7.2) unless its operator configured another. */
export const HUB_AUDIENCE = 'spx-hub';
/** The national registry is a few megabytes of JSON. */
export const MAX_REGISTRY_BYTES = 64 << 20;

export interface HubClient {
  readonly url: string;
  /** GET /v1/registry/agencies: every enrolled agency, keys included. */
  registry(): Promise<RegistryEntry[]>;
  /** GET /v1/registry/agencies/:ori; undefined when the hub does not know the agency. */
  agency(ori: string): Promise<RegistryEntry | undefined>;
  /** GET /v1/hub/keys: the hub's statement-signing keys, each a validated Ed25519 JWK. */
  hubKeys(): Promise<PublicKeyInfo[]>;
  /** GET /v1/epochs: the OPRF key epochs the hub serves now, and when an older one retires. */
  epochs(): Promise<ServedEpochs>;
  /** POST /v1/attestations: one receipt per attestation, same order, same ids (§5.6). */
  submitAttestations(batch: IntakeBatch): Promise<IntakeReceipt>;
  /** POST /v1/checks: the answer, well formed but NOT yet verified (node/check does that). */
  check(request: CheckRequest): Promise<CheckAnswer>;
  /** GET /v1/statistics: the public table, as the hub defines it. */
  statistics(): Promise<Statistics>;
  /** GET /v1/log/checkpoint: the latest signed note, NOT yet verified (node/tlog does that). */
  logCheckpoint(): Promise<string>;
  /** GET /v1/log/checkpoints/{size}; undefined when the hub issued none of that size. */
  logCheckpointAt(size: number): Promise<string | undefined>;
  /** GET /v1/log/proof/inclusion?index&size; the answer names exactly what was asked. */
  logInclusionProof(index: number, size: number): Promise<InclusionProofResponse>;
  /** GET /v1/log/proof/consistency?from&to; the answer names exactly what was asked. */
  logConsistencyProof(from: number, to: number): Promise<ConsistencyProofResponse>;
  /** GET /v1/log/entries?start&end: entries [start, end), at most MAX_LOG_ENTRIES_PAGE. */
  logEntries(start: number, end: number): Promise<LogEntriesResponse>;
  /** POST /v1/log/cosignatures (role witness). */
  submitCosignature(submission: CosignatureSubmission): Promise<CosignatureReceipt>;
  /** GET /v1/mailbox/messages: unacknowledged messages, NOT yet verified (node/inbox does). */
  mailbox(after: number, limit: number): Promise<MailboxPage>;
  /** POST /v1/mailbox/ack. */
  ackMailbox(seqs: readonly number[]): Promise<MailboxAckReceipt>;
  /** POST /v1/monitoring/enrollments (role checker): enroll, renew, remove hub indexes. */
  enrollMonitoring(request: EnrollmentRequest): Promise<EnrollmentReceipt>;
  /** GET /v1/monitoring/enrollments: how many this agency has enrolled, the limit, the term. */
  monitoringSummary(): Promise<EnrollmentSummary>;
  /** POST /v1/certifications (role reporter): one signed period certification (§5.15). */
  submitCertification(submission: CertificationSubmission): Promise<CertificationReceipt>;
  /** GET /v1/certifications: this agency's own certifications, latest first. */
  certifications(): Promise<CertificationList>;
  /** POST /v1/credentials/affirmations: the chief's "in process" affirmation (§5.16). */
  submitAffirmation(submission: AffirmationSubmission): Promise<CredentialReceipt>;
}

export interface HubClientOptions {
  readonly audience?: string | undefined;
}

export function createHubClient(
  url: string,
  deps: ClientDeps,
  options: HubClientOptions = {},
): HubClient {
  const client = createSignedClient(
    { service: 'hub', baseUrl: url, audience: options.audience ?? HUB_AUDIENCE },
    deps,
  );
  const invalid = (message: string, field: string, code: 'invalid_value' | 'mismatch') =>
    new ClientError('REQUEST_INVALID', message, {
      service: 'hub',
      retryable: false,
      errors: [{ field, code, message }],
    });

  const numbers = (values: Record<string, number>, schemas: Record<string, z.ZodType>) => {
    for (const [name, value] of Object.entries(values)) {
      if (!schemas[name]!.safeParse(value).success) {
        throw invalid(`${name} is not a log index or size`, name, 'invalid_value');
      }
    }
  };
  /** The hub's answer must be about what we asked, or it proves nothing we wanted. */
  const sameAs = <T extends object>(answer: T, asked: Partial<T>): T => {
    for (const [name, value] of Object.entries(asked)) {
      if ((answer as Record<string, unknown>)[name] !== value) {
        throw new ClientError('RESPONSE_INVALID', `the answer is for another ${name}`, {
          service: 'hub',
          retryable: false,
          errors: [{ field: name, code: 'mismatch', message: 'differs from the request' }],
        });
      }
    }
    return answer;
  };

  return {
    url,
    async registry() {
      const listing = await client.get('/v1/registry/agencies', RegistryListingSchema, {
        maxResponseBytes: MAX_REGISTRY_BYTES,
      });
      return listing.agencies;
    },
    async agency(ori) {
      if (!OriSchema.safeParse(ori).success) throw invalid('not an ORI', 'ori', 'invalid_value');
      try {
        return await client.get(`/v1/registry/agencies/${ori}`, RegistryEntrySchema);
      } catch (e) {
        if (e instanceof ClientError && e.status === 404) return undefined;
        throw e;
      }
    },
    async hubKeys() {
      const jwks = await client.get('/v1/hub/keys', HubJwksSchema);
      const keys: PublicKeyInfo[] = [];
      for (const [i, jwk] of jwks.keys.entries()) {
        try {
          keys.push(await importPublicJwk(jwk));
        } catch (e) {
          throw new ClientError('RESPONSE_INVALID', 'hub key is not a usable Ed25519 JWK', {
            service: 'hub',
            retryable: false,
            errors: [{ field: `keys[${i}]`, code: 'invalid_value', message: String(e) }],
            cause: e,
          });
        }
      }
      return keys;
    },
    epochs: () => client.get('/v1/epochs', ServedEpochsSchema),
    submitAttestations(batch) {
      // The receipt must name our ids in our order; read them from our own statements.
      const ids: string[] = [];
      for (const [i, jws] of (batch.attestations ?? []).entries()) {
        const parsed = parseStatement(jws, [STATEMENT_TYPES.attestation]);
        const id = parsed.ok ? parsed.value.payload['id'] : undefined;
        if (typeof id !== 'string') {
          const field = `attestations[${i}]`;
          return Promise.reject(invalid('not an attestation statement', field, 'invalid_value'));
        }
        ids.push(id);
      }
      return client.post('/v1/attestations', IntakeBatchSchema, batch, intakeReceiptSchemaFor(ids));
    },
    check: (request) => client.post('/v1/checks', CheckRequestSchema, request, CheckAnswerSchema),
    statistics: () => client.get('/v1/statistics', StatisticsSchema),
    logCheckpoint: () => client.getText('/v1/log/checkpoint', CheckpointNoteSchema),
    async logCheckpointAt(size) {
      numbers({ size }, { size: LogSizeSchema });
      try {
        return await client.getText(`/v1/log/checkpoints/${size}`, CheckpointNoteSchema);
      } catch (e) {
        if (e instanceof ClientError && e.status === 404) return undefined;
        throw e;
      }
    },
    async logInclusionProof(index, size) {
      numbers({ index, size }, { index: LogIndexSchema, size: LogSizeSchema });
      const answer = await client.get(
        `/v1/log/proof/inclusion?index=${index}&size=${size}`,
        InclusionProofResponseSchema,
      );
      return sameAs(answer, { index, size });
    },
    async logConsistencyProof(from, to) {
      numbers({ from, to }, { from: LogSizeSchema, to: LogSizeSchema });
      const answer = await client.get(
        `/v1/log/proof/consistency?from=${from}&to=${to}`,
        ConsistencyProofResponseSchema,
      );
      return sameAs(answer, { from, to });
    },
    async logEntries(start, end) {
      numbers({ start, end }, { start: LogIndexSchema, end: LogSizeSchema });
      if (end <= start || end - start > MAX_LOG_ENTRIES_PAGE) {
        throw invalid(`1 to ${MAX_LOG_ENTRIES_PAGE} entries per page`, 'end', 'invalid_value');
      }
      const answer = await client.get(
        `/v1/log/entries?start=${start}&end=${end}`,
        LogEntriesResponseSchema,
      );
      sameAs(answer, { start });
      answer.entries.forEach((e, i) => {
        if (e.index !== start + i)
          sameAs({ [`entries[${i}].index`]: e.index }, { [`entries[${i}].index`]: start + i });
      });
      return answer;
    },
    async mailbox(after, limit) {
      if (!MailboxSeqSchema.safeParse(after).success && after !== 0) {
        throw invalid('not a mailbox seq', 'after', 'invalid_value');
      }
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MAILBOX_PAGE) {
        throw invalid(`1 to ${MAX_MAILBOX_PAGE} messages per page`, 'limit', 'invalid_value');
      }
      const page = await client.get(
        `/v1/mailbox/messages?after=${after}&limit=${limit}`,
        MailboxPageSchema,
        { maxResponseBytes: MAX_MAILBOX_PAGE * 70_000 },
      );
      if (page.messages.length > limit) {
        throw new ClientError('RESPONSE_INVALID', 'more messages than asked for', {
          service: 'hub',
          retryable: false,
          errors: [{ field: 'messages', code: 'mismatch', message: `more than ${limit}` }],
        });
      }
      return page;
    },
    enrollMonitoring: (request) =>
      client.post(
        '/v1/monitoring/enrollments',
        EnrollmentRequestSchema,
        request,
        EnrollmentReceiptSchema,
      ),
    monitoringSummary: () => client.get('/v1/monitoring/enrollments', EnrollmentSummarySchema),
    ackMailbox: (seqs) =>
      client.post(
        '/v1/mailbox/ack',
        MailboxAckSchema,
        { seqs: [...seqs] },
        MailboxAckReceiptSchema,
      ),
    submitCertification: (submission) =>
      client.post(
        '/v1/certifications',
        CertificationSubmissionSchema,
        submission,
        CertificationReceiptSchema,
      ),
    certifications: () => client.get('/v1/certifications', CertificationListSchema),
    submitAffirmation: (submission) =>
      client.post(
        '/v1/credentials/affirmations',
        AffirmationSubmissionSchema,
        submission,
        CredentialReceiptSchema,
      ),
    submitCosignature: (submission) =>
      client.post(
        '/v1/log/cosignatures',
        CosignatureSubmissionSchema,
        submission,
        CosignatureReceiptSchema,
      ),
  };
}
