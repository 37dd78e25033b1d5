/**
 * The versioned list of record categories (docs/protocol.md §5.2). An attestation names the
 * list version it was written against (`categoryList`) and one category code from it.
 *
 * Rules for new versions: a list version N+1 contains every code of version N with the same
 * meaning (codes are never removed, renamed or reused), and adds new codes at the end. So a
 * record written against an older list keeps its meaning, and a receiver that knows list N+1
 * understands every earlier list.
 */

export interface CategoryDefinition {
  /** Stable wire code, lower snake case. */
  readonly code: string;
  /** Short human label for pages and reports. */
  readonly label: string;
  /** What the category covers, for the reporting agency deciding which code applies. */
  readonly definition: string;
  /** Where the category comes from. */
  readonly source: string;
}

const EO_13929 = 'Executive Order 13929 (2020), sec. 3(b)';
const NLEAD = 'DOJ National Law Enforcement Accountability Database (EO 14074 (2022), sec. 5)';

/** Category list version 1. Order is the display order. */
export const CATEGORY_LIST_V1 = [
  {
    code: 'termination',
    label: 'Termination',
    definition: 'Involuntary separation from the agency for misconduct.',
    source: EO_13929,
  },
  {
    code: 'decertification',
    label: 'Decertification',
    definition:
      'Revocation, suspension or voluntary surrender in lieu of revocation of a peace-officer certification or licence by a state standards board.',
    source: EO_13929,
  },
  {
    code: 'criminal_conviction_on_duty',
    label: 'Criminal conviction for on-duty conduct',
    definition: 'A criminal conviction (including a plea) for conduct while on duty.',
    source: EO_13929,
  },
  {
    code: 'civil_judgment_use_of_force',
    label: 'Civil judgment for improper use of force',
    definition:
      'A final civil judgment against the officer (not only the employer) for improper use of force.',
    source: EO_13929,
  },
  {
    code: 'resignation_under_investigation',
    label: 'Resignation while under investigation',
    definition:
      'Resignation while an administrative or criminal investigation of the officer was open.',
    source: `${EO_13929} (use of force); broadened to any misconduct investigation by ${NLEAD}`,
  },
  {
    code: 'retirement_under_investigation',
    label: 'Retirement while under investigation',
    definition:
      'Retirement while an administrative or criminal investigation of the officer was open.',
    source: `${EO_13929} (use of force); broadened to any misconduct investigation by ${NLEAD}`,
  },
  {
    code: 'suspension',
    label: 'Suspension for misconduct',
    definition: 'A disciplinary suspension imposed for misconduct.',
    source: NLEAD,
  },
  {
    code: 'sustained_serious_misconduct',
    label: 'Sustained finding of serious misconduct',
    definition:
      'A sustained finding of serious misconduct (e.g. excessive force, dishonesty, sexual assault, discrimination) that is not covered by another category.',
    source: NLEAD,
  },
] as const satisfies readonly CategoryDefinition[];

/** Every category list this implementation understands, by version. */
export const CATEGORY_LISTS: Readonly<Record<number, readonly CategoryDefinition[]>> = {
  1: CATEGORY_LIST_V1,
};

/** The list version new statements are written against. */
export const CURRENT_CATEGORY_LIST_VERSION = 1;
export const SUPPORTED_CATEGORY_LIST_VERSIONS: readonly number[] = [1];

/** Every code of every supported list (the latest list, since lists only grow). */
export const CATEGORIES = CATEGORY_LIST_V1.map((c) => c.code) as [
  (typeof CATEGORY_LIST_V1)[number]['code'],
  ...(typeof CATEGORY_LIST_V1)[number]['code'][],
];
export type Category = (typeof CATEGORY_LIST_V1)[number]['code'];

export function isSupportedCategoryList(version: number): boolean {
  return SUPPORTED_CATEGORY_LIST_VERSIONS.includes(version);
}

/** Whether `code` is defined in list `version` (false for an unknown version). */
export function isCategoryIn(version: number, code: string): boolean {
  const list = CATEGORY_LISTS[version];
  return list !== undefined && list.some((c) => c.code === code);
}

export function categoryDefinition(code: Category): CategoryDefinition {
  const found = CATEGORY_LIST_V1.find((c) => c.code === code);
  if (found === undefined) throw new RangeError(`unknown category ${code}`);
  return found;
}
