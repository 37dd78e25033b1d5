/**
 * The JOSE `typ` header of each kind of signed statement (docs/protocol.md §5.10, §6).
 * Explicit typing (RFC 8725 §3.11) stops a statement of one kind being accepted as another:
 * a verifier MUST compare `typ` with the kind it expects, exactly. Values omit the
 * "application/" prefix as RFC 7515 §4.1.9 recommends; the media type is that prefix + value.
 */

export const STATEMENT_TYPES = {
  /** A reporting agency's attestation (§5.5). */
  attestation: 'spx-attestation+jws',
  /** An agency's period certification (§5.15). */
  certification: 'spx-certification+jws',
  /** A credentialing body's credential about an agency (§5.16). */
  credential: 'spx-credential+jws',
  /** A credentialing body's revocation of a credential it issued (§5.16). */
  credentialRevocation: 'spx-credential-revocation+jws',
  /** An agency chief's "in process" affirmation (§5.16). */
  credentialAffirmation: 'spx-credential-affirmation+jws',
  /** The hub's signed answer to a check (§5.8). */
  checkResponse: 'spx-check-response+jws',
  /** The hub's signed statistics release manifest (§5.17). */
  statisticsRelease: 'spx-statistics-release+jws',
  /** A message the hub puts in an agency's mailbox (§5.12). */
  mailboxMessage: 'spx-mailbox-message+jws',
  /** The hub's detached signature over a compliance report in JSON (§6.9, docs/compliance.md). */
  complianceReport: 'spx-compliance-report+jws',
  /** The same over a compliance report in CSV: a signature of one format never passes as the other's. */
  complianceReportCsv: 'spx-compliance-report-csv+jws',
  /** A short-lived request-authentication token (§7). */
  requestToken: 'spx-req+jwt',
} as const;

export type StatementKind = keyof typeof STATEMENT_TYPES;
export type StatementType = (typeof STATEMENT_TYPES)[StatementKind];

/** The media type of a statement kind, e.g. `application/spx-attestation+jws`. */
export function statementMediaType(kind: StatementKind): string {
  return `application/${STATEMENT_TYPES[kind]}`;
}

/** The statement kind a `typ` header names, or undefined for any other value. */
export function statementKindOf(typ: string): StatementKind | undefined {
  const entry = Object.entries(STATEMENT_TYPES).find(([, value]) => value === typ);
  return entry === undefined ? undefined : (entry[0] as StatementKind);
}
