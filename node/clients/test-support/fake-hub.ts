/**
 * Test support: a hub that really verifies attestations, matches hub indexes, computes the
 * verdict with protocol/check-verdict and signs its answer with crypto/signing, and that a test
 * can make lie (`tamper`) to prove the node notices.
 */
import { Hono } from 'hono';
import { MATCH_KEY_STRENGTH, strongest } from '../../../crypto/match-key-kind.js';
import {
  parseStatement,
  signStatement,
  verifyStatement,
  type JsonObject,
  type SigningKey,
} from '../../../crypto/signing/index.js';
import {
  AttestationPayloadSchema,
  type AttestationPayload,
} from '../../../protocol/attestation.js';
import { supersessionErrors } from '../../../protocol/attestation-lifecycle.js';
import {
  CertificationPayloadSchema,
  CertificationSubmissionSchema,
  isClosedPeriod,
  periodBounds,
  periodLength,
  type CertificationPayload,
  type PeriodLength,
} from '../../../protocol/certification.js';
import type { CertificationReceipt } from '../../../protocol/certification-api.js';
import {
  CERTIFICATION_DEADLINE_TABLE_V1,
  certificationDeadline,
  timelinessOf,
} from '../../../protocol/certification-deadlines.js';
import { statementDigest, type CheckAnswer } from '../../../protocol/check-answer.js';
import { compareKeys } from '../../../protocol/check-match.js';
import { CheckRequestSchema } from '../../../protocol/check-request.js';
import type { CheckMatch, CheckResponsePayload } from '../../../protocol/check-response.js';
import { computeVerdict } from '../../../protocol/check-verdict.js';
import { formatTimestamp } from '../../../protocol/common.js';
import { decodeMessage } from '../../../protocol/decode.js';
import { IntakeBatchSchema, type IntakeReceipt } from '../../../protocol/intake.js';
import { MailboxAckSchema, parseMailboxQuery } from '../../../protocol/mailbox.js';
import { EnrollmentRequestSchema } from '../../../protocol/monitoring.js';
import { isDisclosed } from '../../../protocol/disclosure.js';
import type { RegistryEntry } from '../../../protocol/registry-entry.js';
import { STATEMENT_TYPES } from '../../../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../../../protocol/version.js';
import { fakeLog, type FakeLog } from '../../tlog/test-support/fake-log.js';
import { uuidV7, seededRng } from './deterministic.js';
import { registerFakeLogRoutes } from './fake-hub-log.js';
import { problemJson, requireAgency, type AuthEnv } from './federation.js';

interface Stored {
  readonly jws: string;
  readonly payload: AttestationPayload;
  readonly receivedAt: string;
}

export interface HubTamper {
  /** Rewrites the payload before the hub signs it (a hub that lies but signs). */
  payload?: (payload: CheckResponsePayload) => CheckResponsePayload;
  /** Rewrites the answer after signing (a hostile network or a broken hub). */
  answer?: (answer: CheckAnswer) => CheckAnswer;
  /** Rewrites an intake receipt (evidence included) before it is sent. */
  receipt?: (receipt: IntakeReceipt) => IntakeReceipt;
}

export interface FakeHub {
  readonly app: Hono<AuthEnv>;
  readonly stored: Map<string, Stored>;
  /** The epochs it serves (GET /v1/epochs); intake under another is EPOCH_UNKNOWN. Default [1]. */
  epochs: number[];
  readonly seen: { issuer: string; method: string; path: string }[];
  /** The hub's transparency log: every statement accepted is appended. */
  readonly log: FakeLog;
  /** Witness cosignatures accepted. */
  readonly cosignatures: { ori: string; size: number; line: string }[];
  tamper: HubTamper;
  /** The mailbox (docs/protocol.md §5.12): every message the fake hub queued. */
  readonly mailbox: FakeMessage[];
  /** Answered checks: who was told which statements (for corrections). */
  readonly answered: { checkId: string; requester: string; checkedAt: string; ids: string[] }[];
  /** Monitoring enrollments per agency: hub index → kind (docs/protocol.md §5.14). */
  readonly enrollments: Map<string, Map<string, string>>;
  /** The per-agency enrollment limit (ENROLLMENT_LIMIT beyond it). */
  monitoringLimit: number;
  /** Certifications accepted (hub/certifications), in order; a correction closes its predecessor. */
  readonly certifications: {
    jws: string;
    payload: CertificationPayload;
    receipt: CertificationReceipt;
    supersededBy: string | null;
  }[];
  /** The period length it certifies by (SPX_HUB_CERTIFICATION_PERIOD); default quarter. */
  certificationPeriod: PeriodLength;
  /** Queues a hub-signed message for `to` (a test may send any body, even a hostile one). */
  send(to: string, body: { type: string } & Record<string, unknown>): Promise<FakeMessage>;
}

