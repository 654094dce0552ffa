import type { ResourceDataset } from './dataset.js';
import type { Rng } from './random.js';
import { timestampKey } from './record-header.js';
import type { UpstreamRecord } from './resources.js';
import { BadSearchError, type SearchQuery } from './search-query.js';

/** Settings shared by all tables of a store; a store mutates them at runtime (e.g. the cap). */
export interface TableSettings {
  /** Searches return at most this many records; asking for a page starting past it is a 400. */
  cap: number;
  /** Epoch seconds: the simulator's "now" for modified and created records. */
  clock: () => number;
  /**
   * When true (the default), a modified or created record gets a `date_modified` strictly greater
   * than every live one in its resource, so it sorts last like on the real API even when many
   * changes land in the same second. When false it gets the clock as is (ties allowed).
   */
  strictlyLatest: boolean;
}

export interface SearchPage {
  records: UpstreamRecord[];
  /** Records matching the filter right now (before the cap). */
  matched: number;
  /** What an `X-Total-Count` would say: an upper bound that still counts deleted records. */
  totalCountHint: number;
}

/**
 * One resource's live records. Records are addressed by slot: slots [0, dataset.size) are the
 * generated records (built on demand), later slots are records created or put at runtime.
 * `order` holds the live slots sorted by (date_modified, id, slot) and is kept sorted on every
 * mutation (a splice, i.e. a memmove: about a millisecond at a million records), so the usual
 * search (by date_modified asc) is a binary search plus a slice. Other sorts build a cached,
 * sorted copy that any mutation invalidates.
 */
export class ResourceTable {
  /** `date_modified` sort key per slot: null or missing counts as 0 (see timestampKey). */
  private readonly modifiedKeys: number[] = [];
  /** Numeric id per slot, or -1 for a record without a numeric id (sorts first among ties). */
  private readonly idKeys: number[] = [];
  private readonly order: number[] = [];
  /** Records replaced at runtime. Stored objects are never mutated, so a shallow copy of the map is a snapshot. */
  private readonly overrides = new Map<number, UpstreamRecord>();
  private readonly removedSlots = new Set<number>();
  /** Slots of ids the dataset does not know (created or put at runtime). */
  private readonly extraSlots = new Map<number, number>();
  private readonly views = new Map<string, { version: number; slots: number[] }>();
  private maxId: number;
  private version = 0;
  private removals = 0;
  private revisions = 0;

  constructor(
    private readonly data: ResourceDataset,
    private readonly settings: TableSettings,
  ) {
    for (let slot = 0; slot < data.size; slot++) {
      const key = data.keyAt(slot);
      this.modifiedKeys.push(key.dateModifiedKey);
      this.idKeys.push(typeof key.id === 'number' ? key.id : -1);
      this.order.push(slot);
    }
    this.order.sort(this.compareSlots);
    this.maxId = data.maxId();
  }

  get size(): number {
    return this.order.length;
  }

  /**
   * One page of records matching `query`, as served (the caller must not mutate them).
   * Throws BadSearchError when the page starts at or past the cap; a page straddling the cap is cut at it.
   */
  search(query: SearchQuery): SearchPage {
    const offset = (query.page_number - 1) * query.page_size;
    if (offset >= this.settings.cap) {
      throw new BadSearchError(
        `searches return at most ${this.settings.cap} records: narrow the search with minimum_modified_date (page_number ${query.page_number} with page_size ${query.page_size} starts at record ${offset})`,
      );
    }
    const { slots, start } = this.matching(query);
    const matched = slots.length - start;
    const from = start + offset;
    const to = Math.min(from + query.page_size, start + Math.min(matched, this.settings.cap));
    const records: UpstreamRecord[] = [];
    for (let i = from; i < to; i++) records.push(this.recordAt(slots[i]));
    return { records, matched, totalCountHint: matched + this.removals };
  }

  /** Deep copies of every live record, in (date_modified, id) order: exactly what a full crawl should find. */
  liveRecords(): UpstreamRecord[] {
    return [...this.snapshot()].map((record) => structuredClone(record));
  }

  /**
   * The live records as of this call, built lazily (for streaming a million records). The records
   * yielded are shared: copy before mutating.
   */
  snapshot(): Iterable<UpstreamRecord> {
    const slots = this.order.slice();
    const overrides = new Map(this.overrides);
    const data = this.data;
    return (function* () {
      for (const slot of slots) yield overrides.get(slot) ?? data.recordAt(slot);
    })();
  }

  liveIds(): unknown[] {
    return this.order.map((slot) => (this.idKeys[slot] >= 0 ? this.idKeys[slot] : this.recordAt(slot).id));
  }

  get(id: number): UpstreamRecord | undefined {
    const slot = this.liveSlotOf(id);
    return slot === undefined ? undefined : structuredClone(this.recordAt(slot));
  }

  /**
   * Changes a live record and returns a copy of its new state, or undefined if the id is not live.
   * Without a patch the name gets a revision suffix. Unless the patch sets `date_modified`, the
   * record gets the next modification time (see TableSettings.strictlyLatest).
   */
  modify(id: number, patch?: UpstreamRecord): UpstreamRecord | undefined {
    const slot = this.liveSlotOf(id);
    if (slot === undefined) return undefined;
    const current = this.recordAt(slot);
    const next: UpstreamRecord = { ...current, ...(patch ?? this.revisionPatch(current)), id: current.id };
    if (patch === undefined || !('date_modified' in patch)) next.date_modified = this.nextTimestamp();
    this.store(slot, next, true);
    return structuredClone(next);
  }

