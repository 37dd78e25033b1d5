import { describe, expect, it } from 'vitest';
import { createLogger, logEvent } from './json-lines.js';

describe('JSON-lines log', () => {
  it('writes one JSON object per event: time, level and event first, then the fields', () => {
    const lines: string[] = [];
    logEvent((l) => void lines.push(l), new Date(Date.UTC(2026, 4, 1, 12)), 'warn', 'kek_absent', {
      count: 3,
      kek: null,
      pinned: true,
    });
    expect(lines).toEqual([
      '{"time":"2026-05-01T12:00:00.000Z","level":"warn","event":"kek_absent","count":3,"kek":null,"pinned":true}',
    ]);
  });

  it('leaves out undefined fields, as JSON does', () => {
    const lines: string[] = [];
    logEvent((l) => void lines.push(l), new Date(0), 'info', 'started', { url: undefined });
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      event: 'started',
    });
  });

  it('a logger reads its clock when each event is logged, not when it is created', () => {
    const lines: string[] = [];
    let ms = Date.UTC(2026, 0, 1);
    const log = createLogger(
      (l) => void lines.push(l),
      () => new Date(ms),
    );
    log('info', 'first');
    ms += 1500;
    log('error', 'second', { resource: 'database' });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { time: '2026-01-01T00:00:00.000Z', level: 'info', event: 'first' },
      { time: '2026-01-01T00:00:01.500Z', level: 'error', event: 'second', resource: 'database' },
    ]);
  });
});