export interface FakeMessage {
  readonly seq: number;
  readonly to: string;
  /** What the hub serves; a test may replace it (a forged or misaddressed message). */
  jws: string;
  acknowledged: boolean;
}

function bodyJson(c: { get(k: 'body'): Uint8Array }): unknown {
  return JSON.parse(new TextDecoder().decode(c.get('body')));
}

export function fakeHub(options: {
  hubKey: SigningKey;
  /** The seed of `hubKey`: the log's checkpoints are signed notes by the same key. */
  hubSeed: Uint8Array;
  registry: () => readonly RegistryEntry[];
  now: () => Date;
}): FakeHub {
  const { registry, now } = options;
  const rng = seededRng('fake-hub');
  const hub: FakeHub = {
    app: new Hono<AuthEnv>(),
    stored: new Map(),
    epochs: [1],
    seen: [],
    log: fakeLog({ seed: options.hubSeed }),
    cosignatures: [],
    tamper: {},
    mailbox: [],
    answered: [],
    enrollments: new Map(),
    monitoringLimit: 1000,
    certifications: [],
    certificationPeriod: 'quarter',
    async send(to, body) {
      const seq = hub.mailbox.length + 1;
      const payload = { v: PROTOCOL_VERSION, seq, to, createdAt: formatTimestamp(now()), body };
      const jws = await signStatement(payload as unknown as JsonObject, {
        typ: STATEMENT_TYPES.mailboxMessage,
        key: options.hubKey,
      });
      const message = { seq, to, jws, acknowledged: false };
      hub.mailbox.push(message);
      return message;
    },
  };
  registerFakeLogRoutes(hub.app, {
    log: hub.log,
    registry,
    now,
    seen: hub.seen,
    cosignatures: hub.cosignatures,
  });
  const entryOf = (ori: string) => registry().find((e) => e.ori === ori);

  /** As the hub does (hub/mailbox/corrections.ts): tell every earlier checker of the chain. */
  async function correct(current: AttestationPayload, jws: string): Promise<void> {
    const chain = new Set<string>();
    for (let id = current.supersedes; id !== null;) {
      chain.add(id);
      id = hub.stored.get(id)?.payload.supersedes ?? null;
    }
    for (const check of hub.answered) {
      for (const listedId of check.ids.filter((id) => chain.has(id))) {
        const listed = hub.stored.get(listedId)!.payload;
        const changes = [];
        if (listed.status !== current.status) {
          changes.push({ field: 'status', from: listed.status, to: current.status });
        }
        const since = current.disputed?.since ?? null;
        if ((listed.disputed?.since ?? null) !== since) {
          changes.push({ field: 'disputed', from: listed.disputed?.since ?? null, to: since });
        }
        if (changes.length === 0)
          changes.push({ field: 'superseded', from: listedId, to: current.id });
        await hub.send(check.requester, {
          type: 'correction',
          checkId: check.checkId,
          checkedAt: check.checkedAt,
          attestationId: listedId,
          current: jws,
          currentId: current.id,
          currentStatus: current.status,
          changes,
        });
      }
    }
  }

  const mailboxAuth = requireAgency('spx-hub', registry, now, hub.seen);
  hub.app.get('/v1/mailbox/messages', mailboxAuth, (c) => {
    const { after, limit } = parseMailboxQuery(c.req.queries());
    const mine = hub.mailbox.filter((m) => m.to === c.get('issuer') && !m.acknowledged);
    const page = mine.filter((m) => m.seq > after);
    return c.json({
      messages: page.slice(0, limit).map((m) => m.jws),
      more: page.length > limit,
      expiredUnacknowledged: 0,
    });
  });
  hub.app.post('/v1/mailbox/ack', mailboxAuth, (c) => {
    const { seqs } = decodeMessage(MailboxAckSchema, bodyJson(c));
    const mine = hub.mailbox.filter((m) => m.to === c.get('issuer'));
    const found = seqs.map((seq) => mine.find((m) => m.seq === seq));
    if (found.some((m) => m === undefined)) return problemJson(c, 'NOT_FOUND', 'no such message');
    let acknowledged = 0;
    for (const m of found) {
      if (!m!.acknowledged) acknowledged++;
      m!.acknowledged = true;
    }
    return c.json({ acknowledged, remaining: mine.filter((m) => !m.acknowledged).length });
  });

  hub.app.post(
    '/v1/monitoring/enrollments',
    requireAgency('spx-hub', registry, now, hub.seen, 'checker'),
    (c) => {
      const request = decodeMessage(EnrollmentRequestSchema, bodyJson(c));
      const ori = c.get('issuer');
      const held = new Map(hub.enrollments.get(ori) ?? []);
      let removed = 0;
      for (const index of request.remove) if (held.delete(index)) removed++;
      const renewed = request.enroll.filter((k) => held.has(k.index)).length;
      for (const k of request.enroll) held.set(k.index, k.kind);
      if (held.size > hub.monitoringLimit) {
        return problemJson(c, 'ENROLLMENT_LIMIT', 'over the limit');
      }
      hub.enrollments.set(ori, held);
      return c.json({
        enrolled: request.enroll.length - renewed,
        renewed,
        removed,
        active: held.size,
        limit: hub.monitoringLimit,
        expiresAt: formatTimestamp(new Date(now().getTime() + 90 * 86_400_000)),
      });
    },
  );

  // As the hub's certification intake checks (hub/certifications/certifications.service.ts).
  hub.app.post(
    '/v1/certifications',
    requireAgency('spx-hub', registry, now, hub.seen),
    async (c) => {
      const { certification: jws } = decodeMessage(CertificationSubmissionSchema, bodyJson(c));
      const sender = c.get('issuer');
      const parsed = parseStatement(jws, [STATEMENT_TYPES.certification]);
      const issuer = parsed.ok ? parsed.value.payload['issuer'] : undefined;
      const verified = await verifyStatement(jws, {
        typ: STATEMENT_TYPES.certification,
        resolveKey: (kid) =>
          typeof issuer === 'string'
            ? entryOf(issuer)?.keys.find((k) => k.kid === kid)?.jwk
            : undefined,
      });
      if (!verified.ok) return problemJson(c, verified.error.code, 'bad certification');
      const payload = decodeMessage(CertificationPayloadSchema, verified.value.payload);
      if (payload.issuer !== sender) return problemJson(c, 'ISSUER_MISMATCH', 'not yours');
      const prior = hub.certifications.find((x) => x.payload.id === payload.id);
      if (prior !== undefined && prior.jws === jws) {
        return c.json({ ...prior.receipt, status: 'duplicate' });
      }
      if (prior !== undefined) return problemJson(c, 'CONFLICT', 'id');
      if (payload.issuedAt > formatTimestamp(now())) {
        return problemJson(c, 'VALIDATION_FAILED', 'certification.issuedAt: in the future');
      }
      if (periodLength(payload.period) !== hub.certificationPeriod) {
        return problemJson(
          c,
          'VALIDATION_FAILED',
          `certification.period: not a ${hub.certificationPeriod}`,
        );
      }
      if (!isClosedPeriod(payload.period, now())) {
        return problemJson(c, 'VALIDATION_FAILED', 'certification.period: has not ended');
      }
      const head = hub.certifications.find(
        (x) =>
          x.payload.issuer === sender &&
          x.payload.period === payload.period &&
          x.supersededBy === null,
      );
      if (head !== undefined && payload.supersedes === null) {
        return problemJson(c, 'CONFLICT', 'certification.supersedes: already certified');
      }
      if (payload.supersedes !== null && payload.supersedes !== head?.payload.id) {
        return problemJson(
          c,
          'SUPERSESSION_INVALID',
          'certification.supersedes: not the current one',
        );
      }
      const { start, end } = periodBounds(payload.period);
      const held = [...hub.stored.values()].filter(
        (s) =>
          s.payload.issuer === sender &&
          s.payload.issuedAt >= `${start}T00:00:00Z` &&
          s.payload.issuedAt <= `${end}T23:59:59Z`,
      ).length;
      if (held !== payload.statements) {
        return problemJson(
          c,
          'COUNT_MISMATCH',
          `the hub holds ${held} statements, not ${payload.statements}`,
        );
      }
      const deadline = certificationDeadline(
        payload.period,
        CERTIFICATION_DEADLINE_TABLE_V1.defaultRule,
      );
      const first = hub.certifications.find(
        (x) => x.payload.issuer === sender && x.payload.period === payload.period,
      );
      const receivedAt = formatTimestamp(now());
      const { index } = hub.log.appendStatement(jws);
      const receipt: CertificationReceipt = {
        id: payload.id,
        status: 'accepted',
        receivedAt,
        period: payload.period,
        deadline,
        timeliness: timelinessOf(new Date(first?.receipt.receivedAt ?? receivedAt), deadline),
        log: { index, checkpoint: hub.log.checkpoint(sender) },
      };
      if (head !== undefined) head.supersededBy = payload.id;
      hub.certifications.push({ jws, payload, receipt, supersededBy: null });
      return c.json(receipt);
    },
  );

  hub.app.get('/v1/certifications', requireAgency('spx-hub', registry, now, hub.seen), (c) => {
    const sender = c.get('issuer');
    const own = hub.certifications.filter((x) => x.payload.issuer === sender).reverse();
    return c.json({
      periodLength: hub.certificationPeriod,
      certifications: own.map((x) => ({
        id: x.payload.id,
        period: x.payload.period,
        sworn: x.payload.sworn,
        statements: x.payload.statements,
        zeroReport: x.payload.zeroReport,
        supersedes: x.payload.supersedes,
        supersededBy: x.supersededBy,
        receivedAt: x.receipt.receivedAt,
        deadline: x.receipt.deadline,
      })),
    });
  });

  hub.app.get('/v1/registry/agencies', (c) => c.json({ agencies: registry() }));
  hub.app.get('/v1/registry/agencies/:ori', (c) => {
    const entry = entryOf(c.req.param('ori'));
    return entry === undefined ? problemJson(c, 'NOT_FOUND', 'no such agency') : c.json(entry);
  });
  hub.app.get('/v1/epochs', (c) =>
    c.json({ epochs: hub.epochs.map((epoch) => ({ epoch, retiresAt: null })) }),
  );
  hub.app.get('/v1/hub/keys', (c) =>
    c.json({ keys: [{ ...options.hubKey.publicJwk, kid: options.hubKey.kid, use: 'sig' }] }),
  );
  hub.app.get('/v1/statistics', (c) => {
    const counts: Record<string, number> = {};
    for (const { payload } of hub.stored.values()) {
      counts[payload.category] = (counts[payload.category] ?? 0) + 1;
    }
    return c.json({ suppressionThreshold: 1, counts });
  });

  hub.app.post(
    '/v1/attestations',
    requireAgency('spx-hub', registry, now, hub.seen, 'reporter'),
    async (c) => {
      const batch = decodeMessage(IntakeBatchSchema, bodyJson(c));
      const sender = c.get('issuer');
      const items: { id: string; status: 'accepted' | 'duplicate'; receivedAt: string }[] = [];
      for (const jws of batch.attestations) {
        const parsed = parseStatement(jws, [STATEMENT_TYPES.attestation]);
        const issuer = parsed.ok ? parsed.value.payload['issuer'] : undefined;
        if (issuer !== sender) return problemJson(c, 'ISSUER_MISMATCH', 'not yours');
        const verified = await verifyStatement(jws, {
          typ: STATEMENT_TYPES.attestation,
          resolveKey: (kid) => entryOf(issuer)?.keys.find((k) => k.kid === kid)?.jwk,
        });
        if (!verified.ok) return problemJson(c, verified.error.code, 'bad attestation');
        const payload = decodeMessage(AttestationPayloadSchema, verified.value.payload);
        const before = hub.stored.get(payload.id);
        if (before !== undefined && before.jws !== jws) return problemJson(c, 'CONFLICT', 'id');
        if (before === undefined) {
          if (!hub.epochs.includes(payload.tokens.epoch)) {
            return problemJson(c, 'EPOCH_UNKNOWN', 'epoch not served');
          }
          const previous =
            payload.supersedes === null ? undefined : hub.stored.get(payload.supersedes);
          if (payload.supersedes !== null) {
            const taken = [...hub.stored.values()].some(
              (s) => s.payload.supersedes === payload.supersedes,
            );
            if (
              previous === undefined ||
              taken ||
              supersessionErrors(previous.payload, payload).length > 0
            ) {
              return problemJson(c, 'SUPERSESSION_INVALID', 'not a valid successor');
            }
          }
        }
        const receivedAt = before?.receivedAt ?? formatTimestamp(now());
        hub.stored.set(payload.id, { jws, payload, receivedAt });
        hub.log.appendStatement(jws);
        if (before === undefined && payload.supersedes !== null) await correct(payload, jws);
        items.push({
          id: payload.id,
          status: before === undefined ? 'accepted' : 'duplicate',
          receivedAt,
        });
      }
      // Evidence against the checkpoint of the grown tree, as the hub's intake issues it.
      let receipt: IntakeReceipt = {
        receipts: items.map((item, i) => ({
          ...item,
          log: hub.log.evidence(batch.attestations[i]!, sender),
        })),
        log: { checkpoint: hub.log.checkpoint(sender) },
      };
      receipt = hub.tamper.receipt?.(receipt) ?? receipt;
      return c.json(receipt);
    },
  );

  hub.app.post(
    '/v1/checks',
    requireAgency('spx-hub', registry, now, hub.seen, 'checker'),
    async (c) => {
      const request = decodeMessage(CheckRequestSchema, bodyJson(c));
      const superseded = new Set([...hub.stored.values()].map((s) => s.payload.supersedes));
      const found: { match: CheckMatch; jws: string }[] = [];
      for (const { jws, payload: a } of hub.stored.values()) {
        if (a.tokens.epoch !== request.epoch || superseded.has(a.id)) continue;
        if (!isDisclosed(a.status, request.purpose, entryOf(a.issuer)?.state ?? null)) continue;
        const { matchedKinds: kinds, contradictedKinds } = compareKeys(request.keys, a.tokens.keys);
        if (kinds.length === 0) continue;
        const agency = entryOf(a.issuer)!;
        found.push({
          jws,
          match: {
            attestationId: a.id,
            attestationDigest: statementDigest(jws),
            reportingAgency: { ori: a.issuer, name: agency.name, contact: agency.contact },
            categoryList: a.categoryList,
            category: a.category,
            useOfForce: a.useOfForce,
            eventDate: a.eventDate,
            outcomeDate: a.outcomeDate,
            status: a.status as CheckMatch['status'],
            statusDate: a.statusDate,
            disputed: a.disputed,
            matchedKinds: kinds,
            strength: strongest(kinds.map((k) => MATCH_KEY_STRENGTH[k]))!,
            contradictedKinds,
          },
        });
      }
      found.sort((x, y) => (x.match.attestationId < y.match.attestationId ? -1 : 1));
      const matches = found.map((f) => f.match);
      const checkedAt = formatTimestamp(now());
      const { verdict, reasons } = computeVerdict(matches, request.policy, checkedAt);
      let payload: CheckResponsePayload = {
        v: PROTOCOL_VERSION,
        checkId: uuidV7(now(), rng),
        requester: c.get('issuer'),
        purpose: request.purpose,
        consentRef: request.consentRef,
        checkedAt,
        epoch: request.epoch,
        keys: request.keys,
        policy: request.policy,
        matches,
        verdict,
        reasons: reasons.map((r) => ({ ...r, reasons: [...r.reasons] })),
      };
      payload = hub.tamper.payload?.(payload) ?? payload;
      hub.answered.push({
        checkId: payload.checkId,
        requester: payload.requester,
        checkedAt: payload.checkedAt,
        ids: payload.matches.map((m) => m.attestationId),
      });
      const response = await signStatement(payload as unknown as JsonObject, {
        typ: STATEMENT_TYPES.checkResponse,
        key: options.hubKey,
      });
      const viewer = c.get('issuer');
      let answer: CheckAnswer = {
        response,
        attestations: found.map((f) => f.jws),
        log: {
          checkpoint: hub.log.checkpoint(viewer),
          inclusions: found.map((f) => hub.log.evidence(f.jws, viewer)),
        },
      };
      answer = hub.tamper.answer?.(answer) ?? answer;
      return c.json(answer);
    },
  );
  return hub;
}
