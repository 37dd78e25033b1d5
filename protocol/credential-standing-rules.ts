/**
 * How an agency's credential standing on a day follows from what the hub holds
 * (docs/protocol.md §5.16.4): the rules behind CredentialStanding (credential-standing.ts).
 * Pure: the agency, its credentials, affirmations and the bodies' states come in as data.
 *
 * On day D (YYYY-MM-DD), looking only at credentials assessed and affirmations stated on or
 * before D:
 *
 * 1. `credentialed`: a credential that counts on D — assessed at most CREDENTIAL_VALIDITY_MONTHS
 *    before D, not revoked on or before D, from a body that was active on D, stating both
 *    mandatory standards met. The newest such credential is the one named.
 * 2. `exempt`: a tribal agency (EO 13929 sec. 2 exempts tribes from the condition).
 * 3. `in_process`: an affirmation that counts on D (AFFIRMATION_VALIDITY_MONTHS); the newest.
 * 4. Otherwise the newest credential decides: `revoked` when revoked on or before D (or its
 *    body was no longer active on D), `expired` when past its validity, and `none` when it is
 *    in force but does not state both mandatory standards met (reported with
 *    `mandatoryMet: false`, since such a credential does not satisfy the condition).
 * 5. `none`: nothing on record.
 *
 * A body counts as active on D unless it was suspended or retired on or before D
 * (`inactiveSince`); its credentials stop counting from that day — the Attorney General's
 * withdrawal of the body's certification reaches every credential it issued.
 */
import { affirmationValidUntil, credentialValidUntil } from './credential.js';
import type { CredentialStanding } from './credential-standing.js';
import type { JurisdictionLevel } from './registry-entry.js';

export interface StandingCredential {
  readonly id: string;
  readonly body: string;
  readonly ori: string;
  readonly assessedOn: string;
  /** Standards stated met, sorted. */
  readonly standards: readonly string[];
  readonly mandatoryMet: boolean;
  /** The UTC date the body's revocation took effect, or null. */
  readonly revokedOn: string | null;
}

export interface StandingAffirmation {
  readonly id: string;
  readonly ori: string;
  readonly affirmedOn: string;
}

export interface StandingInputs {
  readonly ori: string;
  /** The agency's jurisdiction level; undefined for an ORI the registry does not hold. */
  readonly jurisdiction: JurisdictionLevel | undefined;
  readonly credentials: readonly StandingCredential[];
  readonly affirmations: readonly StandingAffirmation[];
  /** Per body: the first day it was not active (suspended or retired), or null while active. */
  readonly bodyInactiveSince: ReadonlyMap<string, string | null>;
}

/** Newest first: by date, then by id (UUIDv7, so by signing time) as a tie-break. */
function newest<T extends { readonly id: string }>(items: T[], date: (t: T) => string): T[] {
  return items.sort((a, b) =>
    date(a) === date(b) ? (a.id < b.id ? 1 : -1) : date(a) < date(b) ? 1 : -1,
  );
}

function bodyActiveOn(inputs: StandingInputs, body: string, day: string): boolean {
  const since = inputs.bodyInactiveSince.get(body);
  // A body the hub never enrolled cannot have a stored credential; treat it as inactive.
  if (since === undefined) return false;
  return since === null || day < since;
}

function revokedOn(inputs: StandingInputs, c: StandingCredential, day: string): boolean {
  return (c.revokedOn !== null && c.revokedOn <= day) || !bodyActiveOn(inputs, c.body, day);
}

function fromCredential(
  c: StandingCredential,
  standing: CredentialStanding['standing'],
): CredentialStanding {
  return {
    ori: c.ori,
    standing,
    id: c.id,
    body: c.body,
    assessedOn: c.assessedOn,
    validUntil: credentialValidUntil(c.assessedOn),
    mandatoryMet: c.mandatoryMet,
    standards: c.standards,
  };
}

export function credentialStandingOn(inputs: StandingInputs, day: string): CredentialStanding {
  const credentials = newest(
    inputs.credentials.filter((c) => c.ori === inputs.ori && c.assessedOn <= day),
    (c) => c.assessedOn,
  );
  const counting = credentials.find(
    (c) =>
      c.mandatoryMet && credentialValidUntil(c.assessedOn) >= day && !revokedOn(inputs, c, day),
  );
  if (counting !== undefined) return fromCredential(counting, 'credentialed');
  const nothing = {
    ori: inputs.ori,
    id: null,
    body: null,
    assessedOn: null,
    validUntil: null,
    mandatoryMet: null,
    standards: [],
  };
  if (inputs.jurisdiction === 'tribal') return { ...nothing, standing: 'exempt' };
  const affirmation = newest(
    inputs.affirmations.filter(
      (a) =>
        a.ori === inputs.ori && a.affirmedOn <= day && affirmationValidUntil(a.affirmedOn) >= day,
    ),
    (a) => a.affirmedOn,
  )[0];
  if (affirmation !== undefined) {
    return {
      ...nothing,
      standing: 'in_process',
      id: affirmation.id,
      assessedOn: affirmation.affirmedOn,
      validUntil: affirmationValidUntil(affirmation.affirmedOn),
    };
  }
  const latest = credentials[0];
  if (latest === undefined) return { ...nothing, standing: 'none' };
  if (revokedOn(inputs, latest, day)) return fromCredential(latest, 'revoked');
  if (credentialValidUntil(latest.assessedOn) < day) return fromCredential(latest, 'expired');
  return fromCredential(latest, 'none');
}
