/** The batch check: the upload form with the file's issues, and a batch's progress and results. */
import { VERDICT_LABELS } from '../../check/labels.js';
import type { Verdict } from '../../../protocol/check-verdict.js';
import type { ConsoleUser } from '../../store/index.js';
import { APPLICANT_COLUMNS, MAX_BATCH_ROWS, type BatchIssue, type BatchJob } from '../batch.js';
import { FileIssues, Layout } from './layout.js';

interface Frame {
  readonly ori: string;
  readonly user: ConsoleUser;
  readonly csrf: string;
}

export function BatchFormPage(props: Frame & { issues?: readonly BatchIssue[]; error?: string }) {
  return (
    <Layout title="Batch check" ori={props.ori} user={props.user} csrf={props.csrf}>
      <p>
        A CSV file (UTF-8) of up to {MAX_BATCH_ROWS} applicants, one a row, with the columns{' '}
        {APPLICANT_COLUMNS.map((c) => (
          <>
            <code>{c.name}</code>
            {c.required ? ' (required)' : ''}{' '}
          </>
        ))}
        . Every row is checked first: if one is wrong, nothing is run.
      </p>
      <form method="post" action="/console/batches" enctype="multipart/form-data" id="batch-form">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <label for="file">Applicants file</label>
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-invalid={props.issues || props.error ? 'true' : undefined}
          aria-describedby={props.issues || props.error ? 'file-error' : undefined}
        />
        {props.error ? (
          <p class="error" id="file-error" role="alert">
            {props.error}
          </p>
        ) : null}
        {props.issues ? (
          <FileIssues
            tableId="batch-issues"
            lead="The file was not run: correct these rows and upload it again."
            issues={props.issues}
          />
        ) : null}
        <div>
          <button type="submit" id="run-batch">
            Check the applicants
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function BatchPage(props: Frame & { job: BatchJob }) {
  const { job } = props;
  const total = job.results.length;
  return (
    <Layout
      title="Batch check"
      ori={props.ori}
      user={props.user}
      csrf={props.csrf}
      refreshSeconds={job.finished ? undefined : 2}
    >
      <p id="batch-progress" role="status">
        {job.finished ? 'Finished: ' : 'Checking… '}
        {job.done} of {total} applicants checked.
      </p>
      <progress id="batch-bar" max={total} value={job.done}>
        {job.done} of {total}
      </progress>
      <table id="batch-results">
        <thead>
          <tr>
            <th>Line</th>
            <th>Case file</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {job.results.map((r) => (
            <tr>
              <td>{r.line}</td>
              <td>{r.caseRef ?? ''}</td>
              <td>
                {r.state === 'done' && r.checkId ? (
                  <a href={`/console/checks/${r.checkId}`}>
                    {VERDICT_LABELS[r.verdict as Verdict]} ({r.matches ?? 0})
                  </a>
                ) : r.state === 'waiting' ? (
                  'waiting'
                ) : (
                  `${r.state}: ${r.code ?? ''}`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
