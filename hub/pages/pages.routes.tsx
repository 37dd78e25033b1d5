/**
 * The hub's public pages (docs/hub.md "Public pages"), outside /v1: server-rendered HTML with
 * no script, read from the same services as the JSON routes.
 *
 *   GET /                  overview
 *   GET /statistics        the current release: charts, tables, downloads
 *   GET /statistics.csv    the current release's CSV, the signed bytes (an attachment)
 *   GET /coverage          the release's coverage and what it lets it publish
 *   GET /compliance        the public summary of the compliance report (compliance-summary.ts)
 *   GET /log               the transparency log: checkpoint, witnesses, size per day (?days=)
 *   GET /agencies          the registry (?level=&state=&page=)
 *   GET /assets/site.css   the stylesheet
 *
 * Query parameters are checked (page-query.ts): a bad one is a 400 naming the field — an HTML
 * page for a browser, problem+json otherwise.
 */
import { Hono, type Context } from 'hono';
import { lastClosedPeriod, type PeriodLength } from '../../protocol/certification.js';
import { formatTimestamp } from '../../protocol/common.js';
import { isProtocolError } from '../../protocol/decode.js';
import { JURISDICTION_LEVELS } from '../../protocol/registry-entry.js';
import { US_JURISDICTION_CODES } from '../../crypto/us-jurisdictions.js';
import type { ComplianceService } from '../compliance/index.js';
import type { RegistryListingRepository } from '../registry/registry-listing.repository.js';
import type { RegistryService } from '../registry/registry.service.js';
import type { StatisticsRelease, statisticsService } from '../statistics/statistics.service.js';
import { releaseBodyResponse, releaseCsvName } from '../statistics/statistics.routes.js';
import type { LogStatusRepository } from '../tlog/log-status.repository.js';
import type { TransparencyLog } from '../tlog/tlog.service.js';
import { AgenciesPage, AGENCIES_PER_PAGE } from './agencies-page.js';
import { CompliancePage } from './compliance-page.js';
import { publicComplianceSummary, type PublicComplianceSummary } from './compliance-summary.js';
import { CoveragePage } from './coverage-page.js';
import { HomePage } from './home-page.js';
import { pageResponse, PAGE_SECURITY_HEADERS } from './html-response.js';
import { Layout, renderPage } from './layout.js';
import { LogPage } from './log-page.js';
import { integerParam, oneOfParam, parsePageQuery } from './page-query.js';
import { SITE_CSS } from './site-css.js';
import { StatisticsPage } from './statistics-page.js';
import { statisticsView, type ReleaseDocument } from './statistics-view.js';

export interface PagesDeps {
  readonly statistics: ReturnType<typeof statisticsService>;
  /** Names of witnesses. */
  readonly registry: RegistryService;
  /** The agencies page and the overview's count. */
  readonly listing: RegistryListingRepository;
  readonly log: TransparencyLog;
  readonly logStatus: LogStatusRepository;
  readonly compliance: ComplianceService;
  /** SPX_HUB_CERTIFICATION_PERIOD: the compliance summary is of the last closed period. */
  readonly certificationPeriod: PeriodLength;
  /** SPX_HUB_STATS_MIN_CELL: fewer agencies than this, no national eligibility figures. */
  readonly minCell: number;
  /** How long a compliance summary is reused (default 10 minutes): it reads every agency. */
  readonly complianceTtlMs?: number;
  readonly now: () => Date;
}

export const DEFAULT_COMPLIANCE_TTL_MS = 10 * 60_000;
/** The log page's days: at most a year and a day of checkpoints, one row per day. */
export const MAX_LOG_DAYS = 366;
export const DEFAULT_LOG_DAYS = 90;
/** Witnesses listed; a federation has a handful. */
const MAX_WITNESSES = 100;
const MAX_AGENCY_PAGE = 10_000;
const STATES = [...[...US_JURISDICTION_CODES].sort(), 'none'] as const;

