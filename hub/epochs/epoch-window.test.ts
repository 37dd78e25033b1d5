import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../protocol/decode.js';
import { ServedEpochsSchema } from '../../protocol/served-epochs.js';
import { epochWindow } from './epoch-window.js';

const before = new Date('2026-08-31T23:59:59Z');
const end = new Date('2026-09-01T00:00:00Z');

describe('the epochs the hub serves', () => {
  it('serves every listed epoch, in order, while the window is open', () => {
    const w = epochWindow([2, 1], end);
    expect(w.served(before)).toEqual([1, 2]);
    expect(w.accepts(1, before) && w.accepts(2, before)).toBe(true);
    expect(w.accepts(3, before)).toBe(false);
    const described = w.describe(before);
    expect(described).toEqual({
      epochs: [
        { epoch: 1, retiresAt: '2026-09-01T00:00:00Z' },
        { epoch: 2, retiresAt: null },
      ],
    });
    expect(decodeMessage(ServedEpochsSchema, described)).toEqual(described);
  });

  it('retires every epoch but the newest at the end of the window', () => {
    const w = epochWindow([1, 2], end);
    expect(w.served(end)).toEqual([2]);
    expect(w.accepts(1, end)).toBe(false);
    expect(w.accepts(2, end)).toBe(true);
    expect(w.describe(end)).toEqual({ epochs: [{ epoch: 2, retiresAt: null }] });
  });

  it('keeps every listed epoch without a window end', () => {
    const w = epochWindow([1, 2]);
    const later = new Date('2100-01-01T00:00:00Z');
    expect(w.served(later)).toEqual([1, 2]);
    expect(w.describe(later).epochs.map((e) => e.retiresAt)).toEqual([null, null]);
  });
});
