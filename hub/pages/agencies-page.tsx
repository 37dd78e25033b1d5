/**
 * GET /agencies: the registry of participating agencies — name, ORI, jurisdiction level, state,
 * roles and status, as the public registry (GET /v1/registry/agencies) gives them; never
 * anything about officers. Filtered by level and state with a plain GET form, paged.
 */
import { JURISDICTION_LEVELS } from '../../protocol/registry-entry.js';
import type { ListedAgency } from '../registry/registry-listing.repository.js';
import { formatNumber } from './charts.js';
import { Layout } from './layout.js';
import { valueLabel } from './statistics-view.js';

export const AGENCIES_PER_PAGE = 100;

export interface AgencyFilter {
  readonly level?: string | undefined;
  readonly state?: string | undefined;
  readonly page: number;
}

function query(filter: AgencyFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.level !== undefined) params.set('level', filter.level);
  if (filter.state !== undefined) params.set('state', filter.state);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text === '' ? '/agencies' : `/agencies?${text}`;
}

export function AgenciesPage(props: {
  entries: readonly ListedAgency[];
  total: number;
  filter: AgencyFilter;
  states: readonly string[];
}) {
  const { entries, total, filter } = props;
  const pages = Math.max(1, Math.ceil(total / AGENCIES_PER_PAGE));
  const first = (filter.page - 1) * AGENCIES_PER_PAGE;
  return (
    <Layout title="Participating agencies" path="/agencies">
      <p class="lead">
        The agencies enrolled at the hub. Each signs its statements with a key registered here, so
        every statement is attributable to the agency that made it.
      </p>
      <form class="filters" method="get" action="/agencies">
        <label>
          Jurisdiction level
          <select name="level">
            <option value="" selected={filter.level === undefined}>
              All levels
            </option>
            {JURISDICTION_LEVELS.map((l) => (
              <option value={l} selected={filter.level === l}>
                {valueLabel('level', l)}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select name="state">
            <option value="" selected={filter.state === undefined}>
              All states
            </option>
            {props.states.map((s) => (
              <option value={s} selected={filter.state === s}>
                {s === 'none' ? 'No state' : s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      <p role="status">
        {total === 0
          ? 'No agency matches.'
          : entries.length === 0
            ? `Page ${filter.page} is past the last page, ${pages}.`
            : `Agencies ${formatNumber(first + 1)}–${formatNumber(first + entries.length)} of ${formatNumber(total)}.`}
      </p>
      {entries.length === 0 ? null : (
        <table>
          <caption>Participating agencies</caption>
          <thead>
            <tr>
              <th scope="col">Agency</th>
              <th scope="col">ORI</th>
              <th scope="col">Level</th>
              <th scope="col">State</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <th scope="row">{e.name}</th>
                <td>{e.ori}</td>
                <td>{valueLabel('level', e.jurisdiction)}</td>
                <td>{e.state ?? '—'}</td>
                <td>{e.roles.join(', ')}</td>
                <td>{e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav class="pager" aria-label="Pages">
          <ul>
            {filter.page > 1 ? (
              <li>
                <a href={query(filter, filter.page - 1)} rel="prev">
                  Previous page
                </a>
              </li>
            ) : null}
            <li>
              Page {filter.page} of {pages}
            </li>
            {filter.page < pages ? (
              <li>
                <a href={query(filter, filter.page + 1)} rel="next">
                  Next page
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}
