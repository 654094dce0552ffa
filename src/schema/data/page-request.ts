import { badInput } from '../errors.js';
import type { ResourceModel } from '../model/resource-models.js';
import type { ListArgs } from '../types/list-args.js';
import { decodeCursor } from './cursor.js';
import { sortKeysOf, type SortKey } from './order.sql.js';

export interface PageLimits {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

/** A list request reduced to what the SQL needs: which way, how many, between which positions. */
export interface PageRequest {
  readonly keys: readonly SortKey[];
  readonly limit: number;
  /** Paging with `last`/`before`: rows are read in reverse order, then flipped. */
  readonly backward: boolean;
  readonly after: readonly unknown[] | null;
  readonly before: readonly unknown[] | null;
}

export function checkPageSize(argument: string, value: number | null | undefined, limits: PageLimits): void {
  if (value === null || value === undefined) return;
  if (value < 0) throw badInput(`${argument} must not be negative (got ${value})`);
  if (value > limits.maxPageSize) {
    throw badInput(`${argument}: ${value} exceeds the maximum page size of ${limits.maxPageSize}; page with the after/before cursors`);
  }
}

export function pageRequestOf(model: ResourceModel, args: ListArgs, limits: PageLimits): PageRequest {
  if (args.first != null && args.last != null) throw badInput('pass either first (with after) or last (with before), not both');
  checkPageSize('first', args.first, limits);
  checkPageSize('last', args.last, limits);
  const keys = sortKeysOf(model, args.orderBy);
  const backward = args.last != null || (args.before != null && args.first == null);
  return {
    keys,
    limit: (backward ? args.last : args.first) ?? limits.defaultPageSize,
    backward,
    after: args.after != null ? decodeCursor(keys, args.after, 'after') : null,
    before: args.before != null ? decodeCursor(keys, args.before, 'before') : null,
  };
}

/** The columns a page's cursors are made of. */
export const sortKeyPaths = (request: PageRequest): string[] => request.keys.map((k) => k.field.path);
