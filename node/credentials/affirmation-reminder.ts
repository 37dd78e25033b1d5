/**
 * The reminder before an agency's "in process" affirmation lapses (docs/node.md "Credentials",
 * docs/protocol.md §5.16): an affirmation counts AFFIRMATION_VALIDITY_MONTHS from its day, and
 * an agency without a credential then stops meeting the credential reason of the compliance
 * report (docs/compliance.md). The node knows the affirmations it sent (node_settings, key
 * `credential-affirmation:<day>`); the newest decides.
 *
 * Shown from AFFIRMATION_REMINDER_DAYS before the last day it counts, and for as long after the
 * lapse: the node does not know whether a credentialing body has credentialed the agency since
 * (bodies submit to the hub), so it does not remind forever.
 */
import { affirmationValidUntil } from '../../protocol/credential.js';
import type { AffirmationDue } from '../api/status.js';
import type { NodeDatabase } from '../store/database.js';
import { settingsRepository } from '../store/settings.repository.js';

export const AFFIRMATION_REMINDER_DAYS = 30;

const PREFIX = 'credential-affirmation:';
const DAY_MS = 86_400_000;

/** The reminder at `now`, or undefined when none applies. */
export async function affirmationReminder(
  db: NodeDatabase,
  now: Date,
): Promise<AffirmationDue | undefined> {
  const last = await settingsRepository(db).lastWithPrefix(PREFIX);
  if (last === undefined) return undefined;
  const affirmedOn = last.key.slice(PREFIX.length);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(affirmedOn)) return undefined;
  const validUntil = affirmationValidUntil(affirmedOn);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const daysLeft = Math.round((Date.parse(`${validUntil}T00:00:00Z`) - today) / DAY_MS);
  if (daysLeft > AFFIRMATION_REMINDER_DAYS || daysLeft < -AFFIRMATION_REMINDER_DAYS) {
    return undefined;
  }
  return { affirmedOn, validUntil, daysLeft };
}
