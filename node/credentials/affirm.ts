/**
 * The chief's "in process" affirmation (docs/node.md "Credentials", docs/protocol.md §5.16):
 * the agency states it is in the process of being credentialed; signed with the agency key,
 * sent to the hub, and the receipt kept (node_settings, key `credential-affirmation:<day>`).
 * It counts for AFFIRMATION_VALIDITY_MONTHS from its day; a later one counts from its own day.
 *
 * The day is checked here as the hub checks it (not in the future, not already lapsed), so that
 * the refusal reads the same whether the node or the hub makes it.
 */
import { signStatement, type JsonObject, type SigningKey } from '../../crypto/signing/index.js';
import { formatTimestamp } from '../../protocol/common.js';
import {
  affirmationValidUntil,
  dateInFuture,
  type AffirmationPayload,
} from '../../protocol/credential.js';
import { newStatementId } from '../../protocol/statement-id.js';
import { STATEMENT_TYPES } from '../../protocol/statement-types.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { AffirmRequest, AffirmResponse } from '../api/affirm.js';
import type { HubClient } from '../clients/index.js';
import type { NodeDatabase } from '../store/database.js';
import { settingsRepository } from '../store/settings.repository.js';

export type AffirmErrorCode = 'AFFIRMATION_DATE_INVALID';

export class AffirmError extends Error {
  readonly field = 'affirmedOn';
  constructor(
    readonly code: AffirmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AffirmError';
  }
}

export function isAffirmError(e: unknown): e is AffirmError {
  return e instanceof AffirmError;
}

export interface AffirmDeps {
  readonly db: NodeDatabase;
  readonly hub: Pick<HubClient, 'submitAffirmation'>;
  readonly ori: string;
  readonly key: SigningKey;
  readonly now: () => Date;
  readonly rng: (n: number) => Uint8Array;
}

export async function affirmInProcess(
  deps: AffirmDeps,
  request: AffirmRequest,
): Promise<AffirmResponse> {
  const now = deps.now();
  const today = now.toISOString().slice(0, 10);
  const affirmedOn = request.affirmedOn ?? today;
  const issuedAt = formatTimestamp(now);
  const future = dateInFuture(affirmedOn, issuedAt, today);
  if (future !== undefined) throw new AffirmError('AFFIRMATION_DATE_INVALID', future);
  const validUntil = affirmationValidUntil(affirmedOn);
  if (validUntil < today) {
    throw new AffirmError(
      'AFFIRMATION_DATE_INVALID',
      `an affirmation of ${affirmedOn} counted only until ${validUntil}`,
    );
  }
  const affirmation: AffirmationPayload = {
    v: PROTOCOL_VERSION,
    id: newStatementId(now.getTime(), deps.rng),
    issuer: deps.ori,
    affirmedOn,
    issuedAt,
  };
  const jws = await signStatement(affirmation as unknown as JsonObject, {
    typ: STATEMENT_TYPES.credentialAffirmation,
    key: deps.key,
  });
  const receipt = await deps.hub.submitAffirmation({ affirmation: jws });
  await settingsRepository(deps.db).set(
    `credential-affirmation:${affirmedOn}`,
    { jws, affirmation, receipt },
    now,
  );
  return { affirmation, validUntil, receipt };
}
