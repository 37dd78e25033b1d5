/**
 * Match-key kinds and their strengths (docs/protocol.md §2.7). Shared by every layer:
 * the protocol's schemas, the hub's answers and the node's policy all speak of these.
 */

export const MATCH_KEY_KINDS = ['ssn', 'license', 'name_dob', 'last_dob'] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];

export const MATCH_STRENGTHS = ['strong', 'moderate', 'weak'] as const;
export type MatchStrength = (typeof MATCH_STRENGTHS)[number];

/**
 * `ssn` and `license` identify one person; `name_dob` is shared by namesakes born the
 * same day; `last_dob` is only a lead for a human to review, never an automatic hit.
 */
export const MATCH_KEY_STRENGTH: Readonly<Record<MatchKeyKind, MatchStrength>> = {
  ssn: 'strong',
  license: 'strong',
  name_dob: 'moderate',
  last_dob: 'weak',
};

/**
 * The kinds a person holds exactly one of, so that two different keys of the kind on the two
 * sides of a check say "not the same person" (or a typing error) — §5.8.1 `contradictedKinds`.
 * Only `ssn`: an officer may hold licences of several states, and names change (marriage,
 * aliases), so a different `license`, `name_dob` or `last_dob` key contradicts nothing.
 */
export const CONTRADICTING_KINDS: readonly MatchKeyKind[] = ['ssn'];

/** Strongest first, for choosing the strength of a match made of several keys. */
export function strongest(strengths: Iterable<MatchStrength>): MatchStrength | undefined {
  let best: MatchStrength | undefined;
  for (const s of strengths) {
    if (best === undefined || MATCH_STRENGTHS.indexOf(s) < MATCH_STRENGTHS.indexOf(best)) best = s;
  }
  return best;
}
