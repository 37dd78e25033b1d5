/**
 * The console's page frame: one stylesheet (screen and print), the navigation of the signed-in
 * user's role, and the sign-out form. No script: every page works without JavaScript.
 */
import type { Child } from 'hono/jsx';
import type { ConsoleUser } from '../../store/index.js';
import { ROLE_LABELS } from '../roles.js';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{background:#12324d;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}header nav{display:flex;gap:1rem;flex-wrap:wrap}header form{margin-left:auto}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
label{display:block;font-weight:600;margin-top:.75rem}
input,select{font:inherit;padding:.3rem;min-width:16rem}
button{font:inherit;padding:.4rem 1rem;margin-top:1rem}
.error{color:#a40000;margin:.2rem 0}
.hint{color:#555;margin:.1rem 0;font-size:.9rem}
fieldset{margin-top:1rem;border:1px solid #bbb}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.verdict{font-size:1.4rem;font-weight:700;padding:.5rem;border:2px solid}
.verdict-record_found{border-color:#a40000}.verdict-review{border-color:#b36b00}.verdict-no_record{border-color:#1d6b2a}
.match{border:1px solid #bbb;padding:.5rem 1rem;margin:.75rem 0;background:#fff}
dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
@media print{header,nav,.no-print{display:none}body{background:#fff;font-size:11pt}main{max-width:none;margin:0}.match{break-inside:avoid}}
`;

export interface LayoutProps {
  readonly title: string;
  readonly user?: ConsoleUser | undefined;
  readonly csrf?: string | undefined;
  readonly ori: string;
  /** Reload the page after this many seconds (a batch's progress, without script). */
  readonly refreshSeconds?: number | undefined;
  readonly children?: Child;
}

function nav(user: ConsoleUser) {
  switch (user.role) {
    case 'investigator':
      return (
        <>
          <a href="/console/checks/new" id="nav-new-check">
            New check
          </a>
          <a href="/console/batches/new" id="nav-batch">
            Batch check
          </a>
          <a href="/console/checks" id="nav-checks">
            Past checks
          </a>
        </>
      );
    case 'administrator':
      return (
        <>
          <a href="/console/admin/users" id="nav-users">
            Users
          </a>
          <a href="/console/admin/audit" id="nav-audit">
            Audit trail
          </a>
        </>
      );
    case 'records_officer':
      return <a href="/console/records">Records</a>;
  }
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · SPX node ${props.ori}`}</title>
        <style>{STYLE}</style>
        {props.refreshSeconds ? (
          <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
        ) : null}
      </head>
      <body>
        <header>
          <strong>SPX node {props.ori}</strong>
          {props.user ? (
            <>
              <nav>{nav(props.user)}</nav>
              <form method="post" action="/console/sign-out">
                <span>
                  {props.user.displayName} ({ROLE_LABELS[props.user.role]}){' '}
                </span>
                <input type="hidden" name="_csrf" value={props.csrf} />
                <button type="submit" id="sign-out">
                  Sign out
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A form field with its label, hint and error beside it (ids stable for browser tests). */
export function Field(props: {
  readonly name: string;
  readonly label: string;
  readonly value?: string | undefined;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly type?: string;
  readonly required?: boolean;
  readonly autocomplete?: string;
}) {
  const describedBy = [
    props.hint ? `${props.name}-hint` : '',
    props.error ? `${props.name}-error` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
      />
      {props.error ? (
        <p class="error" id={`${props.name}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** One row a CSV upload was refused for: where, and what is wrong (never the value). */
export interface FileIssueRow {
  readonly line: number | null;
  readonly column: string | null;
  /** The stable code, where the refusal has one (imports). */
  readonly code?: string;
  readonly message: string;
}

/**
 * The rows a CSV upload was refused for, as a table tied to the file field by its id
 * `file-error` (the field's aria-describedby). A Code column only when the rows carry codes.
 */
export function FileIssues(props: {
  readonly tableId: string;
  readonly lead: string;
  readonly issues: readonly FileIssueRow[];
}) {
  const withCode = props.issues.some((i) => i.code !== undefined);
  return (
    <div id="file-error" role="alert">
      <p class="error">{props.lead}</p>
      <table id={props.tableId}>
        <thead>
          <tr>
            <th>Line</th>
            <th>Column</th>
            {withCode ? <th>Code</th> : null}
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {props.issues.map((i) => (
            <tr>
              <td>{i.line ?? ''}</td>
              <td>{i.column ?? ''}</td>
              {withCode ? <td>{i.code ?? ''}</td> : null}
              <td>{i.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
