/**
 * Duplicate member names in JSON text. RFC 8259 §4 only says names SHOULD be unique and leaves
 * what a parser does with a repeat to the parser (JSON.parse keeps the last); I-JSON (RFC 7493
 * §2.3) forbids repeats, and so does the protocol (docs/protocol.md §8.2): two readers of one
 * body must not see two different messages (one keeping the first `epoch`, another the last).
 *
 * JSON.parse has no option for it, so this scanner walks text that JSON.parse has already
 * accepted — it relies on that: it does not validate — and returns the first member, in text
 * order, whose name repeats in its object, with its path (`attestations[2].tokens.epoch`).
 * Names are compared as parsed, escapes decoded (`"a"` and `"\u0061"` are the same name).
 *
 * Its memory is one frame per open object or array: nesting deeper than `maxDepth` is reported
 * instead of scanned (no message of the protocol nests more than a dozen levels).
 */
import { formatFieldPath } from './problem.js';

/** Default bound on nesting (the top-level value counts as one level). */
export const MAX_JSON_DEPTH = 64;

export type DuplicateMemberScan =
  | { readonly kind: 'none' }
  | { readonly kind: 'duplicate'; readonly name: string; readonly path: string }
  | { readonly kind: 'too_deep'; readonly path: string };

interface ObjectFrame {
  readonly names: Set<string>;
  /** The member whose value is being read, once its name was. */
  name: string | undefined;
  /** True after `{` or `,`: the next string is a member name. */
  expectName: boolean;
}

interface ArrayFrame {
  index: number;
}

type Frame = ObjectFrame | ArrayFrame;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote that closes the string opening at `start` (valid JSON: it exists). */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    at = text.indexOf('"', at);
    if (at < 0) throw new RangeError('unterminated string: the text is not JSON');
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at++;
  }
}

function pathOf(frames: readonly Frame[], last: string | undefined): string {
  const path: (string | number)[] = [];
  for (const f of frames) {
    if ('index' in f) path.push(f.index);
    else if (f.name !== undefined) path.push(f.name);
  }
  if (last !== undefined) path.push(last);
  return formatFieldPath(path);
}

/** Scans `text`, which must be JSON that JSON.parse accepted. */
export function findDuplicateMember(text: string, maxDepth = MAX_JSON_DEPTH): DuplicateMemberScan {
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      if (top !== undefined && 'names' in top && top.expectName) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.names.has(name)) {
          top.name = undefined;
          return { kind: 'duplicate', name, path: pathOf(frames, name) };
        }
        top.names.add(name);
        top.name = name;
        top.expectName = false;
      }
      i = end;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (frames.length >= maxDepth) return { kind: 'too_deep', path: pathOf(frames, undefined) };
      frames.push(
        ch === 0x7b ? { names: new Set(), name: undefined, expectName: true } : { index: 0 },
      );
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      frames.pop();
    } else if (ch === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top === undefined) continue;
      if ('index' in top) top.index++;
      else top.expectName = true;
    }
  }
  return { kind: 'none' };
}
