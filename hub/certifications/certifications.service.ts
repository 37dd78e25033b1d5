/**
 * Accepting period certifications (docs/protocol.md §5.15.3). The checks, in order:
 *
 * 1. the compact JWS (§6.6) with typ `spx-certification+jws`, signed by a key registered to the
 *    payload's own `issuer`; then the payload (§5.15.1);
 * 2. `issuer` is the authenticated agency (ISSUER_MISMATCH);
 * 3. a byte-identical resubmission gets the first receipt again (`duplicate`); a different
 *    statement under a used id is a CONFLICT;
 * 4. the signing key is active; `issuedAt` is not in the future;
 * 5. the period has this hub's length (SPX_HUB_CERTIFICATION_PERIOD) and has ended;
 * 6. supersession: the first certification of a period supersedes nothing; a correction
 *    supersedes the current one of the same agency and period (CONFLICT when the period is
 *    already certified and the new one supersedes nothing, SUPERSESSION_INVALID otherwise);
 * 7. `statements` equals the attestation statements the hub holds from the agency issued in the
 *    period (COUNT_MISMATCH, naming the hub's count).
 *
 * Choice on 7: a disagreeing count is refused, not recorded. A certification is the agency's
 * sworn statement of what it reported; the hub can tell which statements it holds, so a
 * difference means either statements not yet delivered (the node sends its outbox first) or a
 * wrong count — both fixed by the agency before it certifies, and the refusal names the hub's
 * number. Recording the disagreement instead would make coverage count a certification that
 * both sides know to be wrong.
 *
 * Accepted certifications are entered in the transparency log in the clear (a `certification`
 * entry: protocol/tlog.ts) in the transaction that stores them.
 */
import { checkStatementSignature, parseStatement } from '../../crypto/signing/index.js';
import type { StatementVerifyCode } from '../../crypto/signing/index.js';
import type { AgencyKey } from '../../protocol/agency-key.js';
import { issuedAtErrors } from '../../protocol/attestation-lifecycle.js';
import {
  CertificationPayloadSchema,
  isClosedPeriod,
  periodBounds,
  periodLength,
  type CertificationPayload,
  type PeriodLength,
} from '../../protocol/certification.js';
import type { CertificationReceipt, CertificationList } from '../../protocol/certification-api.js';
import { MAX_CERTIFICATIONS_PAGE } from '../../protocol/certification-api.js';
import {
  certificationDeadline,
  certificationDeadlineTable,
  CURRENT_CERTIFICATION_DEADLINE_VERSION,
  deadlineRule,
  timelinessOf,
  type DeadlineTable,
} from '../../protocol/certification-deadlines.js';
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError, safeDecode } from '../../protocol/decode.js';
import type { FieldError } from '../../protocol/problem.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import type { CertificationLogEntry } from '../../protocol/tlog.js';
import { isUniqueViolation } from '../../platform/db/sql-error.js';
import type { HubDatabase } from '../database.js';
import type { RegistryService } from '../registry/registry.service.js';
import type { TransparencyLog } from '../tlog/tlog.service.js';
import {
  CertificationRaceError,
  certificationsRepository,
  type StoredCertification,
} from './certifications.repository.js';

const TYP = [STATEMENT_TYPES.certification];
const FIELD = 'certification';

const SIGNATURE_MESSAGES: Record<StatementVerifyCode, string> = {
  SIG_TOO_LARGE: 'statement too large',
  SIG_MALFORMED: 'not a well-formed compact JWS of a JSON object',
  SIG_ALG_UNSUPPORTED: 'alg must be Ed25519',
  SIG_HEADER_INVALID: 'protected header must be exactly alg, kid, typ',
  SIG_TYP_MISMATCH: 'typ must be spx-certification+jws',
  SIG_NOT_CANONICAL: 'header or payload is not in RFC 8785 canonical form',
  SIG_UNKNOWN_KEY: 'not signed by an active key registered to the issuer',
  SIG_BAD_SIGNATURE: 'signature does not verify',
};

