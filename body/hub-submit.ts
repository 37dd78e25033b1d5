/**
 * Sending a body's signed statement to the hub (docs/api.md "Credentials"): one POST with a
 * request token signed by the body's key (`iss` the body id, docs/protocol.md §7), the answer
 * read with a size bound and a deadline. A refusal comes back as the hub's problem code, its
 * detail and its field errors; redirects are never followed (the token is bound to one path).
 */
import { utf8 } from '../crypto/encoding.js';
import { createRequestToken, formatAuthorization } from '../crypto/request-auth/index.js';
import type { SigningKey } from '../crypto/signing/index.js';
import { readBodyText, withDeadline } from '../platform/http/deadline.js';
import { CredentialReceiptSchema, type CredentialReceipt } from '../protocol/credential-api.js';
import { ProblemDetailsSchema } from '../protocol/problem.js';
import type { Rng } from '../protocol/statement-id.js';

export const HUB_AUDIENCE = 'spx-hub';
const TIMEOUT_MS = 30_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export type SubmitOutcome =
  | { readonly ok: true; readonly receipt: CredentialReceipt }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly fields: readonly string[];
    };

export interface SubmitDeps {
  readonly hubUrl: string;
  readonly body: string;
  readonly key: SigningKey;
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly rng: Rng;
}

/** Posts `{ [member]: jws }` to `path` (`/v1/credentials` or `/v1/credentials/revocations`). */
export async function submitToHub(
  deps: SubmitDeps,
  path: '/v1/credentials' | '/v1/credentials/revocations',
  member: 'credential' | 'revocation',
  jws: string,
): Promise<SubmitOutcome> {
  const url = new URL(deps.hubUrl);
  const fullPath = `${url.pathname.replace(/\/$/, '')}${path}`;
  const bytes = utf8(JSON.stringify({ [member]: jws }));
  const token = await createRequestToken({
    key: deps.key,
    issuer: deps.body,
    audience: HUB_AUDIENCE,
    method: 'POST',
    path: fullPath,
    body: bytes,
    now: deps.now(),
    rng: deps.rng,
  });
  const fail = (code: string, message: string): SubmitOutcome => ({
    ok: false,
    code,
    message,
    fields: [],
  });
  let answer: { status: number; text: string | undefined };
  try {
    answer = await withDeadline(
      TIMEOUT_MS,
      () => new Error('timeout'),
      async (signal) => {
        const res = await deps.fetch(new URL(fullPath, url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: formatAuthorization(token),
          },
          body: bytes,
          redirect: 'manual',
          signal,
        });
        const text = await readBodyText(res, MAX_ANSWER_BYTES);
        return { status: res.status, text: text.ok ? text.text : undefined };
      },
    );
  } catch (e) {
    return fail('HUB_UNREACHABLE', `no answer from ${url.origin} (${(e as Error).message})`);
  }
  const json = parse(answer.text);
  if (answer.status === 200 || answer.status === 201) {
    const receipt = CredentialReceiptSchema.safeParse(json);
    return receipt.success
      ? { ok: true, receipt: receipt.data }
      : fail(
          'HUB_ANSWER_INVALID',
          'the hub accepted the statement but its receipt is not readable',
        );
  }
  const problem = ProblemDetailsSchema.safeParse(json);
  if (!problem.success) return fail('HUB_ANSWER_INVALID', `the hub answered HTTP ${answer.status}`);
  return {
    ok: false,
    code: problem.data.code,
    message: problem.data.detail,
    fields: (problem.data.errors ?? []).map((e) => `${e.field}: ${e.code} — ${e.message}`),
  };
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
