/**
 * The batch check's pages (batch.ts): GET /console/batches/new, POST /console/batches (a CSV
 * upload; every row validated before any check runs) → 303 /console/batches/{id}, whose page
 * shows the progress (reloading itself every 2 s while it runs, no script) and each row's
 * result. Investigators only; a batch's page only to the investigator who started it.
 */
import type { Context, Hono } from 'hono';
import { newStatementId } from '../../protocol/statement-id.js';
import { failureCode, runCheck } from '../check/index.js';
import type { NodeAppDeps } from '../service/app.js';
import {
  batchStore,
  MAX_BATCH_BYTES,
  readBatchFile,
  type BatchJob,
  type BatchRow,
} from './batch.js';
import type { ConsoleContext } from './console-routes.js';
import { BatchFormPage, BatchPage } from './pages/batch.js';

export function registerBatchRoutes(app: Hono, deps: NodeAppDeps, ctx: ConsoleContext): void {
  const { ori } = deps;
  const jobs = batchStore();
  const INVESTIGATOR = ['investigator'] as const;

  async function run(c: Context, job: BatchJob, rows: readonly BatchRow[], login: string) {
    // Taken now: the batch goes on after the answer, when the connection may be gone.
    const source = ctx.clientAddress(c);
    for (const [i, row] of rows.entries()) {
      const at = job.results[i]!;
      try {
        const result = await runCheck({ ...deps, logView: deps.transparency?.view }, row.body);
        if (result.ok) {
          const { check, result: shown } = result.response;
          job.results[i] = {
            ...at,
            state: 'done',
            checkId: check.id,
            verdict: shown.verdict,
            matches: shown.matches.length,
          };
          await ctx.audit(c, login, 'check', {
            checkId: check.id,
            detail: { verdict: shown.verdict, matches: shown.matches.length, batch: job.id },
            source,
          });
        } else {
          job.results[i] = { ...at, state: 'refused', code: result.refusal.code };
          await ctx.audit(c, login, 'check_refused', {
            detail: { code: result.refusal.code, batch: job.id },
            source,
          });
        }
      } catch (e) {
        const code = failureCode(e);
        job.results[i] = { ...at, state: 'failed', code };
        await ctx
          .audit(c, login, 'check_failed', { detail: { code, batch: job.id }, source })
          .catch(() => undefined);
      }
      job.done = i + 1;
    }
    job.finished = true;
  }

  app.get('/console/batches/new', async (c) => {
    const g = await ctx.guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    return ctx.html(c, <BatchFormPage ori={ori} user={g.session.user} csrf={g.session.csrf} />);
  });

  app.post('/console/batches', async (c) => {
    const g = await ctx.guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    const { session } = g;
    const body = await ctx.formOf(c, session);
    if (body === undefined) return ctx.csrfRefused(c, session);
    const frame = { ori, user: session.user, csrf: session.csrf };
    const file = body['file'];
    if (!(file instanceof File) || file.size === 0) {
      return ctx.html(
        c,
        <BatchFormPage {...frame} error="Choose a CSV file of applicants." />,
        400,
      );
    }
    if (file.size > MAX_BATCH_BYTES) {
      return ctx.html(
        c,
        <BatchFormPage
          {...frame}
          error={`The file is larger than ${MAX_BATCH_BYTES / 1024} KiB.`}
        />,
        413,
      );
    }
    if (jobs.running(session.user.login) || jobs.full()) {
      return ctx.html(
        c,
        <BatchFormPage
          {...frame}
          error="A batch of yours is still running: wait for it to finish."
        />,
        409,
      );
    }
    const read = await readBatchFile(
      new Uint8Array(await file.arrayBuffer()),
      session.user.login,
      deps.now(),
    );
    if (!read.ok) {
      await ctx.audit(c, session.user.login, 'check_refused', {
        detail: { batchIssues: read.issues.length },
      });
      return ctx.html(c, <BatchFormPage {...frame} issues={read.issues} />, 422);
    }
    const at = deps.now();
    const job: BatchJob = {
      id: newStatementId(at.getTime(), deps.rng),
      owner: session.user.login,
      createdAt: at,
      results: read.rows.map((r) => ({
        line: r.line,
        caseRef: r.body.candidateRef ?? null,
        state: 'waiting',
      })),
      done: 0,
      finished: false,
    };
    jobs.add(job);
    void run(c, job, read.rows, session.user.login).catch((e: unknown) => {
      job.finished = true;
      deps.log('error', 'console_batch_failed', { error: (e as Error)?.name ?? 'error' });
    });
    return c.redirect(`/console/batches/${job.id}`, 303);
  });

  app.get('/console/batches/:id{[0-9a-f-]{36}}', async (c) => {
    const g = await ctx.guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    const job = jobs.get(c.req.param('id'));
    if (job === undefined || job.owner !== g.session.user.login) {
      return ctx.message(
        c,
        404,
        'No such batch',
        'There is no batch of yours with this id (batches are kept until the node restarts).',
        g.session,
      );
    }
    return ctx.html(
      c,
      <BatchPage ori={ori} user={g.session.user} csrf={g.session.csrf} job={job} />,
    );
  });
}
