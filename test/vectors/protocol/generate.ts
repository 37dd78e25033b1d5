/**
 * Regenerates the vectors of this folder:
 *
 *   npx tsx test/vectors/protocol/generate.ts
 *
 * Each builder returns cases whose expected results are written by hand in *-cases.ts; the
 * builder refuses to write a file if the implementation disagrees with any of them.
 * test/conformance/protocol.test.ts rebuilds every file and compares it with the committed one,
 * then runs every case, so a change of behaviour or of the vectors shows up as a failure.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  CATEGORY_LIST_V1,
  computeVerdict,
  FIELD_ERROR_CODES,
  PROBLEM_CODE_LIST,
  PROBLEM_CODES,
  PROBLEM_TYPE_PREFIX,
  PROTOCOL_VERSION,
  isRestatement,
  RETENTION_TABLE_V1,
  retentionDue,
  retentionDueDate,
  supersessionErrors,
} from '../../../protocol/index.js';
import { decodeOutcome } from '../../../protocol/outcome.js';
import { buildLifecycle } from './lifecycle-cases.js';
import { buildMessageCases, MESSAGE_SCHEMAS } from './message-cases.js';
import { buildRetentionCases } from './retention-cases.js';
import { buildVerdictCases } from './verdict-cases.js';

function agree(what: string, got: unknown, want: unknown): void {
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(want)))) {
    throw new Error(
      `${what}: implementation gives ${JSON.stringify(got)}, vector expects ${JSON.stringify(want)}`,
    );
  }
}

function messages() {
  const cases = buildMessageCases();
  for (const c of cases)
    agree(
      `${c.message} / ${c.name}`,
      decodeOutcome(MESSAGE_SCHEMAS[c.message]!, c.input),
      c.expect,
    );
  return { protocolVersion: PROTOCOL_VERSION, cases };
}

function verdicts() {
  const cases = buildVerdictCases();
  for (const c of cases)
    agree(`verdict / ${c.name}`, computeVerdict(c.matches, c.policy, c.checkedAt), c.expect);
  return { cases };
}

function lifecycle() {
  const l = buildLifecycle();
  for (const c of l.supersession) {
    agree(
      `supersession / ${c.name}`,
      supersessionErrors(c.previous, c.next).map((e) => `${e.field}: ${e.code}`),
      c.expect,
    );
    agree(`re-statement / ${c.name}`, isRestatement(c.previous, c.next), c.restatement);
  }
  return l;
}

function problemCodes() {
  return {
    typePrefix: PROBLEM_TYPE_PREFIX,
    codes: PROBLEM_CODE_LIST.map((code) => ({ code, ...PROBLEM_CODES[code] })),
    fieldErrorCodes: FIELD_ERROR_CODES,
  };
}

function categories() {
  return { categoryList: 1, categories: CATEGORY_LIST_V1 };
}

function retentionTable() {
  return RETENTION_TABLE_V1;
}

function retention() {
  const cases = buildRetentionCases();
  for (const c of cases) {
    const now = new Date(`${c.today}T00:00:00Z`);
    agree(
      `retention / ${c.name}`,
      {
        dueDate: retentionDueDate(c.statement, c.reporter, RETENTION_TABLE_V1),
        due: retentionDue(c.statement, c.reporter, now, RETENTION_TABLE_V1),
      },
      c.expect,
    );
  }
  return { retentionTable: RETENTION_TABLE_V1.version, cases };
}

export const GENERATED: Record<string, () => unknown> = {
  'messages.json': messages,
  'verdicts.json': verdicts,
  'lifecycle.json': lifecycle,
  'problem-codes.json': problemCodes,
  'categories-v1.json': categories,
  'retention-v1.json': retentionTable,
  'retention.json': retention,
};

export function render(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function main(): void {
  for (const [file, build] of Object.entries(GENERATED)) {
    const url = new URL(file, import.meta.url);
    writeFileSync(url, render(build()));
    console.log(`wrote ${fileURLToPath(url)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
