/**
 * What the hub operator's commands do (docs/hub.md, "Commands"), as one interface with two
 * implementations: `localOperations` runs them on a database handle — the CLI's own when it can
 * open the database, the running hub's behind its operator socket — and `operatorClient`
 * (operator.client.ts) sends them to the running hub. The CLI prints the same results and the
 * same errors (HubError codes, fields, messages) either way.
 */
import type { AgencyStatus, RegistryEntry } from '../../protocol/registry-entry.js';
import {
  certificationDeadlineTable,
  CURRENT_CERTIFICATION_DEADLINE_VERSION,
} from '../../protocol/certification-deadlines.js';
import {
  certificationStatus,
  type CertificationStatus,
} from '../certifications/certification-status.js';
import { certificationsRepository } from '../certifications/certifications.repository.js';
import type { SigningKey } from '../../crypto/signing/keys.js';
import type { PeriodLength } from '../../protocol/certification.js';
import type { CredentialStandingSource } from '../../protocol/credential-standing.js';
import {
  complianceService,
  type ComplianceQuery,
  type SignedComplianceReport,
} from '../compliance/compliance.service.js';
import { auditRepository, type CheckAuditRecord } from '../checks/audit.repository.js';
import type { HubDatabase } from '../database.js';
import { epochStanding, type EpochStanding } from '../epochs/epochs.repository.js';
import { registryService, type EnrollmentInput } from '../registry/registry.service.js';
import {
  expungeAttestation,
  type ExpungedStatement,
  type ExpungeRequest,
} from '../tlog/expunge.js';
import { sendExpungementCorrections } from '../mailbox/corrections.js';
import type { CredentialStanding } from '../../protocol/credential-standing.js';
import type { BodyStatus, CredentialingBody } from '../../protocol/credentialing-body.js';
import { bodiesService, type BodyEnrollmentInput } from '../credentials/bodies.service.js';
import { credentialStandingSource } from '../credentials/credential-standing.js';
import { sendExpungementNotices } from '../monitoring/notices.js';
import type { MailboxService } from '../mailbox/mailbox.service.js';

export interface AuditQuery {
  /** Only this requesting agency's checks. */
  readonly requester?: string;
  /** At most this many, newest first (1 to MAX_AUDIT_LIMIT). */
  readonly limit: number;
}

/** `spx hub audit --limit`'s bound. */
export const MAX_AUDIT_LIMIT = 100_000;

export interface HubOperations {
  /** Throws HubError ENTRY_INVALID (every member at fault), AGENCY_EXISTS or KEY_IN_USE. */
  enroll(input: EnrollmentInput): Promise<RegistryEntry>;
  /** Throws HubError AGENCY_UNKNOWN. */
  setStatus(ori: string, status: AgencyStatus): Promise<RegistryEntry>;
  /** Throws HubError AGENCY_UNKNOWN, ENTRY_INVALID, KEY_IN_USE or KEY_LIMIT. */
  rotateKey(ori: string, jwk: unknown): Promise<RegistryEntry>;
  listAgencies(): Promise<RegistryEntry[]>;
  audit(query: AuditQuery): Promise<CheckAuditRecord[]>;
  /** Throws HubError ENTRY_INVALID, ATTESTATION_UNKNOWN or ATTESTATION_EXPUNGED. */
  expunge(request: ExpungeRequest): Promise<ExpungedStatement[]>;
  /** Current statements by epoch and agency (hub/epochs/epochs.repository.ts). */
  epochStanding(): Promise<EpochStanding[]>;
  /** Every agency's standing on each period (hub/certifications/certification-status.ts). */
  certificationStatus(periods: readonly string[]): Promise<CertificationStatus[]>;
  /** Throws HubError ENTRY_INVALID, BODY_EXISTS or KEY_IN_USE. */
  enrollBody(input: BodyEnrollmentInput): Promise<CredentialingBody>;
  /** Throws HubError BODY_UNKNOWN or BODY_RETIRED. */
  setBodyStatus(id: string, status: BodyStatus): Promise<CredentialingBody>;
  listBodies(): Promise<CredentialingBody[]>;
  /** Throws HubError BODY_UNKNOWN, BODY_RETIRED, ENTRY_INVALID, KEY_IN_USE or KEY_LIMIT. */
  rotateBodyKey(id: string, jwk: unknown): Promise<CredentialingBody>;
  /** Every enrolled agency's credential standing on `day` (hub/credentials/credential-standing.ts). */
  credentialStandings(day: string): Promise<CredentialStanding[]>;
  /**
   * The compliance report, encoded and signed (hub/compliance). Throws HubError FORMAT_INVALID,
   * RULE_UNKNOWN, AS_OF_INVALID, PERIOD_INVALID or PERIOD_NOT_CLOSED.
   */
  complianceReport(query: ComplianceQuery): Promise<SignedComplianceReport>;
}

