/**
 * CSV text in the import formats' dialect (RFC 4180 §2): comma-separated, LF line ends (the
 * importer also takes CRLF), a field quoted — with inner quotes doubled — exactly when it
 * holds a comma, a quote, a CR or an LF. csv-parse reads; the project has no CSV writer
 * dependency, and quoting is the only rule a writer needs.
 */

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A header line and one line per row, each ended by LF. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => `${r.map(field).join(',')}\n`).join('');
}
