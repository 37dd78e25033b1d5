/**
 * An agency's credential standing on a day: the contract between credentialing (issue 12 part 2,
 * which computes it from the credentials and affirmations the hub holds) and the compliance
 * report (part 3, which reads it to decide grant eligibility). Pure types and the reasons'
 * vocabulary; no I/O.
 *
 * - `credentialed`: a credential from an enrolled credentialing body, not revoked, assessed at
 *   most 36 months before the day, stating both mandatory standards met.
 * - `in_process`: no such credential, but the agency's chief signed an "in process"
 *   affirmation that still counts on the day (as the 2020 standards allowed).
 * - `exempt`: a tribal agency (EO 13929 sec. 2 exempts tribes from the credentialing condition).
 * - `expired`: the newest credential is past its validity, and no affirmation counts.
 * - `revoked`: the newest credential was revoked (by its body, or with the body's enrolment), and
 *   no affirmation counts.
 * - `none`: nothing on record.
 *
 * A credential whose mandatory standards are not both met does not make an agency
 * `credentialed`; it is reported (`mandatoryMet: false`) but the standing follows the rest.
 */
export const CREDENTIAL_STANDINGS = [
  'credentialed',
  'in_process',
  'exempt',
  'expired',
  'revoked',
  'none',
] as const;
export type CredentialStandingKind = (typeof CREDENTIAL_STANDINGS)[number];

/** The standings that satisfy the credentialing condition of a grant. */
export const CREDENTIAL_STANDINGS_THAT_COUNT: readonly CredentialStandingKind[] = [
  'credentialed',
  'in_process',
  'exempt',
];

export interface CredentialStanding {
  readonly ori: string;
  readonly standing: CredentialStandingKind;
  /**
   * The credential (or affirmation, for `in_process`) the standing rests on; null for `exempt`
   * and for `none` — except a `none` that names an in-force credential whose mandatory
   * standards are not both met (`mandatoryMet: false`; protocol/credential-standing-rules.ts).
   */
  readonly id: string | null;
  /** The credentialing body's identifier; null for affirmations, `none` and `exempt`. */
  readonly body: string | null;
  /** YYYY-MM-DD: the assessment (credential) or the signature (affirmation). */
  readonly assessedOn: string | null;
  /** YYYY-MM-DD: the last day the credential or affirmation counts. */
  readonly validUntil: string | null;
  /** Whether both mandatory standards are stated met; null when there is no credential. */
  readonly mandatoryMet: boolean | null;
  /** Standard identifiers stated met, from the versioned standards list. */
  readonly standards: readonly string[];
}

/**
 * Where the compliance report gets standings from: the credential standing of each of `oris`
 * on `day` (YYYY-MM-DD). Every ori asked for is in the answer (`none` when nothing is known).
 * With `asOf`, only what the source had received by that moment counts (credentials,
 * revocations, affirmations), so that a report recomputed later gives the same standings.
 */
export type CredentialStandingSource = (
  oris: readonly string[],
  day: string,
  asOf?: Date,
) => Promise<ReadonlyMap<string, CredentialStanding>>;
