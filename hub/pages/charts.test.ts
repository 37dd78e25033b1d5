import { describe, expect, it } from 'vitest';
import { BarChart, formatNumber, readableTime } from './charts.js';

describe('charts', () => {
  it('draws no bar for a suppressed value, and says so', () => {
    const svg = String(
      BarChart({
        id: 'c',
        title: 'T',
        description: 'D',
        unit: 'count',
        data: [
          { label: 'A', value: 12 },
          { label: 'B', value: null },
          { label: 'C', value: 0 },
        ],
      }),
    );
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('>suppressed</text>');
    expect(svg).toContain('<title id="c-title">T</title><desc id="c-desc">D</desc>');
    // The zero bar has no width; the largest fills the plot.
    expect(svg).toContain('width="0.0"');
    expect(svg).toContain('width="400.0"');
  });

  it('formats numbers and times for people', () => {
    expect(formatNumber(14530)).toBe('14,530');
    expect(formatNumber(60, 'percent')).toBe('60.0 %');
    expect(formatNumber(1.5, 'rate')).toBe('1.50');
    expect(readableTime('2026-05-02T00:00:00Z')).toBe('2026-05-02 00:00 UTC');
    expect(readableTime('2026-12-07T22:07:30Z')).toBe('2026-12-07 22:07:30 UTC');
    expect(readableTime('not a time')).toBe('not a time');
  });
});
