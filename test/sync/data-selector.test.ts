import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors/index.js';
import { selectRecords } from '../../src/sync/data-selector.js';
import { backoffMs, retryAfterMs, actionForStatus } from '../../src/sync/retry-policy.js';

function selectorError(body: unknown, selector: string): UpstreamError {
  try {
    selectRecords(body, selector);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe('selector');
    return error as UpstreamError;
  }
  throw new Error('expected a selector error');
}

describe('data selector', () => {
  it('finds records under data, a dotted path, or the body itself with $', () => {
    expect(selectRecords({ data: [1] }, 'data')).toEqual([1]);
    expect(selectRecords({ result: { items: [2] } }, 'result.items')).toEqual([2]);
    expect(selectRecords([3], '$')).toEqual([3]);
    expect(selectRecords({ data: [] }, 'data')).toEqual([]);
    expect(selectRecords([], '$')).toEqual([]);
  });

  it('fails on a body where the selector finds no array, naming the selector and the keys it saw', () => {
    const error = selectorError({ data: [{ id: 1 }], meta: {} }, 'items');
    expect(error.message).toContain('"items"');
    expect(error.message).toContain('"data", "meta"');
    expect(error.message).toContain('arrays found under: data');
  });

  it('suggests $ for a bare array', () => {
    expect(selectorError([{ id: 1 }], 'data').message).toMatch(/array of 1 item.*UPSTREAM_DATA_SELECTOR=\$/);
  });

  it('treats {} and a bare [] under an object selector as errors, not empty pages', () => {
    expect(selectorError({}, 'data').message).toContain('empty object');
    selectorError([], 'data');
    selectorError({ data: null }, 'data');
    selectorError('<html>', '$');
  });

  it('never quotes values from the body', () => {
    expect(selectorError({ secret_token: 'hunter2' }, 'data').message).not.toContain('hunter2');
  });
});

describe('retry policy', () => {
  it('maps statuses to actions', () => {
    expect([200, 400, 401, 403, 404, 429, 500, 502, 503, 504].map(actionForStatus)).toEqual([
      'ok', 'fail', 'fail-auth', 'fail-auth', 'fail', 'rate-limited', 'retry', 'retry', 'retry', 'retry',
    ]);
  });

  it('backs off by the factor: 2, 4, 8 s', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 2_000, 2))).toEqual([2_000, 4_000, 8_000]);
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryAfterMs('3', now, 60_000)).toBe(3_000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', now, 60_000)).toBe(5_000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:00 GMT', now + 10_000, 60_000)).toBe(0);
    expect(retryAfterMs('86400', now, 60_000)).toBe(60_000);
    expect(retryAfterMs('soon', now, 60_000)).toBeUndefined();
    expect(retryAfterMs(undefined, now, 60_000)).toBeUndefined();
  });
});