export interface CertificationOptions {
  readonly log: TransparencyLog;
  /** The period length this hub accepts (SPX_HUB_CERTIFICATION_PERIOD). */
  readonly periodLength: PeriodLength;
  /** Default: the current table (protocol/certification-deadlines.ts). */
  readonly deadlines?: DeadlineTable;
}

function problem(
  code: ConstructorParameters<typeof ProtocolError>[0],
  member: string | undefined,
  errorCode: FieldError['code'],
  message: string,
): ProtocolError {
  const field = member === undefined ? FIELD : `${FIELD}.${member}`;
  return new ProtocolError(code, `${field}: ${message}`, {
    errors: [{ field, code: errorCode, message }],
  });
}

function signatureProblem(code: StatementVerifyCode): ProtocolError {
  return problem(code, undefined, 'invalid_value', SIGNATURE_MESSAGES[code]);
}

/** Whole seconds: receipts carry wire timestamps, and a duplicate repeats them exactly. */
function toSecond(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

export function certificationsService(
  db: HubDatabase,
  registry: RegistryService,
  options: CertificationOptions,
) {
  const repo = certificationsRepository(db);
  const table =
    options.deadlines ?? certificationDeadlineTable(CURRENT_CERTIFICATION_DEADLINE_VERSION);

  async function verify(
    jws: string,
  ): Promise<{ payload: CertificationPayload; key: AgencyKey; jws: string }> {
    const parsed = parseStatement(jws, TYP);
    if (!parsed.ok) throw signatureProblem(parsed.error.code);
    const claimed = parsed.value.payload['issuer'];
    const entry = typeof claimed === 'string' ? await registry.find(claimed) : undefined;
    const key = entry?.keys.find((k) => k.kid === parsed.value.kid);
    if (key === undefined) throw signatureProblem('SIG_UNKNOWN_KEY');
    const signed = await checkStatementSignature(parsed.value, key.jwk);
    if (!signed.ok) throw signatureProblem(signed.error.code);
    const decoded = safeDecode(CertificationPayloadSchema, parsed.value.payload);
    if (!decoded.ok) {
      const errors = decoded.error.errors.map((e) => ({
        ...e,
        field: e.field === '' ? FIELD : `${FIELD}.${e.field}`,
      }));
      throw new ProtocolError(decoded.error.code, `${FIELD}: ${decoded.error.message}`, {
        errors,
      });
    }
    return { payload: decoded.value, key, jws: parsed.value.jws };
  }

  async function receiptOf(
    row: StoredCertification,
    status: CertificationReceipt['status'],
    now: Date,
  ): Promise<CertificationReceipt> {
    const first = (await repo.firstReceived(row.issuer, row.period)) ?? row.receivedAt;
    const checkpoint = await options.log.checkpointCovering(row.logIndex + 1, now);
    return {
      id: row.id,
      status,
      receivedAt: formatTimestamp(row.receivedAt),
      period: row.period,
      deadline: row.deadline,
      timeliness: timelinessOf(first, row.deadline),
      log: { index: row.logIndex, checkpoint: await options.log.served(checkpoint) },
    };
  }

  return {
    /** Verifies and stores one certification from the authenticated agency `ori`. */
    async submit(jws: string, ori: string, now: Date): Promise<CertificationReceipt> {
      const receivedAt = toSecond(now);
      const { payload, key } = await verify(jws);
      if (payload.issuer !== ori) {
        throw problem(
          'ISSUER_MISMATCH',
          'issuer',
          'mismatch',
          `issuer ${payload.issuer} is not the authenticated agency ${ori}`,
        );
      }
      const prior = await repo.findById(payload.id);
      if (prior !== undefined && prior.jws === jws) return receiptOf(prior, 'duplicate', now);
      if (prior !== undefined) {
        throw problem(
          'CONFLICT',
          'id',
          'duplicate',
          `the hub holds a different statement with id ${payload.id}`,
        );
      }
      if (key.status !== 'active') throw signatureProblem('SIG_UNKNOWN_KEY');
      const clock = issuedAtErrors(payload, now);
      if (clock.length > 0) {
        throw problem('VALIDATION_FAILED', 'issuedAt', 'not_allowed', 'issuedAt is in the future');
      }
      if (periodLength(payload.period) !== options.periodLength) {
        throw problem(
          'VALIDATION_FAILED',
          'period',
          'not_allowed',
          `this hub certifies by ${options.periodLength}; ${payload.period} is a ${periodLength(payload.period)}`,
        );
      }
      if (!isClosedPeriod(payload.period, now)) {
        throw problem(
          'VALIDATION_FAILED',
          'period',
          'not_allowed',
          `period ${payload.period} has not ended (it ends ${periodBounds(payload.period).end})`,
        );
      }
      const head = await repo.head(ori, payload.period);
      if (head !== undefined && payload.supersedes === null) {
        throw problem(
          'CONFLICT',
          'supersedes',
          'duplicate',
          `${payload.period} is already certified by ${head.id}; a correction supersedes it`,
        );
      }
      if (payload.supersedes !== null && payload.supersedes !== head?.id) {
        throw problem(
          'SUPERSESSION_INVALID',
          'supersedes',
          'not_allowed',
          head === undefined
            ? `${payload.period} has no certification to supersede`
            : `the current certification of ${payload.period} is ${head.id}`,
        );
      }
      const bounds = periodBounds(payload.period);
      const held = await repo.countStatements(
        ori,
        `${bounds.start}T00:00:00Z`,
        `${bounds.end}T23:59:59Z`,
      );
      if (held !== payload.statements) {
        throw problem(
          'COUNT_MISMATCH',
          'statements',
          'mismatch',
          `the hub holds ${held} statements from ${ori} issued in ${payload.period}, not ${payload.statements}`,
        );
      }
      const entry = (await registry.find(ori))!;
      const deadline = certificationDeadline(
        payload.period,
        deadlineRule(table, entry.jurisdiction, entry.state),
      );
      const logEntry: CertificationLogEntry = {
        v: 1,
        kind: 'certification',
        id: payload.id,
        ori,
        period: payload.period,
        sworn: payload.sworn,
        statements: payload.statements,
        supersedes: payload.supersedes,
        at: formatTimestamp(receivedAt),
      };
      try {
        await repo.store(
          {
            id: payload.id,
            issuer: ori,
            kid: key.kid,
            period: payload.period,
            sworn: payload.sworn,
            statements: payload.statements,
            zeroReport: payload.zeroReport,
            supersedes: payload.supersedes,
            supersededBy: null,
            deadline,
            deadlineTable: table.version,
            issuedAt: payload.issuedAt,
            receivedAt,
            jws,
          },
          async (tx) => {
            const { append } = await options.log.appendAndCheckpoint(
              tx,
              [{ entry: logEntry }],
              now,
            );
            return { logIndex: append.first, result: undefined };
          },
        );
      } catch (e) {
        if (e instanceof CertificationRaceError || isUniqueViolation(e)) {
          throw problem(
            'CONFLICT',
            'supersedes',
            'duplicate',
            `${payload.period} was certified concurrently; fetch the current certification and supersede it`,
          );
        }
        throw e;
      }
      return receiptOf((await repo.findById(payload.id))!, 'accepted', now);
    },

    /** The agency's own certifications, latest period first. */
    async listOwn(ori: string): Promise<CertificationList> {
      const rows = await repo.listForAgency(ori, MAX_CERTIFICATIONS_PAGE);
      return {
        periodLength: options.periodLength,
        certifications: rows.map((r) => ({
          id: r.id,
          period: r.period,
          sworn: r.sworn,
          statements: r.statements,
          zeroReport: r.zeroReport,
          supersedes: r.supersedes,
          supersededBy: r.supersededBy,
          receivedAt: formatTimestamp(r.receivedAt),
          deadline: r.deadline,
        })),
      };
    },

    repo,
  };
}

export type CertificationsService = ReturnType<typeof certificationsService>;
