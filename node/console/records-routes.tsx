/**
 * The records officer's pages (docs/node.md "Console"): the overview — counts, the outbox, the
 * open transparency-log alerts, the inbox —, a CSV import whose rejection lists every bad row by
 * line and column (node/import: nothing is written unless the whole file is good), and a
 * publish that runs in the node with its progress shown (the page reloads itself, no script).
 * The import and publish are the API's own (node/import, publish-route.ts nodePublisher).
 */
import type { Hono } from 'hono';
import { newStatementId } from '../../protocol/statement-id.js';
import { isClientError } from '../clients/index.js';
import { importOfficers, importOutcomes } from '../import/index.js';
import {
  attestationsRepository,
  inboxRepository,
  logRepository,
  officersRepository,
  outboxRepository,
  outcomesRepository,
} from '../store/index.js';
import { isTokenizeError } from '../tokenize/index.js';
import type { ConsoleContext, ConsoleDeps } from './console-routes.js';
import { ImportPage, PublishPage, RecordsPage, type PublishJob } from './pages/records.js';

/** The largest CSV the console takes (the API takes up to SPX_NODE's 64 MiB). */
export const MAX_CONSOLE_IMPORT_BYTES = 16 * 1024 * 1024;

export function registerRecordsRoutes(app: Hono, deps: ConsoleDeps, ctx: ConsoleContext): void {
  const { db, ori, now } = deps;
  const OFFICER = ['records_officer'] as const;
  const jobs = new Map<string, PublishJob>();

  app.get('/console/records', async (c) => {
    const g = await ctx.guard(c, OFFICER);
    if ('response' in g) return g.response;
    const overview = {
      officers: await officersRepository(db).count(),
      outcomes: await outcomesRepository(db).count(),
      neverAttested: await outcomesRepository(db).countNeverAttested(),
      attestations: await attestationsRepository(db).countByDelivery(),
      outbox: await outboxRepository(db).countByState(),
      outboxDue: await outboxRepository(db).countDue(now()),
      alerts: await logRepository(db).openAlerts(50),
      inbox: await inboxRepository(db).list({ limit: 20 }),
    };
    return ctx.html(
      c,
      <RecordsPage ori={ori} user={g.session.user} csrf={g.session.csrf} overview={overview} />,
    );
  });

  app.get('/console/records/import', async (c) => {
    const g = await ctx.guard(c, OFFICER);
    if ('response' in g) return g.response;
    return ctx.html(c, <ImportPage ori={ori} user={g.session.user} csrf={g.session.csrf} />);
  });

  app.post('/console/records/import', async (c) => {
    const g = await ctx.guard(c, OFFICER);
    if ('response' in g) return g.response;
    const { session } = g;
    const body = await ctx.formOf(c, session);
    if (body === undefined) return ctx.csrfRefused(c, session);
    const frame = { ori, user: session.user, csrf: session.csrf };
    const kind = body['kind'] === 'outcomes' ? 'outcomes' : 'officers';
    const dryRun = body['dryRun'] === 'true';
    const file = body['file'];
    if (!(file instanceof File) || file.size === 0) {
      return ctx.html(c, <ImportPage {...frame} kind={kind} error="Choose a CSV file." />, 400);
    }
    const run = kind === 'outcomes' ? importOutcomes : importOfficers;
    const result = await run(db, new Uint8Array(await file.arrayBuffer()), {
      now,
      dryRun,
      limits: { maxFileBytes: MAX_CONSOLE_IMPORT_BYTES },
    });
    await ctx.audit(c, session.user.login, 'records_import', {
      detail: {
        kind,
        dryRun,
        ok: result.ok,
        ...(result.ok ? { rows: result.summary.rows } : { issues: result.issueCount }),
      },
    });
    if (!result.ok) {
      return ctx.html(
        c,
        <ImportPage {...frame} kind={kind} issues={result.issues} issueCount={result.issueCount} />,
        422,
      );
    }
    return ctx.html(
      c,
      <ImportPage {...frame} kind={kind} summary={result.summary} dryRun={dryRun} />,
    );
  });

  app.post('/console/records/publish', async (c) => {
    const g = await ctx.guard(c, OFFICER);
    if ('response' in g) return g.response;
    const { session } = g;
    if ((await ctx.formOf(c, session)) === undefined) return ctx.csrfRefused(c, session);
    const refused = await deps.publisher.epochRefused();
    if (refused !== undefined) {
      const problem = (await refused.json()) as { detail?: string };
      return ctx.message(c, 409, 'Not published', problem.detail ?? 'EPOCH_NOT_SERVED', session);
    }
    const at = now();
    const job: PublishJob = {
      id: newStatementId(at.getTime(), deps.rng),
      owner: session.user.login,
      phase: 'sign',
      done: 0,
      total: 0,
      finished: false,
    };
    if (jobs.size >= 20) jobs.delete(jobs.keys().next().value!);
    jobs.set(job.id, job);
    await ctx.audit(c, session.user.login, 'records_publish', {});
    void deps.publisher
      .run({}, ({ phase, done, total }) => {
        job.phase = phase;
        job.done = done;
        job.total = total;
      })
      .then((r) => {
        job.result = `Signed ${r.publish.signed} statements of ${r.publish.considered} outcomes; the hub accepted ${r.delivery.accepted}, refused ${r.delivery.rejected}; ${r.delivery.retrying} waiting to retry.`;
      })
      .catch((e: unknown) => {
        const code = isTokenizeError(e) || isClientError(e) ? e.code : 'INTERNAL_ERROR';
        job.error = `Publishing stopped (${code}); nothing of the unfinished page was written. Try again later.`;
      })
      .finally(() => (job.finished = true));
    return c.redirect(`/console/records/publish/${job.id}`, 303);
  });

  app.get('/console/records/publish/:id{[0-9a-f-]{36}}', async (c) => {
    const g = await ctx.guard(c, OFFICER);
    if ('response' in g) return g.response;
    const job = jobs.get(c.req.param('id'));
    if (job === undefined) {
      return ctx.message(c, 404, 'No such run', 'There is no publish run with this id.', g.session);
    }
    return ctx.html(
      c,
      <PublishPage ori={ori} user={g.session.user} csrf={g.session.csrf} job={job} />,
    );
  });
}
