/**
 * Live slots of one table kept sorted by (key, id, slot), where the key is one field's sort value.
 * Kept sorted on every mutation (a splice: a memmove) instead of re-sorted per search, so a
 * search by this field is a binary search plus a slice whatever the record count. Descending
 * order and tie groups are read from the same ascending array (see page-reader.ts).
 */
export class SortedIndex {
  /** Live slots, ascending. */
  readonly order: number[] = [];
  /** The sort key per slot (live or not); only changed while the slot is unlinked. */
  private readonly keys: unknown[] = [];

  constructor(
    /** Numeric id per slot (-1 for a record without one): the tie-breaker, shared with the table. */
    private readonly idKeys: readonly number[],
    /** Total order over keys. */
    readonly compareKeys: (a: unknown, b: unknown) => number,
  ) {}

  /** Fills the index with these slots in one sort (the initial build). */
  build(slots: Iterable<number>, keyOf: (slot: number) => unknown): this {
    for (const slot of slots) {
      this.keys[slot] = keyOf(slot);
      this.order.push(slot);
    }
    this.order.sort(this.compareSlots);
    return this;
  }

  get size(): number {
    return this.order.length;
  }

  keyOf(slot: number): unknown {
    return this.keys[slot];
  }

  /** The keys by slot, for tight loops (read only). */
  get keysBySlot(): readonly unknown[] {
    return this.keys;
  }

  readonly compareSlots = (a: number, b: number): number =>
    this.compareKeys(this.keys[a], this.keys[b]) || this.idKeys[a] - this.idKeys[b] || a - b;

  readonly sameKey = (a: number, b: number): boolean => this.compareKeys(this.keys[a], this.keys[b]) === 0;

  /** Adds an unlinked slot with this key where it sorts. */
  link(slot: number, key: unknown): void {
    this.keys[slot] = key;
    const at = this.locate(slot);
    if (at === this.order.length) this.order.push(slot);
    else this.order.splice(at, 0, slot);
  }

  unlink(slot: number): void {
    const at = this.locate(slot);
    if (this.order[at] !== slot) throw new Error(`simulator bug: slot ${slot} is not where its keys say`);
    this.order.splice(at, 1);
  }

  /** The first position whose key is >= `key` (`inclusive`) or > `key` (not inclusive). */
  bound(key: unknown, inclusive: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareKeys(this.keys[this.order[mid]], key);
      if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of `slot` in `order`, or where it would go. */
  private locate(slot: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareSlots(this.order[mid], slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export const compareNumbers = (a: unknown, b: unknown): number => (a as number) - (b as number);

/** A total order over JSON values of mixed types (hostile data mixes them): null < boolean < number < string < other. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 1 || rankA === 2) return Number(a) - Number(b);
  if (rankA === 3) return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  return 0;
}

function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  return 4;
}
