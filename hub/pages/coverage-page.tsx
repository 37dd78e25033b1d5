/**
 * GET /coverage: how much of the country's sworn officers the current release speaks for, and
 * what that lets it publish (protocol/statistics-coverage.ts; docs/statistics.md "Coverage").
 */
import {
  TIER_THRESHOLDS,
  type Coverage,
  type ReleaseTier,
} from '../../protocol/statistics-coverage.js';
import { formatNumber, Gauge } from './charts.js';
import { Facts, Layout } from './layout.js';

const TIER_NAMES: Readonly<Record<ReleaseTier, string>> = {
  withheld: 'Withheld: no figures',
  percentages: 'Percentages of the total',
  rates: 'Percentages and national rates',
  full: 'Full counts',
};

export function CoveragePage(props: {
  coverage: Coverage;
  tier: ReleaseTier;
  version: number;
  asOf: string;
}) {
  const c = props.coverage;
  return (
    <Layout title="Coverage" path="/coverage">
      <p class="lead">
        Coverage is the share of sworn officers, among active agencies whose headcount is known,
        that work for agencies which certified the period {c.period}. It decides what release No.{' '}
        {props.version} (statements received before {props.asOf}) may publish.
      </p>
      <figure class="chart">
        <Gauge
          id="coverage"
          title={`Coverage ${c.percent.toFixed(2)} %`}
          description={`${formatNumber(c.certifiedSworn)} of ${formatNumber(c.knownSworn)} sworn officers are in agencies that certified ${c.period}. Thresholds: ${TIER_THRESHOLDS.percentages} % for percentages, ${TIER_THRESHOLDS.rates} % for rates, ${TIER_THRESHOLDS.full} % for counts.`}
          percent={c.percent}
          marks={[
            {
              at: TIER_THRESHOLDS.percentages,
              label: `${TIER_THRESHOLDS.percentages} % percentages`,
            },
            { at: TIER_THRESHOLDS.rates, label: `${TIER_THRESHOLDS.rates} % rates` },
            { at: TIER_THRESHOLDS.full, label: `${TIER_THRESHOLDS.full} % counts` },
          ]}
        />
      </figure>
      <Facts
        items={[
          ['Coverage', `${c.percent.toFixed(2)} %`],
          ['This release publishes', TIER_NAMES[props.tier]],
          ['Certification period', c.period],
        ]}
      />
      <table>
        <caption>Coverage of release No. {props.version}</caption>
        <tbody>
          <tr>
            <th scope="row">Sworn officers in agencies that certified {c.period}</th>
            <td class="num">{formatNumber(c.certifiedSworn)}</td>
          </tr>
          <tr>
            <th scope="row">Sworn officers in active agencies with a known headcount</th>
            <td class="num">{formatNumber(c.knownSworn)}</td>
          </tr>
          <tr>
            <th scope="row">Active reporting agencies</th>
            <td class="num">{formatNumber(c.agencies)}</td>
          </tr>
          <tr>
            <th scope="row">Of them, certified {c.period}</th>
            <td class="num">{formatNumber(c.certifiedAgencies)}</td>
          </tr>
          <tr>
            <th scope="row">Of them, never certified a headcount (in neither side)</th>
            <td class="num">{formatNumber(c.unknownHeadcount)}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <caption>What each level of coverage publishes</caption>
        <thead>
          <tr>
            <th scope="col">Coverage</th>
            <th scope="col">Published</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>under {TIER_THRESHOLDS.percentages} %</td>
            <td>{TIER_NAMES.withheld}</td>
          </tr>
          <tr>
            <td>
              {TIER_THRESHOLDS.percentages} % to {TIER_THRESHOLDS.rates} %
            </td>
            <td>{TIER_NAMES.percentages}</td>
          </tr>
          <tr>
            <td>
              {TIER_THRESHOLDS.rates} % to {TIER_THRESHOLDS.full} %
            </td>
            <td>{TIER_NAMES.rates}</td>
          </tr>
          <tr>
            <td>{TIER_THRESHOLDS.full} % and over</td>
            <td>{TIER_NAMES.full}</td>
          </tr>
        </tbody>
      </table>
    </Layout>
  );
}
