/**
 * A check's result (node/check/present.ts words): the verdict, each match with who reported it
 * and how to reach them, its status and dates, and how strongly it matched — on screen, and as
 * the printable verified result for the hiring file (`print`).
 */
import type { CheckPresentation, MatchView } from '../../check/present.js';
import { STRENGTH_LABELS } from '../../check/labels.js';
import type { Check, ConsoleUser } from '../../store/index.js';
import { Layout } from './layout.js';

/** What each strength means for a person deciding what to do with the match. */
const STRENGTH_MEANING: Readonly<Record<MatchView['strength'], string>> = {
  strong:
    'Strong: a Social Security number or licence number matched, which two people rarely share.',
  moderate:
    'Moderate: the full name and date of birth matched; two people can share both, so confirm the person with the reporting agency.',
  weak: 'Weak: only the last name and date of birth matched; a lead for review, not a finding.',
};

function MatchBlock(props: { m: MatchView; n: number }) {
  const { m } = props;
  const a = m.reportingAgency;
  return (
    <section class="match" id={`match-${props.n}`}>
      <h3>
        {props.n}. {m.categoryLabel}
        {m.useOfForce ? ', use of force' : ''} — {m.effectLabel}
      </h3>
      <dl>
        <dt>Status</dt>
        <dd>
          {m.statusLabel}, since {m.statusDate}
          {m.disputedSince ? `; disputed by the officer since ${m.disputedSince}` : ''}
        </dd>
        <dt>Dates</dt>
        <dd>
          conduct {m.eventDate}; outcome {m.outcomeDate}
        </dd>
        <dt>Match</dt>
        <dd>
          {STRENGTH_MEANING[m.strength]} Matched on: {m.matchedKindLabels.join(', ')}.
          {m.contradictedKinds.length > 0
            ? ` The record's ${m.contradictedKindLabels.join(', ')} differs from the candidate's.`
            : ''}
        </dd>
        <dt>Under your policy</dt>
        <dd>
          {m.effectLabel}: {m.reasons.map((r) => r.text).join('; ')}
        </dd>
        <dt>Reported by</dt>
        <dd>
          {a.name} (ORI {a.ori})
        </dd>
        <dt>Contact</dt>
        <dd>
          {a.contact.name}, <a href={`mailto:${a.contact.email}`}>{a.contact.email}</a>,{' '}
          {a.contact.phone}
        </dd>
        <dt>Statement</dt>
        <dd>{m.attestationId}</dd>
      </dl>
    </section>
  );
}

export interface ResultProps {
  readonly ori: string;
  readonly user: ConsoleUser;
  readonly csrf: string;
  readonly check: Check;
  readonly result: CheckPresentation;
  readonly verifiedAt: string;
  readonly print?: boolean;
}

export function CheckResultBody(props: ResultProps) {
  const { check, result } = props;
  return (
    <>
      <p class={`verdict verdict-${result.verdict}`} id="verdict">
        {result.verdictLabel}
      </p>
      <p id="summary">{result.summary}</p>
      <dl>
        <dt>Check</dt>
        <dd id="check-id">{check.id}</dd>
        <dt>Hub check id</dt>
        <dd>{result.checkId}</dd>
        <dt>Checked at</dt>
        <dd>{result.checkedAt}</dd>
        <dt>Requested by</dt>
        <dd>
          {check.requestedBy}, for agency {result.requester}
        </dd>
        <dt>Purpose</dt>
        <dd>{result.purpose.replace(/_/g, ' ')}</dd>
        <dt>Consent reference</dt>
        <dd>{result.consentRef}</dd>
        {check.candidateRef ? (
          <>
            <dt>Case file</dt>
            <dd>{check.candidateRef}</dd>
          </>
        ) : null}
        <dt>Verified</dt>
        <dd>
          The hub's signed answer, each agency's signed statement and the transparency-log proofs
          were verified by this node at {props.verifiedAt} (key epoch {result.epoch}).
        </dd>
      </dl>
      <h2>
        {result.matches.length} matching record{result.matches.length === 1 ? '' : 's'}
      </h2>
      {result.matches.map((m, i) => (
        <MatchBlock m={m} n={i + 1} />
      ))}
      <p id="reminder">
        <strong>{result.reminder}</strong>
      </p>
      {check.currentVerdict && check.currentVerdict !== check.verdict ? (
        <p class="error" id="corrected">
          Since this answer, a reporting agency corrected a record: under the same policy the
          verdict would now be “{check.currentVerdict.replace(/_/g, ' ')}”.
        </p>
      ) : null}
    </>
  );
}

export function CheckResultPage(props: ResultProps) {
  const title = props.print ? 'Verified check result' : 'Check result';
  return (
    <Layout title={title} ori={props.ori} user={props.user} csrf={props.csrf}>
      {props.print ? (
        <p class="no-print">
          Print this page for the hiring file (your browser's Print command).{' '}
          <a href={`/console/checks/${props.check.id}`}>Back to the result</a>
        </p>
      ) : (
        <p class="no-print">
          <a href={`/console/checks/${props.check.id}/print`} id="print-link">
            Printable verified result
          </a>{' '}
          ·{' '}
          <a href={`/console/checks/${props.check.id}/evidence.json`} id="evidence-link">
            Download the evidence bundle
          </a>{' '}
          (verify it again any time with <code>spx node verify-evidence</code>)
        </p>
      )}
      <CheckResultBody {...props} />
      {props.print ? (
        <p>
          Evidence: the bundle of check {props.check.id} (<code>evidence.json</code>) holds the
          request, the signed answer and the keys it was verified with;{' '}
          <code>spx node verify-evidence</code> verifies it without the hub. Strength words:{' '}
          {Object.values(STRENGTH_LABELS).join(', ')}.
        </p>
      ) : null}
    </Layout>
  );
}
