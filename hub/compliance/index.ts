/**
 * The compliance report (docs/compliance.md): per agency and period, credential, certification,
 * timeliness and grant eligibility with its reasons, signed by the hub.
 */
export {
  buildComplianceReport,
  type AgencyCompliance,
  type ComplianceReport,
} from './compliance-report.js';
export {
  COMPLIANCE_CSV_COLUMNS,
  COMPLIANCE_FORMATS,
  type ComplianceFormat,
} from './compliance-encode.js';
export {
  COMPLIANCE_SIGNATURE_TYP,
  complianceService,
  type ComplianceQuery,
  type ComplianceService,
  type SignedComplianceReport,
} from './compliance.service.js';