export function pagesRoutes(deps: PagesDeps): Hono {
  const app = new Hono();
  const rendered = new WeakMap<StatisticsRelease, { doc: ReleaseDocument; page: string }>();
  let complianceCache:
    { period: string; at: number; summary: Promise<PublicComplianceSummary> } | undefined;

  /** The release's published JSON, parsed once: the page shows nothing else. */
  function statisticsOf(release: StatisticsRelease) {
    let entry = rendered.get(release);
    if (entry === undefined) {
      const doc = JSON.parse(new TextDecoder().decode(release.json.identity)) as ReleaseDocument;
      const page = renderPage(
        <StatisticsPage doc={doc} view={statisticsView(doc)} csvName={releaseCsvName(release)} />,
      );
      entry = { doc, page };
      rendered.set(release, entry);
    }
    return entry;
  }

  const untilNextRelease = (release: StatisticsRelease, at: Date) =>
    (release.window.replacedAt.getTime() - at.getTime()) / 1000;

  const send = (c: Context, body: string, maxAge: number) =>
    pageResponse(body, { maxAge, ifNoneMatch: c.req.header('if-none-match') });

  app.onError((error, c) => {
    const accept = c.req.header('accept') ?? '';
    if (
      !isProtocolError(error) ||
      error.code !== 'VALIDATION_FAILED' ||
      !accept.includes('text/html')
    ) {
      throw error;
    }
    const body = renderPage(
      <Layout title="That address asks for something this page cannot show" path="">
        <p>The page's address has a parameter it does not accept:</p>
        <ul>
          {error.errors.map((e) => (
            <li>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
        <p>
          <a href={c.req.path}>Show the page without parameters</a>.
        </p>
      </Layout>,
    );
    return pageResponse(body, { status: 400, maxAge: 0 });
  });

  app.get('/', async (c) => {
    parsePageQuery(c.req.queries(), {});
    const at = deps.now();
    const [release, checkpoint, agencies] = await Promise.all([
      deps.statistics.release(at),
      deps.log.repo.latestCheckpoint(),
      deps.listing.count(),
    ]);
    const body = renderPage(
      <HomePage
        release={{
          version: release.facts.version,
          asOf: formatTimestamp(release.window.cutoff),
          tier: release.facts.tier,
          coveragePercent: release.facts.coverage.percent,
        }}
        logSize={checkpoint?.size}
        agencies={agencies}
      />,
    );
    return send(c, body, 0);
  });

  app.get('/statistics', async (c) => {
    parsePageQuery(c.req.queries(), {});
    const at = deps.now();
    const release = await deps.statistics.release(at);
    return send(c, statisticsOf(release).page, untilNextRelease(release, at));
  });

  app.get('/statistics.csv', async (c) => {
    parsePageQuery(c.req.queries(), {});
    const at = deps.now();
    const response = releaseBodyResponse(
      c.req.raw,
      await deps.statistics.release(at),
      'csv',
      at,
      'attachment',
    );
    for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) {
      response.headers.set(name, value);
    }
    return response;
  });

  app.get('/coverage', async (c) => {
    parsePageQuery(c.req.queries(), {});
    const at = deps.now();
    const release = await deps.statistics.release(at);
    const body = renderPage(
      <CoveragePage
        coverage={release.facts.coverage}
        tier={release.facts.tier}
        version={release.facts.version}
        asOf={formatTimestamp(release.window.cutoff)}
      />,
    );
    return send(c, body, untilNextRelease(release, at));
  });

  app.get('/compliance', async (c) => {
    parsePageQuery(c.req.queries(), {});
    const at = deps.now();
    const period = lastClosedPeriod(at, deps.certificationPeriod);
    const ttl = deps.complianceTtlMs ?? DEFAULT_COMPLIANCE_TTL_MS;
    if (
      complianceCache === undefined ||
      complianceCache.period !== period ||
      at.getTime() - complianceCache.at >= ttl
    ) {
      // One build at a time per replica: concurrent readers share it.
      const summary = deps.compliance
        .report({ period }, at)
        .then((report) => publicComplianceSummary(report, deps.minCell));
      const entry = { period, at: at.getTime(), summary };
      complianceCache = entry;
      summary.catch(() => {
        if (complianceCache === entry) complianceCache = undefined;
      });
    }
    const summary = await complianceCache.summary;
    return send(c, renderPage(<CompliancePage summary={summary} />), ttl / 1000);
  });

  app.get('/log', async (c) => {
    const query = parsePageQuery(c.req.queries(), { days: integerParam(1, MAX_LOG_DAYS) });
    const days = query.days ?? DEFAULT_LOG_DAYS;
    const at = deps.now();
    const startOfToday = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
    const since = new Date(startOfToday - (days - 1) * 86_400_000);
    const [checkpoint, witnesses, sizes] = await Promise.all([
      deps.log.repo.latestCheckpoint(),
      deps.logStatus.witnesses(MAX_WITNESSES),
      deps.logStatus.dailySizes(since),
    ]);
    const cosignatures =
      checkpoint === undefined
        ? []
        : await deps.logStatus.cosignaturesOf(checkpoint.size, MAX_WITNESSES);
    const names = await deps.registry.findMany([
      ...new Set([...witnesses.map((w) => w.ori), ...cosignatures.map((s) => s.ori)]),
    ]);
    const nameOf = (ori: string) => names.get(ori)?.name ?? ori;
    const seconds = (t: number) => formatTimestamp(new Date(t * 1000));
    const body = renderPage(
      <LogPage
        data={{
          checkpoint:
            checkpoint === undefined
              ? undefined
              : {
                  size: checkpoint.size,
                  root: btoa(String.fromCharCode(...checkpoint.root)),
                  issuedAt: formatTimestamp(checkpoint.issuedAt),
                  note: checkpoint.note,
                },
          cosignatures: cosignatures.map((s) => ({
            ori: s.ori,
            name: nameOf(s.ori),
            keyName: s.keyName,
            at: seconds(s.timestamp),
          })),
          witnesses: witnesses.map((w) => ({
            ori: w.ori,
            name: nameOf(w.ori),
            size: w.size,
            at: seconds(w.timestamp),
            current: checkpoint !== undefined && w.size >= checkpoint.size,
          })),
          days,
          sizes,
        }}
      />,
    );
    return send(c, body, 0);
  });

  app.get('/agencies', async (c) => {
    const query = parsePageQuery(c.req.queries(), {
      level: oneOfParam(JURISDICTION_LEVELS),
      state: oneOfParam(STATES),
      page: integerParam(1, MAX_AGENCY_PAGE),
    });
    const filter = { level: query.level, state: query.state, page: query.page ?? 1 };
    const first = (filter.page - 1) * AGENCIES_PER_PAGE;
    const [entries, total] = await Promise.all([
      deps.listing.page(filter, first, AGENCIES_PER_PAGE),
      deps.listing.count(filter),
    ]);
    const body = renderPage(
      <AgenciesPage entries={entries} total={total} filter={filter} states={STATES} />,
    );
    return send(c, body, 0);
  });

  app.get('/assets/site.css', (c) => {
    parsePageQuery(c.req.queries(), {});
    return pageResponse(SITE_CSS, {
      maxAge: 3600,
      ifNoneMatch: c.req.header('if-none-match'),
      contentType: 'text/css; charset=utf-8',
    });
  });

  return app;
}
