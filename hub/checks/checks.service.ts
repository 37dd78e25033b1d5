/**
 * Answering a check (docs/protocol.md §3.2, §5.8): find the current statements of the
 * request's epoch that share a hub index with the candidate, summarise each with the kinds that
 * matched and the reporting agency from the registry, compute the verdict under the requester's
 * policy (§5.9), sign the response with the hub's key, and audit the check. The answer carries
 * the matched statements themselves so the requester can verify the reporting agencies'
 * signatures (§5.8.2), and for each of them its inclusion proof in the transparency log
 * against the hub's latest checkpoint (docs/transparency.md), so the answer can be verified
 * later from the hiring file alone.
 */
import { MATCH_KEY_STRENGTH, strongest } from '../../crypto/match-key-kind.js';
import {
  parseStatement,
  signStatement,
  type JsonObject,
  type SigningKey,
} from '../../crypto/signing/index.js';
import type { AttestationPayload, AttestationStatus } from '../../protocol/attestation.js';
import { isDisclosed, type PendingRule } from '../../protocol/disclosure.js';
import { retentionDue } from '../../protocol/retention.js';
import type { Category } from '../../protocol/categories.js';
import { statementDigest, type CheckAnswer } from '../../protocol/check-answer.js';
import { compareKeys, type KindIndex } from '../../protocol/check-match.js';
import type { CheckRequest } from '../../protocol/check-request.js';
import {
  CheckResponsePayloadSchema,
  MAX_CHECK_CANDIDATES,
  MAX_CHECK_MATCHES,
  type CheckMatch,
  type CheckResponsePayload,
} from '../../protocol/check-response.js';
import { computeVerdict } from '../../protocol/check-verdict.js';
import { formatTimestamp } from '../../protocol/common.js';
import { ProtocolError, safeDecode } from '../../protocol/decode.js';
import { newStatementId, type Rng } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { ReplayEntry } from '../../crypto/request-auth/replay-cache.js';
import type { TransparencyLog } from '../tlog/tlog.service.js';
import type { HubDatabase } from '../database.js';
import type { EpochWindow } from '../epochs/epoch-window.js';
import type { RegistryService } from '../registry/registry.service.js';
import { checksRepository, type MatchedRow } from './checks.repository.js';
import type { RegistryEntry } from '../../protocol/registry-entry.js';

/** The request token of a check was used before (the route answers 401 AUTH_REPLAYED). */
export class CheckReplayedError extends Error {
  constructor() {
    super('the request token of this check was already used');
    this.name = 'CheckReplayedError';
  }
}

export interface ChecksDeps {
  readonly db: HubDatabase;
  readonly registry: RegistryService;
  readonly signingKey: SigningKey;
  readonly rng: Rng;
  readonly log: TransparencyLog;
  /**
   * The OPRF key epochs the hub serves (SPX_HUB_EPOCHS, SPX_HUB_EPOCH_WINDOW_END). A check under
   * another epoch is refused: its indexes cannot match anything the hub holds, or only records
   * the hub no longer keeps current under it, so a signed `no_record` would be a false clean
   * answer for a person with records.
   */
  readonly epochs: EpochWindow;
  /** Deletes expired replay rows when due (DatabaseReplayCache.pruneIfDue), before a claim. */
  readonly replayPrune?: (now: number) => Promise<void>;
  /** The hub's rule for pending records (docs/protocol.md §5.8.4); default: shown. */
  readonly pendingRule?: PendingRule;
}

type MatchStatus = CheckMatch['status'];

/** The kinds of `request` keys that a statement holds with the same kind and index (§5.8.1). */
/**
 * The token keys of a stored attestation, read from its own signed payload (verified at
 * intake): the matched and contradicted kinds (§5.8.1) are computed from the same bytes the
 * requester recomputes them from.
 */
function attestationKeys(jws: string): readonly KindIndex[] {
  const parsed = parseStatement(jws, [STATEMENT_TYPES.attestation]);
  if (!parsed.ok) throw new Error('a stored attestation does not parse');
  return (parsed.value.payload as unknown as AttestationPayload).tokens.keys;
}

