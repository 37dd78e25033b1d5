/**
 * GET /compliance: the public summary of the compliance report for the last closed period
 * (compliance-summary.ts says what is public and why).
 */
import { ELIGIBILITY_REASONS } from '../../protocol/compliance.js';
import { formatNumber } from './charts.js';
import {
  ADMINISTRATIVE_REASONS,
  conditionOf,
  type PublicComplianceSummary,
} from './compliance-summary.js';
import { Facts, Layout } from './layout.js';
import { valueLabel } from './statistics-view.js';

const CONDITIONS = ['agency', 'credential', 'certification'] as const;
const CONDITION_TITLES: Readonly<Record<string, string>> = {
  agency: 'Registry status',
  credential: 'Credential',
  certification: 'Certification of the period',
};

export function CompliancePage(props: { summary: PublicComplianceSummary }) {
  const s = props.summary;
  const all = s.levels.find((l) => l.level === 'all');
  const levels = s.levels.filter((l) => l.level !== 'all');
  return (
    <Layout title="Compliance summary" path="/compliance">
      <p class="lead">
        How the law enforcement agencies stand for the period {s.period} under eligibility rule{' '}
        {s.rule} (EO 13929 secs. 2(b) and 3(c)), as of {s.asOf}. Counts of agencies only: the
        per-agency report goes to the Department of Justice, signed by the hub.
      </p>
      <Facts
        items={[
          ['Period', s.period],
          ['Agencies', formatNumber(all?.agencies ?? 0)],
          [
            'Eligible for grants',
            s.national === null ? 'not published' : formatNumber(s.national.eligible),
          ],
          [
            'Not eligible',
            s.national === null ? 'not published' : formatNumber(s.national.ineligible),
          ],
        ]}
      />
      {s.national === null ? (
        <p class="notice" role="note">
          Eligibility and the timeliness of reports are published only when at least {s.minAgencies}{' '}
          agencies are listed: with fewer, they would tell how one agency's officers' cases went.
        </p>
      ) : (
        <table>
          <caption>Timeliness of reported final decisions (national)</caption>
          <tbody>
            <tr>
              <th scope="row">Agencies meeting the reports condition</th>
              <td class="num">{formatNumber(s.national.reportsMet)}</td>
            </tr>
            <tr>
              <th scope="row">Agencies barred: {ELIGIBILITY_REASONS.reports_late.words}</th>
              <td class="num">{formatNumber(s.national.reportsLate)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {CONDITIONS.map((condition) => {
        const codes = ADMINISTRATIVE_REASONS.filter((c) => conditionOf(c) === condition);
        return (
          <section aria-labelledby={`condition-${condition}`}>
            <h2 id={`condition-${condition}`}>{CONDITION_TITLES[condition]}</h2>
            <table>
              <caption>{`${CONDITION_TITLES[condition]}: agencies by reason and jurisdiction level`}</caption>
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Effect</th>
                  {levels.map((l) => (
                    <th scope="col" class="num">
                      {valueLabel('level', l.level)}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    All
                  </th>
                </tr>
              </thead>
              <tbody>
                {codes.map((code) => (
                  <tr>
                    <th scope="row">{ELIGIBILITY_REASONS[code].words}</th>
                    <td>{ELIGIBILITY_REASONS[code].effect === 'bars' ? 'bars' : 'meets'}</td>
                    {levels.map((l) => (
                      <td class="num">{formatNumber(l.reasons[code])}</td>
                    ))}
                    <td class="num">{formatNumber(all?.reasons[code] ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </Layout>
  );
}
