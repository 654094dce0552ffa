import type { ResourceDataset } from './dataset.js';
import { readPage, type SlotRun } from './page-reader.js';
import { Rng } from './random.js';
import { timestampKey } from './record-header.js';
import type { UpstreamRecord } from './resources.js';
import { HONEST_BEHAVIOUR, type AbsentSort, type SearchBehaviour } from './search-behaviour.js';
import { planSearch, type SearchPlan } from './search-plan.js';
import { BadSearchError, type SearchQuery } from './search-query.js';
import { compareNumbers, compareValues, SortedIndex } from './sorted-index.js';

/** Settings shared by all tables of a store; a store mutates them at runtime (e.g. the cap). */
export interface TableSettings {
  /** Searches return at most this many records; asking for a page starting past it is a 400 (or an empty page). */
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

/** How a table answers searches: see SearchBehaviour; `tieSeed` seeds the shuffles of unstable ties. */
export interface TableBehaviour {
  behaviour?: SearchBehaviour;
  absentSort?: AbsentSort;
  tieSeed?: number;
}

export interface SearchPage {
  records: UpstreamRecord[];
  /** Records matching the filter right now (before the cap). */
  matched: number;
  /** What an `X-Total-Count` would say: an upper bound that still counts deleted records. */
  totalCountHint: number;
}

/** Fields whose sort and filter key is a timestamp: null or missing counts as 0 (see timestampKey). */
const TIMESTAMP_FIELDS = new Set(['date_modified', 'date_created']);

/**
 * One resource's live records. Records are addressed by slot: slots [0, dataset.size) are the
 * generated records (built on demand), later slots are records created or put at runtime.
 * Every field searched by gets a SortedIndex of the live slots, kept sorted on every mutation:
 * `date_modified` from the start, others from their first search on. A search is then a binary
 * search plus a slice, except when it filters on a field other than the one it sorts by (one
 * linear pass) or asks for `ids` (at most 200 records sorted).
 */
/** What happened to a record, in the words of the API's webhooks (`new`, `update`, `delete`). */
export type ChangeEvent = 'new' | 'update' | 'delete';
export type ChangeListener = (id: number, event: ChangeEvent) => void;

export class ResourceTable {
  /** Numeric id per slot, or -1 for a record without a numeric id (sorts first among ties). */
  private readonly idKeys: number[] = [];
  private readonly modified: SortedIndex;
  private readonly indices = new Map<string, SortedIndex>();
  /** Records replaced at runtime. Stored objects are never mutated, so a shallow copy of the map is a snapshot. */
  private readonly overrides = new Map<number, UpstreamRecord>();
  private readonly removedSlots = new Set<number>();
  /** Slots of ids the dataset does not know (created or put at runtime). */
  private readonly extraSlots = new Map<number, number>();
  private behaviour: SearchBehaviour;
  private readonly absentSort: AbsentSort;
  /** Draws one seed per search, so two identical searches shuffle a tie differently. */
  private readonly tieSeeds: Rng;
  /** The last run filtered by a pass, reused by the next pages of the same search until a mutation. */
  private filteredRun: { key: string; version: number; run: SlotRun } | undefined;
  /** Bumped by every mutation. */
  private version = 0;
  private maxId: number;
  private removals = 0;
  private revisions = 0;
  /** Told of every change, after it is made (the webhooks listen here: webhooks.ts). */
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    private readonly data: ResourceDataset,
    private readonly settings: TableSettings,
    options: TableBehaviour = {},
  ) {
    this.behaviour = { ...(options.behaviour ?? HONEST_BEHAVIOUR) };
    this.absentSort = options.absentSort ?? 'date_modified';
    this.tieSeeds = new Rng(options.tieSeed ?? 1);
    const keys: number[] = [];
    for (let slot = 0; slot < data.size; slot++) {
      const key = data.keyAt(slot);
      keys.push(key.dateModifiedKey);
      this.idKeys.push(typeof key.id === 'number' ? key.id : -1);
    }
    this.modified = new SortedIndex(this.idKeys, compareNumbers).build(keys.keys(), (slot) => keys[slot]);
    this.indices.set('date_modified', this.modified);
    this.maxId = data.maxId();
  }

  get size(): number {
    return this.modified.size;
  }

