/**
 * `spx node import` and `publish` progress bars, against a fake node that streams progress the
 * way the node API does (node/service/app.ts): bars on a terminal, nothing bar-like otherwise,
 * and stdout the same either way.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliError, CliIo } from '../../platform/cli/cli-io.js';
import { looksLikeABar, screen } from '../../platform/cli/test-support/screen.js';
import { registerNodeCommands } from '../cli.js';
import type { ImportRejected, ImportResponse, PublishResponse } from '../api/index.js';
import { MAX_LINE_CHARS, PROGRESS_MEDIA_TYPE } from './progress-fetch.js';

const IMPORTED = {
  ok: true,
  dryRun: false,
  summary: { rows: 3, inserted: 3, updated: 0, unchanged: 0, outcomesToAttest: 0 },
} satisfies ImportResponse;
const IMPORT_PROGRESS = [
  { phase: 'validate', done: 0, total: 3 },
  { phase: 'validate', done: 3, total: 3 },
  { phase: 'write', done: 2, total: 3 },
  { phase: 'write', done: 3, total: 3 },
];
const PUBLISHED = {
  publish: {
    epoch: 1,
    considered: 2,
    signed: 2,
    restated: 0,
    batches: 1,
    waiting: 0,
    rejectedBefore: 0,
    failed: [],
  },
  delivery: { accepted: 2, duplicate: 0, rejected: 0, unverified: 0, retrying: 0 },
} satisfies PublishResponse;
const PUBLISH_PROGRESS = [
  { phase: 'sign', done: 0, total: 2 },
  { phase: 'sign', done: 2, total: 2 },
  { phase: 'send', done: 0, total: 2 },
  { phase: 'send', done: 2, total: 2 },
];
const REJECTED = {
  type: 'about:blank',
  title: 'Unprocessable Content',
  status: 422,
  code: 'IMPORT_REJECTED',
  detail: '1 problem(s) in the file',
  dryRun: false,
  issueCount: 1,
  issues: [{ line: 2, field: 'ssn', code: 'SSN_INVALID_AREA', message: 'area 666' }],
} satisfies ImportRejected;

interface FakeAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly progress: readonly object[];
  /** Replaces the streamed text (for broken streams). */
  readonly raw?: string;
  /** Answers plain JSON even when asked to stream (a node without progress). */
  readonly neverStreams?: boolean;
}

/** A node that answers every request with `answer`; it streams when asked to, in small chunks. */
function fakeNode(answer: FakeAnswer) {
  const accepts: (string | null)[] = [];
  const fakeFetch = (async (_input: string | URL | Request, init?: RequestInit) => {
    const accept = new Headers(init?.headers).get('accept');
    accepts.push(accept);
    if (!accept?.includes(PROGRESS_MEDIA_TYPE) || answer.neverStreams) {
      return Response.json(answer.body, { status: answer.status });
    }
    const text =
      answer.raw ??
      [
        ...answer.progress.map((p) => JSON.stringify({ progress: p })),
        JSON.stringify({ status: answer.status, body: answer.body }),
      ].join('\n') + '\n';
    const bytes = new TextEncoder().encode(text);
    const size = bytes.length > 4096 ? 65536 : 7;
    const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
      bytes.slice(i * size, i * size + size),
    );
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': `${PROGRESS_MEDIA_TYPE}` } });
  }) as typeof globalThis.fetch;
  return { fetch: fakeFetch, accepts };
}

