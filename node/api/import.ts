/**
 * POST /v1/import/officers and /v1/import/outcomes (docs/node.md "API"): a `text/csv` body,
 * `?dryRun=true`; 200 with what the import did or would do, or 422 IMPORT_REJECTED listing the
 * problems row by row — nothing is written then.
 */
import { z } from 'zod';
import { DEFAULT_IMPORT_LIMITS } from '../import/import-result.js';
import { PROBLEM_MEMBERS } from './problem.js';

export const IMPORT_KINDS = ['officers', 'outcomes'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const Count = z.int().nonnegative();

export const ImportSummarySchema = z.object({
  rows: Count,
  inserted: Count,
  updated: Count,
  unchanged: Count,
  outcomesToAttest: Count,
});

export const ImportResponseSchema = z.object({
  ok: z.literal(true),
  dryRun: z.boolean(),
  summary: ImportSummarySchema,
});
export type ImportResponse = z.infer<typeof ImportResponseSchema>;

export const ImportIssueSchema = z.object({
  line: z.int().positive().nullable(),
  field: z.string().max(100).nullable(),
  code: z.string().min(1).max(64),
  message: z.string().max(2000),
});

/** The 422 problem: its `issues` are the first ones by line, `issueCount` all of them. */
export const ImportRejectedSchema = z.object({
  ...PROBLEM_MEMBERS,
  code: z.literal('IMPORT_REJECTED'),
  dryRun: z.boolean(),
  issueCount: Count,
  issues: z.array(ImportIssueSchema).max(DEFAULT_IMPORT_LIMITS.maxIssues),
});
export type ImportRejected = z.infer<typeof ImportRejectedSchema>;
