/** A candidate screened as runCheck screens it, for tests that call checkCandidate directly. */
import type { Identity } from '../../../crypto/match-keys/index.js';
import { screenCandidate, type ScreenedCandidate } from '../screen-candidate.js';

export function screened(candidate: Identity, consentRef: string, asOf: Date): ScreenedCandidate {
  const screening = screenCandidate(candidate, consentRef, asOf);
  if (!screening.ok) throw new Error(`test candidate refused: ${screening.refusal.code}`);
  return screening.candidate;
}
