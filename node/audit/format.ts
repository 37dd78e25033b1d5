/** The human form of an audit report: a few lines, each failure with its code. */
import type { AuditReport } from './audit-result.js';

export interface ReportContext {
  readonly hubUrl: string;
  readonly quorum: number;
  readonly witnesses: number;
  readonly state: string | undefined;
  readonly saved: boolean;
}

export function formatAuditReport(r: AuditReport, ctx: ReportContext): string {
  const { byKind, agencyEvents: ev } = r.entries;
  const kids = r.hubKeys.kids.join(', ') || 'none';
  const lines = [
    `Log ${r.origin ?? '(unknown origin)'} at ${ctx.hubUrl}` +
      (r.originPinned ? ' (origin pinned)' : ' (origin NOT pinned: as the checkpoint names it)'),
    r.hubKeys.pinned
      ? `Hub key: pinned (${kids})`
      : `Hub key NOT pinned: taken from GET /v1/hub/keys (${kids}); ` +
        'compare it with the copy the hub operator published, or pass --hub-key',
  ];
  const cp = r.checkpoint;
  if (cp !== null) {
    lines.push(
      `Checkpoint: size ${cp.size}, root ${cp.root}` +
        (ctx.witnesses > 0
          ? `, cosigned by ${cp.cosigners.length} of ${ctx.witnesses} witnesses (quorum ${ctx.quorum})`
          : ''),
    );
  }
  lines.push(
    `Entries audited: ${r.entries.audited}${cp === null ? '' : ` of ${cp.size}`} — ` +
      `${byKind.attestation} attestation, ${byKind.agency} agency ` +
      `(${ev.enrolled} enrolled, ${ev.key_rotated} key rotated, ${ev.suspended} suspended, ` +
      `${ev.reinstated} reinstated), ${byKind.keyholder_key} keyholder_key, ` +
      `${byKind.certification} certification, ${byKind.credentialing_body} credentialing_body, ` +
      `${byKind.credential} credential, ${byKind.credential_revocation} credential_revocation, ` +
      `${byKind.credential_affirmation} credential_affirmation; ` +
      `${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  if (r.previous !== null) {
    lines.push(`Saved checkpoint: size ${r.previous.size}, root ${r.previous.root}`);
  }
  for (const f of r.failures) {
    const where = f.detail['index'] === undefined ? '' : ` (entry ${f.detail['index']})`;
    lines.push(`FAILED ${f.code}${where}: ${f.message}`);
  }
  if (r.ok) {
    lines.push(
      r.previous === null
        ? 'OK: every entry verifies against the signed checkpoint.'
        : 'OK: every entry verifies against the signed checkpoint, which extends the saved one.',
    );
  }
  if (ctx.state !== undefined) {
    lines.push(ctx.saved ? `State saved to ${ctx.state}.` : `State not updated (${ctx.state}).`);
  }
  return `${lines.join('\n')}\n`;
}