  /** Deletes a live record; false if it was not live. It then just stops appearing, like upstream. */
  remove(id: number): boolean {
    const slot = this.liveSlotOf(id);
    if (slot === undefined) return false;
    this.unlink(slot);
    this.removedSlots.add(slot);
    this.overrides.delete(slot);
    this.removals++;
    this.version++;
    return true;
  }

  /** Adds a new plausible record with the next id, created and modified now; `fields` override generated ones. */
  create(fields: UpstreamRecord = {}): UpstreamRecord {
    const id = this.maxId + 1;
    const slot = this.allocateSlot(id);
    const now = this.nextTimestamp();
    const record = { ...this.data.synthesize(slot, id, now), ...fields, id };
    this.store(slot, record, false);
    return structuredClone(record);
  }

  /** Inserts or replaces the record with this id exactly as given (its `date_modified` included); revives a removed id. */
  put(record: UpstreamRecord): void {
    const id = record.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new TypeError('put needs a record whose id is a positive safe integer');
    const known = this.slotOf(id);
    const slot = known ?? this.allocateSlot(id);
    const linked = known !== undefined && !this.removedSlots.delete(slot);
    this.store(slot, structuredClone(record), linked);
  }

  /** A random live record's numeric id (drift picks its victims with it), or undefined if there is none. */
  randomLiveId(rng: Rng): number | undefined {
    for (let attempt = 0; attempt < 8 && this.order.length > 0; attempt++) {
      const id = this.idKeys[this.order[rng.int(0, this.order.length - 1)]];
      if (id >= 0) return id;
    }
    return undefined;
  }

  private readonly compareSlots = (a: number, b: number): number =>
    this.modifiedKeys[a] - this.modifiedKeys[b] || this.idKeys[a] - this.idKeys[b] || a - b;

  private recordAt(slot: number): UpstreamRecord {
    return this.overrides.get(slot) ?? this.data.recordAt(slot);
  }

  private slotOf(id: number): number | undefined {
    return this.extraSlots.get(id) ?? this.data.indexOfId(id);
  }

  private liveSlotOf(id: number): number | undefined {
    const slot = this.slotOf(id);
    return slot === undefined || this.removedSlots.has(slot) ? undefined : slot;
  }

  /** A new, unlinked slot for an id the dataset does not have. */
  private allocateSlot(id: number): number {
    const slot = this.modifiedKeys.length;
    this.modifiedKeys.push(0);
    this.idKeys.push(id);
    this.extraSlots.set(id, slot);
    this.maxId = Math.max(this.maxId, id);
    return slot;
  }

  /** Sets a slot's record and (re)links it where its `date_modified` sorts; `linked` says whether it is in `order` now. */
  private store(slot: number, record: UpstreamRecord, linked: boolean): void {
    if (linked) this.unlink(slot);
    this.overrides.set(slot, record);
    this.modifiedKeys[slot] = timestampKey(record.date_modified);
    this.link(slot);
    this.version++;
  }

  private nextTimestamp(): number {
    const now = this.settings.clock();
    if (!this.settings.strictlyLatest || this.order.length === 0) return now;
    return Math.max(now, this.modifiedKeys[this.order[this.order.length - 1]] + 1);
  }

  private revisionPatch(current: UpstreamRecord): UpstreamRecord {
    const base = typeof current.name === 'string' ? current.name.replace(/ \(rev \d+\)$/, '') : `Record ${String(current.id)}`;
    return { name: `${base} (rev ${++this.revisions})` };
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

  private link(slot: number): void {
    const at = this.locate(slot);
    if (at === this.order.length) this.order.push(slot);
    else this.order.splice(at, 0, slot);
  }

  private unlink(slot: number): void {
    const at = this.locate(slot);
    if (this.order[at] !== slot) throw new Error(`simulator bug: slot ${slot} is not where its keys say`);
    this.order.splice(at, 1);
  }

  /** The sorted live slots for this query, and where the matching ones start. */
  private matching(query: SearchQuery): { slots: number[]; start: number } {
    const minimum = query.minimum_modified_date;
    if (query.sort_by === 'date_modified' && query.sort_direction === 'asc') {
      return { slots: this.order, start: minimum === undefined ? 0 : this.firstModifiedAtOrAfter(minimum) };
    }
    const view = this.sortedView(query.sort_by, query.sort_direction);
    if (minimum === undefined) return { slots: view, start: 0 };
    return { slots: view.filter((slot) => this.modifiedKeys[slot] >= minimum), start: 0 };
  }

  private firstModifiedAtOrAfter(minimum: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.modifiedKeys[this.order[mid]] < minimum) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Live slots sorted by any field (nulls first when ascending), ties by id ascending. Cached until the next mutation. */
  private sortedView(field: string, direction: 'asc' | 'desc'): number[] {
    const name = `${field}:${direction}`;
    const cached = this.views.get(name);
    if (cached?.version === this.version) return cached.slots;
    const sign = direction === 'asc' ? 1 : -1;
    const entries = this.order.map((slot) => ({
      slot,
      value: field === 'date_modified' ? this.modifiedKeys[slot] : this.recordAt(slot)[field],
    }));
    entries.sort((a, b) => sign * compareValues(a.value, b.value) || this.idKeys[a.slot] - this.idKeys[b.slot] || a.slot - b.slot);
    const slots = entries.map((entry) => entry.slot);
    this.views.set(name, { version: this.version, slots });
    return slots;
  }
}

/** A total order over JSON values of mixed types (hostile data mixes them): null < boolean < number < string < other. */
function compareValues(a: unknown, b: unknown): number {
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
