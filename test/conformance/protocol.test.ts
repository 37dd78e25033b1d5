/**
 * Conformance: every vector file of test/vectors/protocol/ (see its README.md). Each file is
 * rebuilt by its generator and compared with the committed bytes, then every case is run
 * through the implementation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_TRANSITIONS,
  CATEGORY_LIST_V1,
  computeVerdict,
  FIELD_ERROR_CODES,
  isAllowedTransition,
  PROBLEM_CODES,
  problem,
  isRestatement,
  RETENTION_TABLE_V1,
  retentionDue,
  retentionDueDate,
  supersessionErrors,
  type AttestationPayload,
  type AttestationStatus,
  type CheckPolicy,
  type ReportingJurisdiction,
  type RetainedStatement,
  type ProblemCode,
  type VerdictInput,
} from '../../protocol/index.js';
import { decodeOutcome, type Outcome } from '../../protocol/outcome.js';
import { GENERATED, render } from '../vectors/protocol/generate.js';
import { MESSAGE_SCHEMAS } from '../vectors/protocol/message-cases.js';

const dir = new URL('../vectors/protocol/', import.meta.url);
const text = (file: string) => readFileSync(new URL(file, dir), 'utf8');
const load = <T>(file: string): T => JSON.parse(text(file)) as T;

it('every vector file of the protocol area is generated and run here', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  expect(files).toEqual(Object.keys(GENERATED).sort());
});

describe('committed vectors equal what the generator builds', () => {
  for (const [file, build] of Object.entries(GENERATED)) {
    it(file, () => {
      expect(text(file)).toBe(render(build()));
    });
  }
});

describe('messages.json', () => {
  const { cases } = load<{
    cases: { name: string; message: string; input: unknown; expect: Outcome }[];
  }>('messages.json');

  it('covers every message and both outcomes', () => {
    expect(new Set(cases.map((c) => c.message))).toEqual(new Set(Object.keys(MESSAGE_SCHEMAS)));
    expect(cases.some((c) => c.expect.ok)).toBe(true);
    expect(cases.some((c) => !c.expect.ok)).toBe(true);
  });

  for (const c of cases) {
    it(`${c.message}: ${c.name}`, () => {
      const schema = MESSAGE_SCHEMAS[c.message];
      expect(schema).toBeDefined();
      expect(decodeOutcome(schema!, c.input)).toEqual(c.expect);
    });
  }
});

describe('verdicts.json', () => {
  const { cases } = load<{
    cases: {
      name: string;
      policy: CheckPolicy;
      checkedAt: string;
      matches: VerdictInput[];
      expect: unknown;
    }[];
  }>('verdicts.json');
  for (const c of cases) {
    it(c.name, () => {
      expect(computeVerdict(c.matches, c.policy, c.checkedAt)).toEqual(c.expect);
    });
  }
});

describe('lifecycle.json', () => {
  const l = load<{
    allowedTransitions: Record<AttestationStatus, AttestationStatus[]>;
    supersession: {
      name: string;
      previous: AttestationPayload;
      next: AttestationPayload;
      expect: string[];
      restatement: boolean;
    }[];
  }>('lifecycle.json');

  it('lists exactly the allowed status transitions', () => {
    expect(l.allowedTransitions).toEqual(ALLOWED_TRANSITIONS);
    for (const [from, tos] of Object.entries(l.allowedTransitions)) {
      for (const to of Object.keys(ALLOWED_TRANSITIONS) as AttestationStatus[]) {
        expect(isAllowedTransition(from as AttestationStatus, to)).toBe(tos.includes(to));
      }
    }
  });

  for (const c of l.supersession) {
    it(`supersession: ${c.name}`, () => {
      expect(supersessionErrors(c.previous, c.next).map((e) => `${e.field}: ${e.code}`)).toEqual(
        c.expect,
      );
      expect(isRestatement(c.previous, c.next)).toBe(c.restatement);
    });
  }
});

describe('problem-codes.json', () => {
  const p = load<{
    typePrefix: string;
    codes: { code: ProblemCode; status: number; title: string }[];
    fieldErrorCodes: string[];
  }>('problem-codes.json');
  it('gives each code its status, title and type URI', () => {
    expect(p.codes.length).toBe(Object.keys(PROBLEM_CODES).length);
    for (const { code, status, title } of p.codes) {
      expect(problem(code, 'd')).toMatchObject({ type: p.typePrefix + code, status, title, code });
    }
    expect(p.fieldErrorCodes).toEqual(FIELD_ERROR_CODES);
  });
});

describe('categories-v1.json', () => {
  it('is category list 1', () => {
    expect(load<{ categories: unknown }>('categories-v1.json').categories).toEqual(
      CATEGORY_LIST_V1,
    );
  });
});

describe('retention-v1.json', () => {
  it('is retention table 1', () => {
    expect(load<unknown>('retention-v1.json')).toEqual(RETENTION_TABLE_V1);
  });
});

describe('retention.json', () => {
  const { cases } = load<{
    cases: {
      name: string;
      statement: RetainedStatement;
      reporter: ReportingJurisdiction;
      today: string;
      expect: { dueDate: string | null; due: boolean };
    }[];
  }>('retention.json');
  for (const c of cases) {
    it(c.name, () => {
      const now = new Date(`${c.today}T00:00:00Z`);
      expect(retentionDueDate(c.statement, c.reporter, RETENTION_TABLE_V1)).toBe(c.expect.dueDate);
      expect(retentionDue(c.statement, c.reporter, now, RETENTION_TABLE_V1)).toBe(c.expect.due);
    });
  }
});
