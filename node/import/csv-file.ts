/**
 * Reading an import file: bounds, UTF-8, CSV syntax (RFC 4180, parsed by csv-parse), header
 * mapping. Produces rows of trimmed cell values keyed by column name, each with the line it
 * starts on, or the file-level issues that stop the import before any row is looked at.
 *
 * Line numbers are counted by us from csv-parse's byte offsets (`bytes` at each record's end):
 * its own line counter counts the CR and the LF of a CRLF inside a quoted field as two lines.
 */
import { CsvError, parse } from 'csv-parse';
import { foldHeader, headerLookup, type ColumnSpec } from './columns.js';
import type { ImportLimits } from './import-result.js';
import type { IssueList } from './issues.js';
import { lineSlices, SLICE_ROWS, type YieldControl } from './slices.js';

export interface CsvRow {
  /** Line on which the row starts (1 is the header's first line when nothing precedes it). */
  readonly line: number;
  /** Trimmed cell values by column name; '' for an empty cell or a column the file lacks. */
  readonly values: Readonly<Record<string, string>>;
}

export interface CsvFile {
  /** The rows that have as many fields as the header. */
  readonly rows: readonly CsvRow[];
  /** Every data row, well-formed or not (the progress total and the summary's count). */
  readonly rowCount: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const LF = 0x0a;

/** 1 + the number of LF bytes before `end`, counting on from a known position. */
function lineCounter(bytes: Uint8Array) {
  let pos = 0;
  let line = 1;
  return (end: number): number => {
    for (; pos < end && pos < bytes.length; pos++) if (bytes[pos] === LF) line++;
    return line;
  };
}

/** The line of the first non-UTF-8 (or NUL) part of `part`, whose first line is `line`. */
function badLineIn(part: Uint8Array, line: number): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let i = 0; i <= part.length; i++) {
    if (i === part.length || part[i] === LF) {
      const lineBytes = part.subarray(start, i);
      if (lineBytes.includes(0)) return line;
      try {
        decoder.decode(lineBytes);
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return undefined;
}

/**
 * The line of the first byte sequence that is not UTF-8, or that is NUL (a UTF-16 file read
 * as bytes is mostly valid UTF-8 with a NUL after every ASCII letter). LF never occurs inside
 * a multi-byte UTF-8 sequence, so the bytes are checked a slice of whole lines at a time,
 * giving the event loop back between slices.
 */
async function firstNonUtf8Line(
  bytes: Uint8Array,
  yieldControl: YieldControl,
): Promise<number | undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (const part of lineSlices(bytes)) {
    let ok = !part.includes(0);
    if (ok) {
      try {
        decoder.decode(part);
      } catch {
        ok = false;
      }
    }
    if (!ok) return badLineIn(part, line);
    for (const b of part) if (b === LF) line++;
    await yieldControl();
  }
  return undefined;
}

function isBlank(record: readonly string[]): boolean {
  return record.every((cell) => cell.trim() === '');
}

/**
 * The records of `bytes`, each with its first line, parsed by csv-parse's streaming parser fed
 * a slice of whole lines at a time, the event loop getting control back between slices.
 */
async function parseRecords(
  bytes: Uint8Array,
  limits: ImportLimits,
  issues: IssueList,
  yieldControl: YieldControl,
) {
  const lineAt = lineCounter(bytes);
  const rows: { line: number; record: string[] }[] = [];
  /** Byte offset where the next record starts: the end (delimiter included) of the last. */
  let start = 0;
  let failure: unknown;
  const parser = parse({
    relax_column_count: true,
    // LF or CRLF; a lone CR is not a line end (it is left in the cell and fails validation).
    record_delimiter: ['\r\n', '\n'],
    max_record_size: limits.maxRowChars,
    on_record: (record: string[], context) => {
      rows.push({ line: lineAt(start), record });
      start = context.bytes;
      return null; // kept here, so the parser emits nothing to read
    },
  });
  parser.on('error', (e) => (failure ??= e));
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  parser.resume(); // nothing is emitted, but the stream must flow to end
  for (const part of lineSlices(bytes)) {
    parser.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    await yieldControl();
    if (failure !== undefined) break;
  }
  if (failure === undefined) {
    parser.end();
    await ended;
  }
  if (failure === undefined) return rows;
  if (!(failure instanceof CsvError)) throw failure;
  const line = lineAt(start);
  if (failure.code === 'CSV_MAX_RECORD_SIZE') {
    issues.add(line, null, 'ROW_TOO_LARGE', `a row exceeds ${limits.maxRowChars} characters`);
  } else {
    // csv-parse's code says which RFC 4180 rule broke (e.g. CSV_QUOTE_NOT_CLOSED).
    issues.add(line, null, 'CSV_MALFORMED', `not valid CSV (${failure.code})`);
  }
  return undefined;
}

/**
 * Maps header cells to columns, reporting unknown, duplicate and missing columns. A cell is
 * never echoed: when a file has no header, its first row is a person's identifiers. So an
 * unknown column is named by position, and a first row in which no cell names a column is one
 * HEADER_MISSING issue rather than a list of its values.
 */
function mapHeader(
  header: readonly string[],
  line: number,
  columns: readonly ColumnSpec[],
  issues: IssueList,
): (string | undefined)[] {
  const lookup = headerLookup(columns);
  const names = header.map((cell) => lookup.get(foldHeader(cell)));
  if (names.every((name) => name === undefined)) {
    issues.add(
      line,
      null,
      'HEADER_MISSING',
      'the first row names no column of this format: add the header row',
    );
    return names;
  }
  const seen = new Set<string>();
  const mapped = names.map((name, i) => {
    if (name === undefined) {
      const at = `(column ${i + 1})`;
      issues.add(line, at, 'COLUMN_UNKNOWN', `column ${i + 1} is not a column of this format`);
    } else if (seen.has(name)) {
      issues.add(line, name, 'COLUMN_DUPLICATE', `column ${i + 1} repeats ${name}`);
    }
    if (name !== undefined) seen.add(name);
    return name;
  });
  for (const c of columns) {
    if (c.required && !seen.has(c.name)) {
      issues.add(line, c.name, 'COLUMN_MISSING', `the header lacks the required column ${c.name}`);
    }
  }
  return mapped;
}

/**
 * Reads the file, adding its issues to `issues`. Returns undefined when the file as a whole
 * is unusable (size, encoding, CSV syntax, header); otherwise the well-formed rows, a row with
 * the wrong number of fields having been reported.
 */
export async function readCsvFile(
  input: Uint8Array | string,
  columns: readonly ColumnSpec[],
  limits: ImportLimits,
  issues: IssueList,
  yieldControl: YieldControl,
): Promise<CsvFile | undefined> {
  let bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (bytes.length > limits.maxFileBytes) {
    issues.add(null, null, 'FILE_TOO_LARGE', `the file exceeds ${limits.maxFileBytes} bytes`);
    return undefined;
  }
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(3);
  const badLine = await firstNonUtf8Line(bytes, yieldControl);
  if (badLine !== undefined) {
    issues.add(badLine, null, 'FILE_NOT_UTF8', 'the file is not UTF-8 text (save it as CSV UTF-8)');
    return undefined;
  }
  const records = await parseRecords(bytes, limits, issues, yieldControl);
  if (records === undefined) return undefined;
  const content = records.filter((r) => !isBlank(r.record));
  const [header, ...data] = content;
  if (header === undefined) {
    issues.add(null, null, 'FILE_EMPTY', 'the file has no header and no rows');
    return undefined;
  }
  if (data.length > limits.maxRows) {
    issues.add(null, null, 'TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows`);
    return undefined;
  }
  const mapped = mapHeader(header.record, header.line, columns, issues);
  if (issues.count > 0) return undefined;
  if (data.length === 0) {
    issues.add(null, null, 'FILE_NO_ROWS', 'the file has a header but no rows');
    return undefined;
  }

  const rows: CsvRow[] = [];
  for (const [n, { line, record }] of data.entries()) {
    if (n > 0 && n % SLICE_ROWS === 0) await yieldControl();
    if (record.length !== mapped.length) {
      issues.add(
        line,
        null,
        'ROW_FIELD_COUNT',
        `the row has ${record.length} fields, the header ${mapped.length}`,
      );
      continue;
    }
    const values: Record<string, string> = {};
    for (const c of columns) values[c.name] = '';
    record.forEach((cell, i) => (values[mapped[i]!] = cell.trim()));
    rows.push({ line, values });
  }
  return { rows, rowCount: data.length };
}
