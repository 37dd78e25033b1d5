import { describe, expect, it } from 'vitest';
import { internalErrorSummary } from './error-summary.js';

describe('internalErrorSummary', () => {
  it("names the error's class and the SQLSTATE found through its causes, never the message", () => {
    const driver = Object.assign(new Error('new row violates check constraint'), { code: '23514' });
    const wrapped = new Error('Failed query: insert … params: 555-12-3456', { cause: driver });
    wrapped.name = 'DrizzleQueryError';
    expect(internalErrorSummary(wrapped)).toBe('DrizzleQueryError 23514');
    expect(internalErrorSummary(new TypeError('x is Maria Garcia'))).toBe('TypeError');
    class QueryFailure extends Error {} // leaves `name` at "Error", as drizzle's class does
    expect(internalErrorSummary(new QueryFailure('params: 1984-07-02'))).toBe('QueryFailure');
  });

  it('does not echo a name that is not a plain identifier, nor a thrown non-error', () => {
    const odd = new Error('m');
    odd.name = 'Garcia, Maria 1984-07-02';
    expect(internalErrorSummary(odd)).toBe('Error');
    expect(internalErrorSummary('Maria Garcia')).toBe('non-error string');
    expect(internalErrorSummary(null)).toBe('non-error null');
  });
});
