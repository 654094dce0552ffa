import { badInput } from '../errors.js';

/** `changes(first:)`: its own bounds, not the connections' (a change is a few small columns). */
export const DEFAULT_CHANGES_PAGE = 100;
export const MAX_CHANGES_PAGE = 1_000;

/** The page size `first` asks for, or BAD_USER_INPUT naming the bounds and what arrived. */
export function changesPageSize(first: unknown): number {
  if (first === undefined || first === null) return DEFAULT_CHANGES_PAGE;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_CHANGES_PAGE) {
    throw badInput(`changes(first:) must be an integer from 1 to ${MAX_CHANGES_PAGE}, got ${String(first)}`);
  }
  return first;
}
