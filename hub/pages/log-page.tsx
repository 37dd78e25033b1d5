/**
 * GET /log: the transparency log's status — its latest signed checkpoint with the witnesses'
 * cosignatures, every witness's latest cosignature, and the log's size per day.
 */
import { ColumnChart, formatNumber } from './charts.js';
import { Facts, Layout } from './layout.js';

export interface LogPageData {
  readonly checkpoint:
    | {
        readonly size: number;
        readonly root: string;
        readonly issuedAt: string;
        readonly note: string;
      }
    | undefined;
  readonly cosignatures: readonly { ori: string; name: string; keyName: string; at: string }[];
  readonly witnesses: readonly {
    ori: string;
    name: string;
    size: number;
    at: string;
    current: boolean;
  }[];
  readonly days: number;
  readonly sizes: readonly { day: string; size: number }[];
}

export function LogPage(props: { data: LogPageData }) {
  const { checkpoint, cosignatures, witnesses, sizes, days } = props.data;
  return (
    <Layout title="Transparency log" path="/log">
      <p class="lead">
        Every statement, registry change, certification, credential and statistics release the hub
        accepts is a leaf of an append-only Merkle log (RFC 9162). The hub signs checkpoints of it;
        witness agencies check that each extends the last and cosign it, so the hub cannot show
        different histories to different readers.
      </p>
      {checkpoint === undefined ? (
        <p class="notice" role="note">
          The hub has not issued a checkpoint yet.
        </p>
      ) : (
        <>
          <Facts
            items={[
              ['Entries', formatNumber(checkpoint.size)],
              ['Latest checkpoint issued', checkpoint.issuedAt],
              ['Witness cosignatures', formatNumber(cosignatures.length)],
            ]}
          />
          <h2>Latest checkpoint</h2>
          <p>
            Root hash (base64): <code>{checkpoint.root}</code>
          </p>
          <pre class="note" tabindex={0} aria-label="The signed checkpoint note">
            {checkpoint.note}
          </pre>
          <p>
            Fetch it with its cosignatures at <a href="/v1/log/checkpoint">/v1/log/checkpoint</a>;
            proofs at <code>/v1/log/proof/inclusion</code> and{' '}
            <code>/v1/log/proof/consistency</code>.
          </p>
        </>
      )}
      <h2>Witnesses</h2>
      {witnesses.length === 0 ? (
        <p>No witness has cosigned a checkpoint yet.</p>
      ) : (
        <table>
          <caption>Each witness's latest cosignature</caption>
          <thead>
            <tr>
              <th scope="col">Witness</th>
              <th scope="col">ORI</th>
              <th scope="col" class="num">
                Cosigned size
              </th>
              <th scope="col">At</th>
              <th scope="col">Latest checkpoint</th>
            </tr>
          </thead>
          <tbody>
            {witnesses.map((w) => (
              <tr>
                <th scope="row">{w.name}</th>
                <td>{w.ori}</td>
                <td class="num">{formatNumber(w.size)}</td>
                <td>{w.at}</td>
                <td>{w.current ? 'cosigned' : 'not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Size over time</h2>
      {sizes.length === 0 ? (
        <p>No checkpoint in the last {days} days.</p>
      ) : (
        <>
          <figure class="chart">
            <ColumnChart
              id="log-size"
              title={`Log size per day, last ${days} days`}
              description={`The number of entries at the last checkpoint of each day, from ${sizes[0]!.day} (${formatNumber(sizes[0]!.size)}) to ${sizes[sizes.length - 1]!.day} (${formatNumber(sizes[sizes.length - 1]!.size)}). The same figures are in the table below.`}
              data={sizes.map((s) => ({ label: s.day, value: s.size }))}
            />
          </figure>
          <table>
            <caption>Log size at the last checkpoint of each day (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" class="num">
                  Entries
                </th>
              </tr>
            </thead>
            <tbody>
              {sizes.map((s) => (
                <tr>
                  <th scope="row">{s.day}</th>
                  <td class="num">{formatNumber(s.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <nav aria-label="Period shown">
        <p>
          Show the last <a href="/log?days=30">30</a>, <a href="/log?days=90">90</a> or{' '}
          <a href="/log?days=365">365</a> days.
        </p>
      </nav>
    </Layout>
  );
}
