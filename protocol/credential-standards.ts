/**
 * The versioned list of credentialing standards (docs/protocol.md §5.16.1). A credential names
 * the list version it was assessed against (`standardsList`) and states, for each standard it
 * speaks to, whether the agency meets it.
 *
 * Version 1 follows EO 13929 sec. 2(b) and the Attorney General's "Standards for Certification
 * on Safe Policing" (DOJ, 2020): two mandatory standards — a use-of-force policy that complies
 * with the law, and a ban on chokeholds except where deadly force is allowed by law — and
 * optional ones the order names (de-escalation, early-warning systems, community engagement)
 * or that the order's mental-health pillar points to (co-responder programs), plus the 2020
 * standards' reporting and transparency items.
 *
 * A list is never edited once published: a new standard is a new version, and a hub keeps
 * accepting every version it lists in SUPPORTED_STANDARDS_LIST_VERSIONS.
 */

export interface CredentialStandard {
  /** Stable identifier, lower snake case; never reused for another meaning. */
  readonly id: string;
  readonly mandatory: boolean;
  readonly title: string;
}

export interface StandardsList {
  readonly version: number;
  readonly standards: readonly CredentialStandard[];
}

const V1: StandardsList = {
  version: 1,
  standards: [
    {
      id: 'use_of_force_policy_lawful',
      mandatory: true,
      title: 'Use-of-force policy complies with applicable law',
    },
    {
      id: 'chokehold_ban',
      mandatory: true,
      title: 'Chokeholds banned except where the use of deadly force is allowed by law',
    },
    { id: 'de_escalation_training', mandatory: false, title: 'De-escalation training' },
    { id: 'early_warning_system', mandatory: false, title: 'Early-warning system' },
    { id: 'community_engagement', mandatory: false, title: 'Community engagement' },
    {
      id: 'co_responder_program',
      mandatory: false,
      title: 'Co-responder program with mental-health professionals',
    },
    {
      id: 'use_of_force_reporting',
      mandatory: false,
      title: 'Use-of-force incidents reported to the national collection',
    },
    {
      id: 'independent_investigation',
      mandatory: false,
      title: 'Independent investigation of deadly-force incidents',
    },
  ],
};

const LISTS: ReadonlyMap<number, StandardsList> = new Map([[1, V1]]);

export const CURRENT_STANDARDS_LIST_VERSION = 1;
export const SUPPORTED_STANDARDS_LIST_VERSIONS: readonly number[] = [...LISTS.keys()];

/** The standards list of `version`, or undefined for a version this code does not know. */
export function standardsList(version: number): StandardsList | undefined {
  return LISTS.get(version);
}

/** The mandatory standards' identifiers of a list. */
export function mandatoryStandards(list: StandardsList): string[] {
  return list.standards.filter((s) => s.mandatory).map((s) => s.id);
}

/** The most standards any list holds; bounds a credential's `standards` member. */
export const MAX_STANDARDS = 64;
/** A standard identifier as it appears on the wire (checked against the list separately). */
export const STANDARD_ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
