/** The rows of a raw `db.execute` result: postgres.js returns an array, PGlite `{ rows }`. */
export function rawRows(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}
