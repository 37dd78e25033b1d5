/** Past checks (searchable, a page at a time), and the administrator's users and audit trail. */
import { VERDICTS } from '../../../protocol/check-verdict.js';
import { VERDICT_LABELS } from '../../check/labels.js';
import type { Check, ConsoleAuditEvent, ConsoleUser } from '../../store/index.js';
import type { UserView } from '../users.js';
import { ROLE_LABELS } from '../roles.js';
import { Layout } from './layout.js';

interface Frame {
  readonly ori: string;
  readonly user: ConsoleUser;
  readonly csrf: string;
}

export function ChecksListPage(
  props: Frame & {
    checks: readonly Check[];
    q: string;
    verdict: string;
    next: string | undefined;
  },
) {
  const nextHref =
    props.next === undefined
      ? undefined
      : `/console/checks?${new URLSearchParams({ q: props.q, verdict: props.verdict, before: props.next }).toString()}`;
  return (
    <Layout title="Past checks" ori={props.ori} user={props.user} csrf={props.csrf}>
      <form method="get" action="/console/checks" id="search-form">
        <label for="q">Consent reference, case file or requester contains</label>
        <input id="q" name="q" value={props.q} maxlength={100} />
        <label for="verdict">Verdict</label>
        <select id="verdict" name="verdict">
          <option value="">any</option>
          {VERDICTS.map((v) => (
            <option value={v} selected={props.verdict === v}>
              {VERDICT_LABELS[v]}
            </option>
          ))}
        </select>
        <button type="submit" id="search">
          Search
        </button>
      </form>
      <table id="checks">
        <thead>
          <tr>
            <th>When</th>
            <th>Requested by</th>
            <th>Consent</th>
            <th>Case file</th>
            <th>Result</th>
            <th>Evidence</th>
          </tr>
        </thead>
        <tbody>
          {props.checks.map((c) => (
            <tr>
              <td>{c.createdAt.toISOString()}</td>
              <td>{c.requestedBy}</td>
              <td>{c.consentRef}</td>
              <td>{c.candidateRef ?? ''}</td>
              <td>
                {c.state === 'answered' && c.verdict ? (
                  <a href={`/console/checks/${c.id}`}>
                    {VERDICT_LABELS[c.verdict]} ({c.matchCount ?? 0})
                  </a>
                ) : (
                  `${c.state}${c.errorCode ? `: ${c.errorCode}` : ''}`
                )}
              </td>
              <td>
                {c.state === 'answered' ? (
                  <a href={`/console/checks/${c.id}/evidence.json`}>evidence.json</a>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.checks.length === 0 ? <p id="no-checks">No check found.</p> : null}
      {nextHref ? (
        <p>
          <a href={nextHref} id="next-page">
            Older checks
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function UsersPage(props: Frame & { users: readonly UserView[] }) {
  return (
    <Layout title="Users" ori={props.ori} user={props.user} csrf={props.csrf}>
      <p>
        Users are added, disabled and given new passwords with <code>spx node user</code> on the
        node's machine.
      </p>
      <table id="users">
        <thead>
          <tr>
            <th>Login</th>
            <th>Name</th>
            <th>Role</th>
            <th>Last sign-in</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => (
            <tr>
              <td>{u.login}</td>
              <td>{u.displayName}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.lastSignInAt ?? 'never'}</td>
              <td>{u.disabledAt ? `disabled ${u.disabledAt}` : 'active'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function AuditPage(props: Frame & { events: readonly ConsoleAuditEvent[] }) {
  return (
    <Layout title="Audit trail" ori={props.ori} user={props.user} csrf={props.csrf}>
      <table id="audit">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Check</th>
            <th>From</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>{e.at.toISOString()}</td>
              <td>{e.login ?? '(unknown login)'}</td>
              <td>{e.action.replace(/_/g, ' ')}</td>
              <td>{e.checkId ?? ''}</td>
              <td>{e.source ?? ''}</td>
              <td>{e.detail ? JSON.stringify(e.detail) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function MessagePage(props: {
  ori: string;
  title: string;
  message: string;
  user?: ConsoleUser | undefined;
  csrf?: string | undefined;
}) {
  return (
    <Layout title={props.title} ori={props.ori} user={props.user} csrf={props.csrf}>
      <p id="message">{props.message}</p>
    </Layout>
  );
}