export function checksService(deps: ChecksDeps) {
  const repo = checksRepository(deps.db);

  async function summarise(
    request: CheckRequest,
    rows: readonly MatchedRow[],
    now: Date,
  ): Promise<{ match: CheckMatch; jws: string; leaf: MatchedRow['leaf'] }[]> {
    const agencies =
      rows.length === 0
        ? new Map<string, RegistryEntry>()
        : await deps.registry.findMany(rows.map((r) => r.statement.issuer));
    const out: { match: CheckMatch; jws: string; leaf: MatchedRow['leaf'] }[] = [];
    for (const { statement: row, leaf } of rows) {
      // Matched and contradicted kinds from the statement's own signed tokens (§5.8.1), as the
      // requester recomputes them.
      const { matchedKinds: kinds, contradictedKinds } = compareKeys(
        request.keys,
        attestationKeys(row.jws),
      );
      // An index shared under another kind is not a match (§5.8.1: same kind and index).
      if (kinds.length === 0) continue;
      const agency = agencies.get(row.issuer);
      if (agency === undefined) throw new Error(`issuer ${row.issuer} missing from the registry`);
      // §5.8.4: never-shown statuses are left out by the query; pending ones by the hub's rule.
      const status = row.status as AttestationStatus;
      if (!isDisclosed(status, request.purpose, agency.state, deps.pendingRule)) continue;
      // §5.13: a record past its retention period is not shown from the day it is due, whether
      // or not its agency has published the `expired` statement yet (its node may be offline).
      const category = row.category as Category;
      if (retentionDue({ category, status, statusDate: row.statusDate }, agency, now)) continue;
      out.push({
        jws: row.jws,
        leaf,
        match: {
          attestationId: row.id,
          attestationDigest: statementDigest(row.jws),
          reportingAgency: { ori: agency.ori, name: agency.name, contact: agency.contact },
          categoryList: row.categoryList,
          category,
          useOfForce: row.useOfForce,
          eventDate: row.eventDate,
          outcomeDate: row.outcomeDate,
          status: row.status as AttestationStatus as MatchStatus,
          statusDate: row.statusDate,
          disputed: row.disputedSince === null ? null : { since: row.disputedSince },
          matchedKinds: kinds,
          strength: strongest(kinds.map((k) => MATCH_KEY_STRENGTH[k]))!,
          contradictedKinds,
        },
      });
    }
    // §5.8.1: ascending attestationId compared as strings — in JavaScript, not in SQL, whose
    // collation might order the hyphens differently.
    return out.sort((a, b) =>
      a.match.attestationId < b.match.attestationId
        ? -1
        : a.match.attestationId > b.match.attestationId
          ? 1
          : 0,
    );
  }

  /**
   * The latest checkpoint (with its cosignatures; from memory while fresh) and each
   * statement's inclusion proof, from the leaves the matching statement read: a hit reads
   * only the proof nodes.
   */
  async function logEvidence(
    found: readonly { match: CheckMatch; leaf: MatchedRow['leaf'] }[],
    now: Date,
  ): Promise<CheckAnswer['log']> {
    const leaves = new Map<string, { index: number; salt: string | null }>();
    for (const f of found) if (f.leaf !== undefined) leaves.set(f.match.attestationId, f.leaf);
    const needed = Math.max(0, ...[...leaves.values()].map((l) => l.index + 1));
    const { checkpoint, note } = await deps.log.servedCovering(needed, now);
    const evidence = await deps.log.evidenceOf(leaves, checkpoint.size);
    const inclusions = found.map(({ match: { attestationId: id } }) => {
      const e = evidence.get(id);
      if (e === undefined) throw new Error(`statement ${id} has no leaf in the log`);
      return e;
    });
    return { checkpoint: note, inclusions };
  }

  return {
    /**
     * Answers `request` from the authenticated checker `requester`. Throws EPOCH_UNKNOWN for an
     * epoch the hub does not serve, and TOO_MANY_MATCHES (after auditing the refusal) rather
     * than leave any match out. With `replay` (the route deferred single use, agencyAuth
     * `deferReplay`), the token's jti is claimed by the matching statement; a replayed token
     * throws CheckReplayedError having matched and stored nothing.
     */
    async check(
      request: CheckRequest,
      requester: string,
      now: Date,
      replay?: ReplayEntry,
    ): Promise<CheckAnswer> {
      if (!deps.epochs.accepts(request.epoch, now)) {
        const served = deps.epochs.served(now).join(', ');
        throw new ProtocolError('EPOCH_UNKNOWN', `the hub does not serve epoch ${request.epoch}`, {
          errors: [{ field: 'epoch', code: 'not_allowed', message: `served epochs: ${served}` }],
        });
      }
      const checkId = newStatementId(now.getTime(), deps.rng);
      const base = {
        checkId,
        requester,
        checkedAt: now,
        purpose: request.purpose,
        consentRef: request.consentRef,
        epoch: request.epoch,
        keyCount: request.keys.length,
      };
      const indexes = request.keys.map((k) => k.index);
      // One statement: the matches and their log leaves — and for a miss the token's claim
      // and the audit row, stored before the answer exists. A hit's statement only reads: its
      // claim goes with its audit row below, so every check commits once.
      if (replay !== undefined) await deps.replayPrune?.(replay.now);
      // §5.8.1: the bound is on what the answer lists. Records it does not disclose (§5.8.4,
      // §5.13) do not use it up, so up to MAX_CHECK_CANDIDATES chains are read and the bound is
      // applied after the disclosure rule; past that many the hub refuses without reading more.
      const { fresh, rows } = await repo.match(
        request.epoch,
        indexes,
        MAX_CHECK_CANDIDATES + 1,
        base,
        replay,
      );
      if (fresh === false) throw new CheckReplayedError();
      const found = rows.length > MAX_CHECK_CANDIDATES ? [] : await summarise(request, rows, now);
      if (rows.length > MAX_CHECK_CANDIDATES || found.length > MAX_CHECK_MATCHES) {
        const matchCount =
          rows.length > MAX_CHECK_CANDIDATES
            ? await repo.countMatching(request.epoch, indexes)
            : found.length;
        const claimed = await repo.claimAndRecord(
          { ...base, outcome: 'too_many_matches', matchCount, matchedAttestationIds: [] },
          replay,
        );
        if (!claimed) throw new CheckReplayedError();
        throw new ProtocolError(
          'TOO_MANY_MATCHES',
          `${matchCount} records match; an answer lists at most ${MAX_CHECK_MATCHES}. Narrow the request (leave out weak keys).`,
        );
      }
      const matches = found.map((f) => f.match);
      const checkedAt = formatTimestamp(now);
      const { verdict, reasons } = computeVerdict(matches, request.policy, checkedAt);
      const payload: CheckResponsePayload = {
        v: PROTOCOL_VERSION,
        checkId,
        requester,
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
      // The hub signs only what a requester will accept: a payload its own schema refuses is a
      // defect here, reported as a server error, never signed.
      const self = safeDecode(CheckResponsePayloadSchema, payload);
      if (!self.ok) throw new Error(`check response fails its schema: ${self.error.message}`);
      // The log evidence, the signature and (when the matching statement did not write it)
      // the token's claim with the audit row, at once: the answer leaves only once its audit
      // row is stored, and a replayed token gets no answer and stores nothing.
      const [response, log, claimed] = await Promise.all([
        signStatement(payload as unknown as JsonObject, {
          typ: STATEMENT_TYPES.checkResponse,
          key: deps.signingKey,
        }),
        logEvidence(found, now),
        rows.length === 0
          ? true
          : repo.claimAndRecord(
              {
                ...base,
                outcome: 'answered',
                matchCount: matches.length,
                matchedAttestationIds: matches.map((m) => m.attestationId),
              },
              replay,
            ),
      ]);
      if (!claimed) throw new CheckReplayedError();
      return { response, attestations: found.map((f) => f.jws), log };
    },
  };
}
