/** GET /: what the hub publishes, with the headline figures of each public page. */
import { formatNumber } from './charts.js';
import { Layout } from './layout.js';

export function HomePage(props: {
  release: { version: number; asOf: string; tier: string; coveragePercent: number };
  logSize: number | undefined;
  agencies: number;
}) {
  const r = props.release;
  return (
    <Layout title="Overview" path="/">
      <p class="lead">
        The hub of the Safe Policing Exchange (Executive Order 13929) holds signed statements of
        final misconduct outcomes from participating agencies, answers hiring checks, and publishes
        what follows. None of it names an officer.
      </p>
      <ul>
        <li>
          <a href="/statistics">Released statistics</a>: release No. {r.version}, statements
          received before {r.asOf}, with a CSV download.
        </li>
        <li>
          <a href="/coverage">Coverage</a>: {r.coveragePercent.toFixed(2)} % of sworn officers; this
          release publishes{' '}
          {r.tier === 'full' ? 'counts' : r.tier === 'withheld' ? 'no figures' : 'percentages'}.
        </li>
        <li>
          <a href="/compliance">Compliance summary</a>: how agencies stand for the last closed
          period.
        </li>
        <li>
          <a href="/log">Transparency log</a>:{' '}
          {props.logSize === undefined
            ? 'no checkpoint yet'
            : `${formatNumber(props.logSize)} entries`}
          , with its witnesses.
        </li>
        <li>
          <a href="/agencies">Participating agencies</a>: {formatNumber(props.agencies)} enrolled.
        </li>
      </ul>
    </Layout>
  );
}
