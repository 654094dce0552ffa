import type { Rng } from './random.js';

/** Slots [lo, hi) of `slots`, in ascending sort order; records for which `sameKey` holds tie. */
export interface SlotRun {
  slots: readonly number[];
  lo: number;
  hi: number;
  sameKey: (a: number, b: number) => boolean;
}

export interface PageRequest {
  descending: boolean;
  /** Position of the page's first record in the order served. */
  offset: number;
  limit: number;
  /** When given, every tie group the page touches comes in a fresh random order drawn from it. */
  shuffleTies?: Rng;
}

/**
 * The slots of one page of `run`, ascending or descending. Descending reverses the order of the
 * tie groups but not the order within one (ties stay in id order, or shuffled), so one ascending
 * array serves both directions. Only the tie groups the page overlaps are visited: an ascending
 * page with stable ties is a plain slice.
 */
export function readPage(run: SlotRun, request: PageRequest): number[] {
  const { slots, lo, hi } = run;
  const end = Math.min(request.offset + request.limit, hi - lo);
  if (!request.descending && !request.shuffleTies) return slots.slice(lo + request.offset, lo + Math.max(end, request.offset));
  const out: number[] = [];
  let at = request.offset;
  while (at < end) {
    const [start, stop] = groupAround(run, request.descending ? hi - 1 - at : lo + at);
    // Where the group's first member lands in the order served.
    const first = request.descending ? hi - stop : start - lo;
    const members = request.shuffleTies ? shuffled(slots, start, stop, request.shuffleTies) : undefined;
    for (let i = at - first; i < stop - start && at < end; i++, at++) out.push(members ? members[i] : slots[start + i]);
  }
  return out;
}

/** The bounds [start, stop) of the tie group holding position `anchor`, within the run. */
function groupAround(run: SlotRun, anchor: number): [number, number] {
  const { slots, lo, hi, sameKey } = run;
  const pivot = slots[anchor];
  let start = anchor;
  while (start > lo && sameKey(slots[start - 1], pivot)) start--;
  let stop = anchor + 1;
  while (stop < hi && sameKey(slots[stop], pivot)) stop++;
  return [start, stop];
}

function shuffled(slots: readonly number[], start: number, stop: number, rng: Rng): number[] {
  const group = slots.slice(start, stop);
  for (let i = group.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [group[i], group[j]] = [group[j], group[i]];
  }
  return group;
}
