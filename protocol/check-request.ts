/**
 * The check request (docs/protocol.md §5.7): a hiring node asks the hub which attestations
 * share a hub index with its candidate. The requesting agency is the one that
 * authenticated the request (§7); it is not repeated in the body.
 *
 *   { "purpose": "hiring", "consentRef": "<opaque>", "epoch": 3,
 *     "keys": [{ "kind": "name_dob", "index": "<32 bytes>" }, …],                     1..64
 *     "policy": CheckPolicy }
 *
 * CheckPolicy — the requester's disqualification policy, echoed in the signed response so the
 * hiring file shows under which rules the verdict was reached (§5.9 applies it):
 *
 *   { "categoryList": 1,
 *     "disqualifying": ["decertification", …],   final records here are findings
 *     "review": ["suspension", …],               final records here need a human review
 *     "otherCategories": "review" | "ignore",    categories in neither list
 *     "useOfForce": "by_category" | "at_least_review" | "disqualifying",
 *     "findingStrength": "strong" | "moderate",  weakest match that may be a finding
 *     "lookbackYears": 10 | null,                older outcomes are at most review
 *     "disputed": "count" | "review" }           disputed final records: as usual, or review
 */
import { z } from 'zod';
import { CATEGORIES, isCategoryIn } from './categories.js';
import {
  addIssue,
  EpochSchema,
  opaqueRef,
  rejectDuplicates,
  TokenKeySchema,
  whenFieldsValid,
} from './common.js';
import { CategoryListVersionSchema } from './version.js';

export const CHECK_PURPOSES = [
  'hiring',
  'promotion',
  'assignment',
  'task_force',
  'internal',
] as const;
export type CheckPurpose = (typeof CHECK_PURPOSES)[number];

export const MAX_CHECK_KEYS = 64;
export const MAX_CONSENT_REF_LENGTH = 128;
export const MAX_LOOKBACK_YEARS = 100;

export const USE_OF_FORCE_RULES = ['by_category', 'at_least_review', 'disqualifying'] as const;
export const FINDING_STRENGTHS = ['strong', 'moderate'] as const;

const CategorySetSchema = z.array(z.enum(CATEGORIES)).max(CATEGORIES.length);

export const CheckPolicySchema = z
  .strictObject({
    categoryList: CategoryListVersionSchema,
    disqualifying: CategorySetSchema,
    review: CategorySetSchema,
    otherCategories: z.enum(['review', 'ignore']),
    useOfForce: z.enum(USE_OF_FORCE_RULES),
    findingStrength: z.enum(FINDING_STRENGTHS),
    lookbackYears: z.int().min(1).max(MAX_LOOKBACK_YEARS).nullable(),
    disputed: z.enum(['count', 'review']),
  })
  .superRefine((p, ctx) => {
    for (const list of ['disqualifying', 'review'] as const) {
      rejectDuplicates(
        ctx,
        p[list],
        (c) => c,
        (i) => [list, i],
      );
      p[list].forEach((c, i) => {
        if (!isCategoryIn(p.categoryList, c)) {
          addIssue(ctx, 'invalid_value', [list, i], 'category not in this category list');
        }
      });
    }
    p.review.forEach((c, i) => {
      if (p.disqualifying.includes(c)) {
        addIssue(ctx, 'duplicate', ['review', i], 'category is already disqualifying');
      }
    });
  }, whenFieldsValid);
export type CheckPolicy = z.infer<typeof CheckPolicySchema>;

export const CheckRequestSchema = z
  .strictObject({
    purpose: z.enum(CHECK_PURPOSES),
    /** Reference to the candidate's signed consent, kept at the requesting node. */
    consentRef: opaqueRef(MAX_CONSENT_REF_LENGTH),
    epoch: EpochSchema,
    keys: z.array(TokenKeySchema).min(1).max(MAX_CHECK_KEYS),
    policy: CheckPolicySchema,
  })
  .superRefine((r, ctx) => {
    rejectDuplicates(
      ctx,
      r.keys,
      (k) => k.index,
      (i) => ['keys', i, 'index'],
    );
  }, whenFieldsValid);
export type CheckRequest = z.infer<typeof CheckRequestSchema>;
