/** The records officer's pages: the overview (outbox, alerts, inbox), import and publish. */
import type { ImportIssue, ImportSummary } from '../../import/index.js';
import type { ConsoleUser, InboxMessage, StoredAlert } from '../../store/index.js';
import { FileIssues, Layout } from './layout.js';

interface Frame {
  readonly ori: string;
  readonly user: ConsoleUser;
  readonly csrf: string;
}

export interface RecordsOverview {
  readonly officers: number;
  readonly outcomes: number;
  readonly neverAttested: number;
  readonly attestations: Readonly<Record<string, number>>;
  readonly outbox: Readonly<Record<string, number>>;
  readonly outboxDue: number;
  readonly alerts: readonly StoredAlert[];
  readonly inbox: readonly InboxMessage[];
}

const counts = (r: Readonly<Record<string, number>>) =>
  Object.entries(r)
    .map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`)
    .join(', ');

export function RecordsPage(props: Frame & { overview: RecordsOverview }) {
  const o = props.overview;
  return (
    <Layout title="Records" ori={props.ori} user={props.user} csrf={props.csrf}>
      <p>
        <a href="/console/records/import" id="nav-import">
          Import a CSV file
        </a>
      </p>
      <dl id="records-counts">
        <dt>Officers</dt>
        <dd>{o.officers}</dd>
        <dt>Outcomes</dt>
        <dd>
          {o.outcomes} ({o.neverAttested} never published)
        </dd>
        <dt>Statements</dt>
        <dd>{counts(o.attestations)}</dd>
        <dt>Outbox</dt>
        <dd id="outbox">
          {counts(o.outbox)}; {o.outboxDue} due now
        </dd>
      </dl>
      <form method="post" action="/console/records/publish" id="publish-form">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" id="publish">
          Publish new and changed records
        </button>
      </form>
      <h2>Transparency-log alerts</h2>
      {o.alerts.length === 0 ? (
        <p id="no-alerts">No open alert.</p>
      ) : (
        <table id="alerts">
          <thead>
            <tr>
              <th>Since</th>
              <th>Code</th>
              <th>What</th>
              <th>Times</th>
            </tr>
          </thead>
          <tbody>
            {o.alerts.map((a) => (
              <tr>
                <td>{a.at.toISOString()}</td>
                <td>{a.code}</td>
                <td>{a.message}</td>
                <td>{a.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Inbox</h2>
      {o.inbox.length === 0 ? (
        <p id="no-messages">No message from the hub.</p>
      ) : (
        <table id="inbox">
          <thead>
            <tr>
              <th>Received</th>
              <th>Type</th>
              <th>Outcome</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {o.inbox.map((m) => (
              <tr>
                <td>{m.receivedAt.toISOString()}</td>
                <td>{m.type}</td>
                <td>{m.outcome}</td>
                <td>{m.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function ImportPage(
  props: Frame & {
    kind?: string;
    error?: string;
    issues?: readonly ImportIssue[];
    issueCount?: number;
    summary?: ImportSummary;
    dryRun?: boolean;
  },
) {
  return (
    <Layout title="Import records" ori={props.ori} user={props.user} csrf={props.csrf}>
      {props.summary ? (
        <p id="import-summary" role="status">
          {props.dryRun ? 'Checked (nothing written): ' : 'Imported: '}
          {props.summary.rows} rows — {props.summary.inserted} new, {props.summary.updated} changed,{' '}
          {props.summary.unchanged} unchanged; {props.summary.outcomesToAttest} outcomes to publish.
        </p>
      ) : null}
      <form
        method="post"
        action="/console/records/import"
        enctype="multipart/form-data"
        id="import-form"
      >
        <input type="hidden" name="_csrf" value={props.csrf} />
        <label for="kind">File</label>
        <select id="kind" name="kind">
          <option value="officers" selected={props.kind !== 'outcomes'}>
            officers (HR export)
          </option>
          <option value="outcomes" selected={props.kind === 'outcomes'}>
            outcomes (internal affairs export)
          </option>
        </select>
        <label for="file">CSV file (docs/csv-formats.md)</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-invalid={props.issues || props.error ? 'true' : undefined}
          aria-describedby={props.issues || props.error ? 'file-error' : undefined}
        />
        <label>
          <input type="checkbox" name="dryRun" value="true" id="dryRun" /> Check only, write nothing
        </label>
        {props.error ? (
          <p class="error" id="file-error" role="alert">
            {props.error}
          </p>
        ) : null}
        {props.issues ? (
          <FileIssues
            tableId="import-issues"
            lead={`Nothing was written: ${String(props.issueCount ?? props.issues.length)} problem(s) in the file. Correct them and import it again.`}
            issues={props.issues.map((i) => ({
              line: i.line,
              column: i.field,
              code: i.code,
              message: i.message,
            }))}
          />
        ) : null}
        <div>
          <button type="submit" id="run-import">
            Import
          </button>
        </div>
      </form>
    </Layout>
  );
}

export interface PublishJob {
  readonly id: string;
  readonly owner: string;
  phase: string;
  done: number;
  total: number;
  finished: boolean;
  result?: string;
  error?: string;
}

export function PublishPage(props: Frame & { job: PublishJob }) {
  const { job } = props;
  return (
    <Layout
      title="Publishing"
      ori={props.ori}
      user={props.user}
      csrf={props.csrf}
      refreshSeconds={job.finished ? undefined : 2}
    >
      <p id="publish-progress" role="status">
        {job.finished
          ? (job.error ?? job.result ?? 'Finished.')
          : `${job.phase === 'send' ? 'Sending' : 'Signing'}: ${job.done} of ${job.total}…`}
      </p>
      {job.finished ? null : (
        <progress id="publish-bar" max={Math.max(job.total, 1)} value={job.done} />
      )}
      <p>
        <a href="/console/records">Back to records</a>
      </p>
    </Layout>
  );
}