/** What the compliance report needs beyond the database. */
export interface ComplianceDeps {
  /** The hub's signing key, read when a report is signed. */
  readonly signingKey: () => Promise<SigningKey>;
  /** SPX_HUB_CERTIFICATION_PERIOD (default quarter). */
  readonly periodLength?: PeriodLength | undefined;
  /**
   * Credential standings; by default the credentials, revocations and affirmations the hub
   * holds (hub/credentials/credential-standing.ts).
   */
  readonly credentials?: CredentialStandingSource;
}

/**
 * The operations on `db`, timed by `now` (the process that writes is the one whose clock counts).
 * `mailbox` sends the corrections an expungement owes earlier checkers; it is taken only when an
 * expungement runs (the CLI then reads the hub's signing key); `compliance` signs reports.
 */
export function localOperations(
  db: HubDatabase,
  now: () => Date,
  mailbox: () => Promise<MailboxService>,
  compliance: ComplianceDeps,
): HubOperations {
  const registry = registryService(db);
  const reports = complianceService(db, {
    signingKey: compliance.signingKey,
    periodLength: compliance.periodLength ?? 'quarter',
    credentials: compliance.credentials ?? credentialStandingSource(db, registry),
  });
  const bodies = bodiesService(db);
  return {
    enrollBody: (input) => bodies.enroll(input, now()),
    setBodyStatus: (id, status) => bodies.setStatus(id, status, now()),
    listBodies: () => bodies.list(),
    rotateBodyKey: (id, jwk) => bodies.rotateKey(id, jwk, now()),
    async credentialStandings(day) {
      const oris = (await registry.list()).map((e) => e.ori);
      const standings = await credentialStandingSource(db, registry)(oris, day);
      return oris.map((ori) => standings.get(ori)!);
    },
    enroll: (input) => registry.enroll(input, now()),
    setStatus: (ori, status) => registry.setStatus(ori, status, now()),
    rotateKey: (ori, jwk) => registry.rotateKey(ori, jwk, now()),
    listAgencies: () => registry.list(),
    audit: ({ requester, limit }) =>
      auditRepository(db).list({ ...(requester === undefined ? {} : { requester }), limit }),
    expunge(request) {
      const at = now();
      // Inside the expungement's transaction, once the record is known to exist: an unknown id
      // is refused the same way with or without the key at hand.
      return expungeAttestation(db, request, at, async (tx, ids) => {
        const service = await mailbox();
        await sendExpungementCorrections(tx, service, ids, at);
        await sendExpungementNotices(tx, service, ids, at);
      });
    },
    epochStanding: () => epochStanding(db),
    async certificationStatus(periods) {
      const rows = await certificationsRepository(db).listForPeriods(periods);
      return certificationStatus(
        await registry.list(),
        rows,
        periods,
        certificationDeadlineTable(CURRENT_CERTIFICATION_DEADLINE_VERSION),
        now(),
      );
    },
    complianceReport: (query) => reports.signedReport(query, now()),
  };
}
