import type { Candidate } from './deletion-candidates.js';

/**
 * Which keyset windows a full reconcile crawls again before it marks anything deleted.
 *
 * Why a live record can be missing from a complete keyset crawl: windows that start at page 1
 * cannot skip anything (every record between a window's start and its page's largest
 * timestamp is on that page, and a record modified meanwhile moves to the end where the crawl
 * still goes). Only inside a tie larger than a page does the crawl page by offset, and there a
 * deletion (or a modification moving a record out of the tie) between two pages shifts the
 * rest of the tie back by one: a record slides onto the page already read and is not seen. It
 * would then be marked deleted although it exists.
 *
 * So the re-check crawls again: every window the crawl paged past page 1 (`deepWindows`);
 * after a resumed crawl, whose record of those died with its process, every timestamp the
 * table holds at least half a page of; and, as a cheap belt to those braces, the windows of
 * the candidates themselves when there are few. A pass that still finds candidates alive may
 * itself have been disturbed, so passes repeat (up to RECHECK_PASSES) until one finds none.
 */
export const RECHECK_PASSES = 3;
/** Candidate windows are added only up to this many (a mass deletion would cost a request each). */
export const MAX_CANDIDATE_WINDOWS = 100;

export class RecheckPlan {
  readonly windows: readonly number[];
  /** Cursor values below this have been crawled again without a gap. */
  private coveredUpTo = -Infinity;

  constructor(deepWindows: Iterable<number>, largeGroups: Iterable<number>, candidates: readonly Candidate[]) {
    const windows = new Set<number>([...deepWindows, ...largeGroups]);
    const candidateWindows = new Set(candidates.map((candidate) => Math.floor(candidate.cursor)));
    if (candidateWindows.size <= MAX_CANDIDATE_WINDOWS) for (const window of candidateWindows) windows.add(window);
    this.windows = [...windows].sort((a, b) => a - b);
  }

  /** The windows in order, skipping those an earlier window's crawl already went past. */
  *pending(): Generator<number> {
    for (const window of this.windows) if (window + 1 > this.coveredUpTo) yield window;
  }

  /** A window's crawl reached `cursor` (Infinity: the end of the data). */
  covered(cursor: number): void {
    this.coveredUpTo = Math.max(this.coveredUpTo, cursor);
  }
}

export function recheckWindows(deepWindows: Iterable<number>, largeGroups: Iterable<number>, candidates: readonly Candidate[]): RecheckPlan {
  return new RecheckPlan(deepWindows, largeGroups, candidates);
}
