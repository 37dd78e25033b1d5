/** `1 row`, `2 rows`, `0 matches`: a count with its noun for the CLI's sentences. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
