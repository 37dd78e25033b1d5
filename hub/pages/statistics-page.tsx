/**
 * GET /statistics: the current release's national breakdowns as charts with their tables, the
 * release's facts, and the downloads — the CSV (the signed release's own bytes) and the JSON.
 */
import { TIER_THRESHOLDS } from '../../protocol/statistics-coverage.js';
import { BarChart, formatNumber, readableTime } from './charts.js';
import { Facts, Layout } from './layout.js';
import { type Breakdown, type ReleaseDocument, type StatisticsView } from './statistics-view.js';

const TITLES: Readonly<Record<string, string>> = {
  category: 'By category',
  year: 'By year of the outcome',
  level: 'By jurisdiction level',
};

const HEADERS: Readonly<Record<string, string>> = {
  category: 'Category',
  year: 'Year',
  level: 'Level',
};

const TIER_WORDS: Readonly<Record<string, string>> = {
  full: 'counts',
  rates: 'percentages of the total and national rates per 1,000 sworn officers',
  percentages: 'percentages of the total only',
  withheld: 'no figures',
};

function BreakdownSection(props: { breakdown: Breakdown; view: StatisticsView }) {
  const { breakdown, view } = props;
  const unit = view.measure === 'count' ? 'count' : 'percent';
  const id = `chart-${breakdown.dimension}`;
  const title = TITLES[breakdown.dimension] ?? breakdown.dimension;
  const suppressed = breakdown.bars.filter((b) => b.value === null).length;
  const rates = view.tier === 'rates';
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <figure class="chart">
        <BarChart
          id={id}
          title={`Final outcomes ${title.toLowerCase()}`}
          description={`${unit === 'count' ? 'Counts' : 'Percentages of all outcomes'} for ${breakdown.bars.length} values${suppressed > 0 ? `; ${suppressed} suppressed` : ''}. The same figures are in the table below.`}
          data={breakdown.bars.map((b) => ({ label: b.label, value: b.value }))}
          unit={unit}
        />
      </figure>
      <table>
        <caption>{`${title}: ${unit === 'count' ? 'count' : 'percent of all outcomes'}`}</caption>
        <thead>
          <tr>
            <th scope="col">{HEADERS[breakdown.dimension] ?? breakdown.dimension}</th>
            <th scope="col" class="num">
              {unit === 'count' ? 'Count' : 'Percent'}
            </th>
            {rates ? (
              <th scope="col" class="num">
                Per 1,000 sworn
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {breakdown.bars.map((b) => (
            <tr>
              <th scope="row">{b.label}</th>
              {b.value === null ? (
                <td class="num suppressed">suppressed</td>
              ) : (
                <td class="num">{formatNumber(b.value, unit)}</td>
              )}
              {rates ? (
                <td class="num">
                  {b.ratePer1000 === null || b.ratePer1000 === undefined
                    ? '—'
                    : formatNumber(b.ratePer1000, 'rate')}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function StatisticsPage(props: {
  doc: ReleaseDocument;
  view: StatisticsView;
  csvName: string;
}) {
  const { doc, view } = props;
  const m = doc.metadata;
  const total = view.total;
  return (
    <Layout title="Released statistics" path="/statistics">
      <p class="lead">
        Final misconduct outcomes reported to the hub, counted by the current, final statement of
        each record (EO 13929 sec. 3(d)). Small counts are suppressed, with enough other cells that
        they cannot be worked out; a suppressed figure is shown as “suppressed”, never as a number.
      </p>
      <Facts
        items={[
          ['Release', `No. ${m.version}`],
          ['Counts statements received before', readableTime(m.asOf)],
          ['Next release', readableTime(m.nextAsOf)],
          ['Coverage', `${m.coverage.percent.toFixed(2)} % of sworn officers`],
          ['Publishes', TIER_WORDS[m.tier] ?? m.tier],
          ['Smallest published count', String(m.minCell)],
          ...(total === undefined
            ? []
            : ([
                [
                  'All outcomes',
                  total.value === null
                    ? 'suppressed'
                    : view.measure === 'count'
                      ? formatNumber(total.value)
                      : '100.0 %',
                ],
              ] as [string, string][])),
        ]}
      />
      <p class="downloads">
        <a href="/statistics.csv" download={props.csvName}>
          Download the release as CSV
        </a>
        <a href="/v1/statistics">The release as JSON</a>
        <a href="/v1/statistics/manifest">The signed manifest</a>
      </p>
      {m.tier === 'withheld' ? (
        <p class="notice" role="note">
          This release is withheld: agencies holding fewer than {TIER_THRESHOLDS.percentages} % of
          the known sworn officers certified the period, so no figures are published (see{' '}
          <a href="/coverage">coverage</a>).
        </p>
      ) : null}
      {m.tier === 'percentages' || m.tier === 'rates' ? (
        <p class="notice" role="note">
          Coverage is below {TIER_THRESHOLDS.full} %: this release gives percentages of the total
          instead of counts (see <a href="/coverage">coverage</a>).
        </p>
      ) : null}
      {m.noise === undefined ? null : (
        <p class="notice" role="note">
          The counts of this release carry calibrated random noise (differential privacy).
        </p>
      )}
      {view.breakdowns.map((b) => (
        <BreakdownSection breakdown={b} view={view} />
      ))}
    </Layout>
  );
}
