/**
 * The auditor's trust material, read from what a person gives on the command line or what the
 * hub publishes: the log's origin (witness keys: node/tlog/witness-keys.ts; the hub's keys:
 * node/tlog/hub-keys.ts). Pure; failures are returned with the member they concern, never
 * thrown.
 */
import { LOG_ORIGIN_TEXT } from '../../protocol/tlog.js';

export { refused, type InputFailure, type Parsed } from '../tlog/witness-keys.js';

/** A log origin a verifier accepts (protocol/tlog.ts LOG_ORIGIN_TEXT). */
export function isLogOrigin(text: string): boolean {
  return LOG_ORIGIN_TEXT.test(text);
}
