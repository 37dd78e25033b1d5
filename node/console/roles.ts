/**
 * The console's roles (docs/node.md "Console"). One role per user: an investigator checks
 * candidates and reads the agency's past checks; a records officer keeps the agency's own
 * records (imports, publishing, the outbox, alerts, the inbox); an administrator manages the
 * console's users and reads its audit trail. Pure: shared by the store, the API and the pages.
 */
export const CONSOLE_ROLES = ['investigator', 'records_officer', 'administrator'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const ROLE_LABELS: Readonly<Record<ConsoleRole, string>> = {
  investigator: 'Investigator',
  records_officer: 'Records officer',
  administrator: 'Administrator',
};

/** What a console audit event records (console_audit.action). */
export const CONSOLE_AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'sign_in_locked',
  'sign_out',
  'check',
  'check_refused',
  'check_failed',
  'evidence_downloaded',
  'records_import',
  'records_publish',
  'user_added',
  'user_disabled',
  'password_reset',
] as const;
export type ConsoleAuditAction = (typeof CONSOLE_AUDIT_ACTIONS)[number];
