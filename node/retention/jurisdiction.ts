/**
 * This agency's jurisdiction level and state as the hub's registry has them: the retention rule
 * the hub applies to the agency's records is looked up with these (docs/protocol.md §5.13), so
 * the node asks the registry rather than keeping a copy that could disagree.
 */
import type { ReportingJurisdiction } from '../../protocol/retention.js';
import type { HubClient } from '../clients/index.js';
import { NodeError } from '../errors.js';

export async function registeredJurisdiction(
  hub: Pick<HubClient, 'agency'>,
  ori: string,
): Promise<ReportingJurisdiction> {
  const entry = await hub.agency(ori);
  if (entry === undefined) {
    throw new NodeError('AGENCY_NOT_REGISTERED', `the hub's registry has no agency ${ori}`);
  }
  return { jurisdiction: entry.jurisdiction, state: entry.state };
}
