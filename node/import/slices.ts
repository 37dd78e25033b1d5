/**
 * An import's work in slices (issue 10: four 60 MB dry runs held the node's event loop for up
 * to 10 s, and health probes failed meanwhile). Reading, parsing and validating a file run a
 * slice at a time; between slices the import awaits `yieldControl`, which by default lets the
 * event loop run everything that is due (a macrotask turn: timers, I/O, other requests) before
 * the next slice. A slice is ~1 MiB of bytes or SLICE_ROWS rows: a few milliseconds of work.
 */

/** Gives the event loop back; resolves when the import may go on. */
export type YieldControl = () => Promise<void>;

/** Rows checked (or mapped, or compared) between two yields. */
export const SLICE_ROWS = 1000;
/** Employee ids looked up in the database between two yields (its queries run in process). */
export const LOOKUP_SLICE = 5000;
/** Bytes decoded or parsed between two yields (a slice ends after a line's LF). */
export const SLICE_BYTES = 1024 * 1024;

/** One macrotask turn: timers and I/O callbacks that are due run before the import goes on. */
export const yieldToEventLoop: YieldControl = () =>
  new Promise<void>((resolve) => setImmediate(resolve));

const LF = 0x0a;

/**
 * `bytes` in consecutive slices of about `size` bytes, each ending just after an LF (or at the
 * end): LF never occurs inside a multi-byte UTF-8 sequence, so no slice splits a character.
 * A single line longer than `size` is one slice.
 */
export function* lineSlices(bytes: Uint8Array, size = SLICE_BYTES): Generator<Uint8Array> {
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + size, bytes.length);
    if (end < bytes.length) {
      const lf = bytes.lastIndexOf(LF, end - 1);
      end = lf >= start ? lf + 1 : bytes.indexOf(LF, end) + 1 || bytes.length;
    }
    yield bytes.subarray(start, end);
    start = end;
  }
}