async function cli(args: string[], node: ReturnType<typeof fakeNode>, terminal: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    now: () => new Date('2026-11-27T12:00:00Z'),
    ...(terminal ? { stderrTerminal: { columns: 120 } } : {}),
  };
  const program = new Command('spx').exitOverride();
  registerNodeCommands(program, io, { env: { SPX_NODE_ADMIN_TOKEN: 'token' }, fetch: node.fetch });
  for (const c of program.commands) c.exitOverride();
  let error: unknown;
  try {
    await program.parseAsync(['node', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out: out.join(''), err: err.join(''), error };
}

let csv: string;
beforeAll(async () => {
  csv = join(await mkdtemp(join(tmpdir(), 'spx-progress-')), 'officers.csv');
  await writeFile(csv, 'employee_id\nA\nB\nC\n');
});

describe('spx node import and publish progress', () => {
  it('draws the import phases on a terminal, each ending at its total', async () => {
    const node = fakeNode({ status: 200, body: IMPORTED, progress: IMPORT_PROGRESS });
    const r = await cli(['import', 'officers', csv], node, true);
    expect(r.error).toBeUndefined();
    expect(node.accepts[0]).toContain(PROGRESS_MEDIA_TYPE);
    expect(screen(r.err)).toEqual([
      expect.stringMatching(/^Reading /),
      expect.stringMatching(/^Sending about 3 rows/),
      expect.stringMatching(/^Checking \[=+\] 100% \| 3\/3 rows/),
      expect.stringMatching(/^Writing {2}\[=+\] 100% \| 3\/3 rows/),
    ]);
    expect(r.out).toBe('officers: 3 rows — 3 new, 0 changed, 0 unchanged; 0 outcomes to publish\n');
  });

  it('reads an import file only up to what a node accepts, and sends nothing past it', async () => {
    const node = fakeNode({ status: 200, body: IMPORTED, progress: IMPORT_PROGRESS });
    // An endless file: it used to be read whole into memory (1.65 GB before it was stopped).
    const r = await cli(['import', 'officers', '/dev/zero'], node, false);
    expect(r.error).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect((r.error as Error).message).toContain('over 64 MiB');
    expect(node.accepts).toEqual([]);
  });

  it('draws the publish phases on a terminal', async () => {
    const node = fakeNode({ status: 200, body: PUBLISHED, progress: PUBLISH_PROGRESS });
    const r = await cli(['publish'], node, true);
    expect(r.error).toBeUndefined();
    expect(screen(r.err).slice(1)).toEqual([
      expect.stringMatching(/^Signing \[=+\] 100% \| 2\/2 outcomes/),
      expect.stringMatching(/^Sending \[=+\] 100% \| 2\/2 statements/),
    ]);
    expect(r.out).toContain('Hub: 2 accepted');
  });

  it.each([
    ['with --json', ['--json'], true],
    ['with --no-progress', ['--no-progress'], true],
    ['when stderr is not a terminal', [], false],
  ])('draws nothing %s and does not ask the node to stream', async (_, flags, terminal) => {
    for (const [args, answer] of [
      [['import', 'officers', csv], { status: 200, body: IMPORTED, progress: IMPORT_PROGRESS }],
      [['publish'], { status: 200, body: PUBLISHED, progress: PUBLISH_PROGRESS }],
    ] as const) {
      const node = fakeNode(answer);
      const plain = await cli([...args], fakeNode(answer), false);
      const r = await cli([...args, ...flags], node, terminal);
      expect(r.error).toBeUndefined();
      expect(node.accepts).toEqual([null]);
      expect(looksLikeABar(r.err)).toBe(false);
      if (flags.includes('--json')) expect(JSON.parse(r.out)).toEqual(answer.body);
      else expect(r.out).toBe(plain.out);
    }
  });

  it('prints the same JSON on stdout for a streamed answer as for a plain one', async () => {
    const streamed = fakeNode({ status: 200, body: IMPORTED, progress: IMPORT_PROGRESS });
    const json = await cli(['import', 'officers', csv, '--json'], streamed, false);
    const bars = await cli(['import', 'officers', csv], streamed, true);
    const human = await cli(['import', 'officers', csv], streamed, false);
    expect(JSON.parse(json.out)).toEqual(IMPORTED);
    expect(bars.out).toBe(human.out);
  });

  it('ends the bar and lists every issue when the streamed import is rejected', async () => {
    const node = fakeNode({ status: 422, body: REJECTED, progress: IMPORT_PROGRESS.slice(0, 2) });
    const r = await cli(['import', 'officers', csv], node, true);
    expect((r.error as CliError).code).toBe('IMPORT_REJECTED');
    expect(screen(r.err)).toContainEqual(expect.stringMatching(/^Checking \[=+\] 100% \| 3\/3/));
    expect(r.out).toContain('line 2, ssn: SSN_INVALID_AREA');
  });

  it('works with a node that does not stream, drawing nothing', async () => {
    const node = fakeNode({ status: 200, body: PUBLISHED, progress: [], neverStreams: true });
    const r = await cli(['publish'], node, true);
    expect(r.error).toBeUndefined();
    expect(node.accepts[0]).toContain(PROGRESS_MEDIA_TYPE);
    expect(looksLikeABar(r.err)).toBe(false);
    expect(r.out).toContain('Hub: 2 accepted');
  });

  it.each([
    ['a malformed line', '{"progress":{"phase":"sign","done":-1,"total":2}}\n'],
    ['a line that is not JSON', '{"progress":\n'],
    ['a stream without its answer', '{"progress":{"phase":"sign","done":1,"total":2}}\n'],
    ['a line over the limit', `{"status":200,"body":{"x":"${'a'.repeat(MAX_LINE_CHARS)}`],
  ])('refuses %s as RESPONSE_INVALID', async (_, raw) => {
    const node = fakeNode({ status: 200, body: PUBLISHED, progress: [], raw });
    const r = await cli(['publish'], node, true);
    expect((r.error as CliError).code).toBe('RESPONSE_INVALID');
    expect(r.out).toBe('');
  });
});
