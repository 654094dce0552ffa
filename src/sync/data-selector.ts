import { UpstreamError } from '../errors/index.js';

/**
 * Finds the page's records in a response body with UPSTREAM_DATA_SELECTOR: `data` (the default),
 * a dotted path such as `result.items`, or `$` for a body that is the array itself.
 *
 * A body in which the selector finds no array is an error, never an empty page, and that
 * includes `{}` and a bare `[]` under an object selector: a real empty page still comes in its
 * envelope (`{"data": []}`), and a full reconcile reads "no records" as "everything was
 * deleted", so a misread body must stop the run rather than empty the mirror.
 */
export function selectRecords(body: unknown, selector: string): unknown[] {
  const found = selector === '$' ? body : walk(body, selector.split('.'));
  if (Array.isArray(found)) return found;
  throw new UpstreamError(
    `UPSTREAM_DATA_SELECTOR "${selector}" found no array of records in the response: ${describe(body)}${hint(body, selector)}`,
    200,
    false,
    'selector',
  );
}

function walk(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The shape of a body, for error messages: type and top-level keys, never values (they may be personal data). */
export function describe(body: unknown): string {
  if (Array.isArray(body)) return `the body is an array of ${body.length} item${body.length === 1 ? '' : 's'}`;
  if (body === null) return 'the body is null';
  if (typeof body !== 'object') return `the body is a ${typeof body}`;
  const keys = Object.keys(body);
  if (keys.length === 0) return 'the body is an empty object {}';
  const shown = keys.slice(0, 10).map((key) => `"${key.slice(0, 40)}"`);
  return `the body is an object with keys ${shown.join(', ')}${keys.length > 10 ? `, ... (${keys.length} in all)` : ''}`;
}

function hint(body: unknown, selector: string): string {
  if (Array.isArray(body) && selector !== '$') return ' (for a bare array use UPSTREAM_DATA_SELECTOR=$)';
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const arrays = Object.entries(body).filter(([, value]) => Array.isArray(value)).map(([key]) => key);
    if (arrays.length > 0) return ` (arrays found under: ${arrays.slice(0, 5).join(', ')})`;
  }
  return '';
}
