/**
 * The outbox item that carries statements to the hub's intake (docs/node.md "Outbox"): the
 * publisher enqueues one per batch; the sender puts parts of one back (the rest of a refused
 * batch, the halves of one too large, statements whose receipt did not verify). The JWS stay in
 * `attestations`; the item names them in the order they are to be sent.
 */
import type { NewOutboxItem } from '../store/index.js';

export const ATTESTATIONS_OUTBOX_KIND = 'attestations';

export interface AttestationsOutboxPayload {
  /** Statement ids in the order they are to be sent. */
  readonly attestationIds: readonly string[];
}

/**
 * An item sending `ids`. The dedupe key makes enqueueing the same step twice (a replayed
 * publish page, a retried split) create one item.
 */
export function attestationsItem(
  ids: readonly string[],
  dedupeKey: string,
  notBefore?: Date,
): NewOutboxItem {
  const payload: AttestationsOutboxPayload = { attestationIds: ids };
  return { kind: ATTESTATIONS_OUTBOX_KIND, payload, dedupeKey, notBefore };
}

/**
 * `statements` of `item` put back in the outbox as an item of their own, due at `due`. The
 * dedupe key names the first statement, the item it came from and why (`tag`), so replaying
 * the same step enqueues nothing twice.
 */
export function requeueItem(
  statements: readonly { readonly id: string }[],
  item: { readonly id: number },
  tag: string,
  due: Date,
): NewOutboxItem {
  const ids = statements.map((a) => a.id);
  return attestationsItem(ids, `attestations:${ids[0]}:${item.id}${tag}`, due);
}
