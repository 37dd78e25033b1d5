/** Test support: what a terminal shows for the bytes a progress bar wrote. */
/* eslint-disable no-control-regex -- terminal escape sequences (ESC, 0x1b) are what these match */

/**
 * The lines a terminal would show for `text`: enough of one to follow cli-progress (column
 * moves, clear to the end of the line, save and restore the cursor, newlines).
 */
export function screen(text: string): string[] {
  const lines: string[] = [''];
  let [row, col] = [0, 0];
  let saved: [number, number] = [0, 0];
  const escape = /^\x1b(?:\[([0-9;?]*)([A-Za-z])|([78]))/;
  for (let i = 0; i < text.length;) {
    const m = escape.exec(text.slice(i, i + 16));
    if (m) {
      if (m[3] === '7') saved = [row, col];
      else if (m[3] === '8') [row, col] = saved;
      else if (m[2] === 'G') col = Number(m[1] || '1') - 1;
      else if (m[2] === 'K') lines[row] = lines[row]!.slice(0, col);
      i += m[0].length;
      continue;
    }
    const ch = text[i++]!;
    if (ch === '\n') {
      [row, col] = [row + 1, 0];
      lines[row] ??= '';
    } else {
      const line = lines[row]!.padEnd(col);
      lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
      col++;
    }
  }
  return lines.filter((l) => l !== '');
}

/** Anything a progress bar writes: a terminal escape sequence or a drawn bar. */
export function looksLikeABar(text: string): boolean {
  return /\x1b\[|\[[=-]{5,}\]/.test(text);
}
