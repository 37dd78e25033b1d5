/**
 * The investigator's pages (docs/node.md "Console", "Checking a candidate"): the candidate
 * form, the check run by node/check/run-check.ts, the result and the printable verified result
 * built from the check's stored evidence (verified again each time), past checks, and the
 * evidence download. Every check and download is in the console audit trail.
 */
import type { Context, Hono } from 'hono';
import { CheckEvidenceSchema } from '../../protocol/check-evidence.js';
import { VERDICTS, type Verdict } from '../../protocol/check-verdict.js';
import { failureCode, runCheck, verifyCheckEvidence } from '../check/index.js';
import { isNodeError } from '../errors.js';
import { checksRepository, type Check } from '../store/index.js';
import { formErrors, formValues, parseCheckForm } from './check-form.js';
import type { ConsoleContext, ConsoleDeps } from './console-routes.js';
import type { ActiveSession } from './session.js';
import { CheckFormPage } from './pages/check-form.js';
import { CheckResultPage } from './pages/check-result.js';
import { ChecksListPage } from './pages/lists.js';

/** Past checks per page. */
export const CHECKS_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function registerCheckPages(app: Hono, deps: ConsoleDeps, ctx: ConsoleContext): void {
  const { db, ori } = deps;
  const { guard, formOf, csrfRefused, html, message, audit } = ctx;
  const INVESTIGATOR = ['investigator'] as const;

  app.get('/console/checks/new', async (c) => {
    const g = await guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    return html(c, <CheckFormPage ori={ori} user={g.session.user} csrf={g.session.csrf} />);
  });

  app.post('/console/checks', async (c) => {
    const g = await guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    const { session } = g;
    const body = await formOf(c, session);
    if (body === undefined) return csrfRefused(c, session);
    const values = formValues(body);
    const again = (errors: Record<string, string>, status: number) =>
      html(
        c,
        <CheckFormPage
          ori={ori}
          user={session.user}
          csrf={session.csrf}
          values={values}
          errors={errors}
        />,
        status,
      );
    const parsed = parseCheckForm(values, session.user.login);
    if (!parsed.ok) {
      await audit(c, session.user.login, 'check_refused', {
        detail: { fields: Object.keys(parsed.errors) },
      });
      return again(parsed.errors, 400);
    }
    let result;
    try {
      result = await runCheck({ ...deps, logView: deps.transparency?.view }, parsed.body);
    } catch (e) {
      const code = failureCode(e);
      await audit(c, session.user.login, 'check_failed', { detail: { code } });
      if (code === 'INTERNAL_ERROR') throw e;
      return again(
        {
          form: `The check could not be completed (${code}): the keyholders or the hub did not answer as they should. Nothing was decided; try again later.`,
        },
        503,
      );
    }
    if (!result.ok) {
      const errors = formErrors(result.refusal.errors, values);
      await audit(c, session.user.login, 'check_refused', {
        detail: { code: result.refusal.code, fields: Object.keys(errors) },
      });
      return again(errors, result.refusal.code === 'VALIDATION_FAILED' ? 400 : 422);
    }
    const { check } = result.response;
    await audit(c, session.user.login, 'check', {
      checkId: check.id,
      detail: {
        verdict: result.response.result.verdict,
        matches: result.response.result.matches.length,
      },
    });
    return c.redirect(`/console/checks/${check.id}`, 303);
  });

  app.get('/console/checks', async (c) => {
    const g = await guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const verdictParam = c.req.query('verdict') ?? '';
    const verdict = (VERDICTS as readonly string[]).includes(verdictParam)
      ? (verdictParam as Verdict)
      : undefined;
    const beforeParam = c.req.query('before');
    const beforeId = beforeParam !== undefined && UUID.test(beforeParam) ? beforeParam : undefined;
    const rows = await checksRepository(db).search({
      text: q,
      verdict,
      beforeId,
      limit: CHECKS_PAGE + 1,
    });
    const page = rows.slice(0, CHECKS_PAGE);
    return html(
      c,
      <ChecksListPage
        ori={ori}
        user={g.session.user}
        csrf={g.session.csrf}
        checks={page}
        q={q}
        verdict={verdict ?? ''}
        next={rows.length > CHECKS_PAGE ? page[page.length - 1]!.id : undefined}
      />,
    );
  });

  /** The stored check with its evidence, for the result, print and download routes. */
  async function storedCheck(c: Context, s: ActiveSession) {
    const id = c.req.param('id') ?? '';
    let check: Check;
    try {
      if (!UUID.test(id)) throw new Error('not a check id');
      check = await checksRepository(db).get(id);
    } catch (e) {
      if (e instanceof Error && (isNodeError(e) || e.message === 'not a check id')) {
        return {
          response: await message(c, 404, 'No such check', 'There is no check with this id.', s),
        };
      }
      throw e;
    }
    const evidence = CheckEvidenceSchema.safeParse(check.evidence);
    if (check.state !== 'answered' || !evidence.success) {
      return {
        response: await message(
          c,
          404,
          'No result',
          `Check ${check.id} has no verified answer to show (state: ${check.state}).`,
          s,
        ),
      };
    }
    return { check, evidence: evidence.data };
  }

  const resultRoute = (print: boolean) => async (c: Context) => {
    const g = await guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    const found = await storedCheck(c, g.session);
    if ('response' in found) return found.response;
    const verification = await verifyCheckEvidence(found.evidence, { requester: ori });
    if (!verification.ok) {
      return message(
        c,
        500,
        'Evidence does not verify',
        `The stored evidence of check ${found.check.id} no longer verifies (${verification.code}).`,
        g.session,
      );
    }
    return html(
      c,
      <CheckResultPage
        ori={ori}
        user={g.session.user}
        csrf={g.session.csrf}
        check={found.check}
        result={verification.presentation}
        verifiedAt={found.evidence.verifiedAt}
        print={print}
      />,
    );
  };
  app.get('/console/checks/:id{[0-9a-f-]{36}}', resultRoute(false));
  app.get('/console/checks/:id{[0-9a-f-]{36}}/print', resultRoute(true));

  app.get('/console/checks/:id{[0-9a-f-]{36}}/evidence.json', async (c) => {
    const g = await guard(c, INVESTIGATOR);
    if ('response' in g) return g.response;
    const found = await storedCheck(c, g.session);
    if ('response' in found) return found.response;
    await audit(c, g.session.user.login, 'evidence_downloaded', { checkId: found.check.id });
    return c.body(`${JSON.stringify(found.evidence, null, 2)}\n`, 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="check-${found.check.id}-evidence.json"`,
    });
  });
}