  /** Calls `listener` after every change to a record; returns what stops it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(id: number, event: ChangeEvent): void {
    for (const listener of this.listeners) listener(id, event);
  }

  /** A copy of how this table answers searches now. */
  get searchBehaviour(): SearchBehaviour {
    return { ...this.behaviour };
  }

  /** Changes how the next searches are answered; settings not named stay as they are. */
  setBehaviour(partial: Partial<SearchBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...partial };
  }

  /**
   * One page of records matching `query` as the behaviour reads it, as served (the caller must
   * not mutate them). A page starting at or past the cap throws BadSearchError (or is empty, per
   * the behaviour); a page straddling the cap is cut at it.
   */
  search(query: SearchQuery): SearchPage {
    const plan = planSearch(query, this.data.resource, this.behaviour, this.absentSort);
    const run = plan.ids ? this.idsRun(plan, plan.ids) : this.rangeRun(plan);
    const matched = run.hi - run.lo;
    const totalCountHint = matched + this.removals;
    const offset = (query.page_number - 1) * query.page_size;
    if (offset >= this.settings.cap) {
      if (this.behaviour.pastCap === 'empty') return { records: [], matched, totalCountHint };
      throw new BadSearchError(
        `searches return at most ${this.settings.cap} records: narrow the search with minimum_modified_date or minimum_created_date (page_number ${query.page_number} with page_size ${query.page_size} starts at record ${offset})`,
      );
    }
    const slots = readPage(run, {
      descending: plan.descending,
      offset,
      limit: Math.min(query.page_size, Math.min(matched, this.settings.cap) - offset),
      shuffleTies: this.behaviour.unstableTies ? new Rng(this.tieSeeds.int(0, 0xffff_ffff)) : undefined,
    });
    return { records: slots.map((slot) => this.recordAt(slot)), matched, totalCountHint };
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
    const slots = this.modified.order.slice();
    const overrides = new Map(this.overrides);
    const data = this.data;
    return (function* () {
      for (const slot of slots) yield overrides.get(slot) ?? data.recordAt(slot);
    })();
  }

  liveIds(): unknown[] {
    return this.modified.order.map((slot) => (this.idKeys[slot] >= 0 ? this.idKeys[slot] : this.recordAt(slot).id));
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
    this.changed(id, 'update');
    return structuredClone(next);
  }

  /** Deletes a live record; false if it was not live. It then just stops appearing, like upstream. */
  remove(id: number): boolean {
    const slot = this.liveSlotOf(id);
    if (slot === undefined) return false;
    for (const index of this.indices.values()) index.unlink(slot);
    this.removedSlots.add(slot);
    this.overrides.delete(slot);
    this.removals++;
    this.version++;
    this.changed(id, 'delete');
    return true;
  }

  /** Adds a new plausible record with the next id, created and modified now; `fields` override generated ones. */
  create(fields: UpstreamRecord = {}): UpstreamRecord {
    const id = this.maxId + 1;
    const slot = this.allocateSlot(id);
    const now = this.nextTimestamp();
    const record = { ...this.data.synthesize(slot, id, now), ...fields, id };
    this.store(slot, record, false);
    this.changed(id, 'new');
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
    this.changed(id, linked ? 'update' : 'new');
  }

  /** A random live record's numeric id (drift picks its victims with it), or undefined if there is none. */
  randomLiveId(rng: Rng): number | undefined {
    const order = this.modified.order;
    for (let attempt = 0; attempt < 8 && order.length > 0; attempt++) {
      const id = this.idKeys[order[rng.int(0, order.length - 1)]];
      if (id >= 0) return id;
    }
    return undefined;
  }

  /** The matching slots of a search without ids: a range of the sort field's index, then a pass for other filters. */
  private rangeRun(plan: SearchPlan): SlotRun {
    const index = this.index(plan.sortBy);
    let lo = 0;
    let hi = index.size;
    const others: SearchPlan['ranges'] = [];
    for (const range of plan.ranges) {
      // A range that reaches 0 would take in the null-dated records (key 0): the pass below drops them.
      if (range.field !== plan.sortBy || reachesNullKey(range)) others.push(range);
      if (range.field === plan.sortBy) {
        if (range.min !== undefined) lo = Math.max(lo, index.bound(range.min, true));
        if (range.max !== undefined) hi = Math.min(hi, index.bound(range.max, false));
      }
    }
    hi = Math.max(lo, hi);
    if (others.length === 0) return { slots: index.order, lo, hi, sameKey: index.sameKey };
    const key = JSON.stringify([plan.sortBy, plan.ranges]);
    if (this.filteredRun?.key === key && this.filteredRun.version === this.version) return this.filteredRun.run;
    const accepts = this.rangePredicate(others);
    const slots: number[] = [];
    for (let i = lo; i < hi; i++) if (accepts(index.order[i])) slots.push(index.order[i]);
    const run = { slots, lo: 0, hi: slots.length, sameKey: index.sameKey };
    this.filteredRun = { key, version: this.version, run };
    return run;
  }

  /** The live records among `ids` that pass the other filters, sorted like any search. */
  private idsRun(plan: SearchPlan, ids: readonly number[]): SlotRun {
    const index = this.index(plan.sortBy);
    const accepts = this.rangePredicate(plan.ranges);
    const slots = new Set<number>();
    for (const id of ids) {
      const slot = this.liveSlotOf(id);
      if (slot !== undefined && accepts(slot)) slots.add(slot);
    }
    const sorted = [...slots].sort(index.compareSlots);
    return { slots: sorted, lo: 0, hi: sorted.length, sameKey: index.sameKey };
  }

  /**
   * At most two ranges (modified, created): spelled out, since a full pass calls this once per
   * live record. A range filter excludes records whose date is null or missing (key 0), as the
   * real API's do, whatever its bounds.
   */
  private rangePredicate(ranges: SearchPlan['ranges']): (slot: number) => boolean {
    const [first, second] = ranges.map((range) => ({
      keys: this.index(range.field).keysBySlot as readonly number[],
      min: range.min ?? -Infinity,
      max: range.max ?? Infinity,
    }));
    if (!first) return () => true;
    const within = (r: { keys: readonly number[]; min: number; max: number }, slot: number) => {
      const key = r.keys[slot];
      return key !== 0 && key >= r.min && key <= r.max;
    };
    if (!second) return (slot) => within(first, slot);
    return (slot) => within(first, slot) && within(second, slot);
  }

  /** The index of a sort field, built on its first use and kept sorted from then on. */
  private index(field: string): SortedIndex {
    let index = this.indices.get(field);
    if (!index) {
      index = new SortedIndex(this.idKeys, TIMESTAMP_FIELDS.has(field) ? compareNumbers : compareValues).build(this.modified.order, (slot) =>
        this.keyOf(field, slot),
      );
      this.indices.set(field, index);
    }
    return index;
  }

  /** A record's sort key for a field; a generated record's timestamps come from its header, without building it. */
  private keyOf(field: string, slot: number, record = this.overrides.get(slot)): unknown {
    if (!TIMESTAMP_FIELDS.has(field)) return (record ?? this.data.recordAt(slot))[field];
    if (record) return timestampKey(record[field]);
    const key = this.data.keyAt(slot);
    return field === 'date_modified' ? key.dateModifiedKey : key.dateCreatedKey;
  }

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
    const slot = this.idKeys.length;
    this.idKeys.push(id);
    this.extraSlots.set(id, slot);
    this.maxId = Math.max(this.maxId, id);
    return slot;
  }

  /** Sets a slot's record and (re)links it in every index; `linked` says whether it is in them now. */
  private store(slot: number, record: UpstreamRecord, linked: boolean): void {
    for (const [field, index] of this.indices) {
      if (linked) index.unlink(slot);
      index.link(slot, this.keyOf(field, slot, record));
    }
    this.overrides.set(slot, record);
    this.version++;
  }

  private nextTimestamp(): number {
    const now = this.settings.clock();
    const order = this.modified.order;
    if (!this.settings.strictlyLatest || order.length === 0) return now;
    return Math.max(now, (this.modified.keyOf(order[order.length - 1]) as number) + 1);
  }

  private revisionPatch(current: UpstreamRecord): UpstreamRecord {
    const base = typeof current.name === 'string' ? current.name.replace(/ \(rev \d+\)$/, '') : `Record ${String(current.id)}`;
    return { name: `${base} (rev ${++this.revisions})` };
  }
}

/** Whether a range's bounds take in key 0, the key of a null or missing date. */
function reachesNullKey(range: SearchPlan['ranges'][number]): boolean {
  return (range.min ?? -Infinity) <= 0 && (range.max ?? Infinity) >= 0;
}
