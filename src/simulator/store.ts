import { generateDataset, type Dataset, type DatasetOptions } from './dataset.js';
import { rngFor } from './random.js';
import { ResourceTable, type ChangeEvent, type SearchPage, type TableSettings } from './resource-table.js';
import { checkResourceKeys, RESOURCE_TRAITS, SIMULATED_RESOURCES, type ResourceName, type UpstreamRecord } from './resources.js';
import { absentSortOf, checkBehaviour, profileBehaviour, type SearchBehaviour, type SearchProfile } from './search-behaviour.js';
import type { SearchQuery } from './search-query.js';

export interface StoreOptions {
  /** Result cap of every search (default 100,000, like the real API). */
  cap?: number;
  /** Epoch seconds; default `Math.floor(Date.now() / 1000)`. */
  clock?: () => number;
  /** See TableSettings.strictlyLatest (default true). */
  strictlyLatest?: boolean;
  /** The starting behaviour of every resource (default 'honest'); see search-behaviour.ts. */
  profile?: SearchProfile;
  /** Per-resource changes on top of the profile. */
  behaviour?: Partial<Record<ResourceName, Partial<SearchBehaviour>>>;
}

const STREAM_TIES = 31;

export const DEFAULT_RESULT_CAP = 100_000;

/**
 * The simulator's live data: one table per resource over a generated dataset. Search semantics:
 * date bounds are inclusive, and a record whose `date_modified` (or `date_created`) is null or
 * missing counts as 0. Such a record therefore sorts first and is only found by a search without
 * a minimum (or with one <= 0): a client that only ever crawls incrementally never sees it,
 * which is the behaviour a mirror must survive (its first full crawl must not set a minimum).
 * What each resource honours of a search is its SearchBehaviour.
 */
export class UpstreamStore {
  readonly dataset: Dataset;
  private readonly settings: TableSettings;
  private readonly tables: Record<ResourceName, ResourceTable>;

  constructor(dataset: Dataset | DatasetOptions, options: StoreOptions = {}) {
    this.dataset = 'resources' in dataset ? dataset : generateDataset(dataset);
    this.settings = {
      cap: options.cap ?? DEFAULT_RESULT_CAP,
      clock: options.clock ?? (() => Math.floor(Date.now() / 1000)),
      strictlyLatest: options.strictlyLatest ?? true,
    };
    const profile = options.profile ?? 'honest';
    if (profile !== 'honest' && profile !== 'copper') throw new RangeError(`profile must be honest or copper, got ${JSON.stringify(profile)}`);
    const overrides = options.behaviour ?? {};
    checkResourceKeys('behaviour', overrides);
    const seed = this.dataset.options.seed;
    this.tables = Object.fromEntries(
      SIMULATED_RESOURCES.map((resource) => {
        const behaviour = { ...profileBehaviour(profile, resource), ...checkBehaviour(overrides[resource] ?? {}, `behaviour.${resource}`) };
        const tieSeed = rngFor(seed, RESOURCE_TRAITS[resource].streamId, STREAM_TIES).int(0, 0xffff_ffff);
        return [resource, new ResourceTable(this.dataset.resource(resource), this.settings, { behaviour, absentSort: absentSortOf(profile), tieSeed })];
      }),
    ) as Record<ResourceName, ResourceTable>;
  }

  /** Changes how the resource answers its next searches; settings not named stay as they are. Throws a RangeError on a bad setting. */
  setBehaviour(resource: ResourceName, partial: Partial<SearchBehaviour>): void {
    this.tables[resource].setBehaviour(checkBehaviour(partial, `behaviour.${resource}`));
  }

  behaviourOf(resource: ResourceName): SearchBehaviour {
    return this.tables[resource].searchBehaviour;
  }

  get cap(): number {
    return this.settings.cap;
  }

  set cap(value: number) {
    this.settings.cap = value;
  }

  setClock(clock: () => number): void {
    this.settings.clock = clock;
  }

  setStrictlyLatest(value: boolean): void {
    this.settings.strictlyLatest = value;
  }

  table(resource: ResourceName): ResourceTable {
    return this.tables[resource];
  }

  search(resource: ResourceName, query: SearchQuery): SearchPage {
    return this.tables[resource].search(query);
  }

  count(resource: ResourceName): number {
    return this.tables[resource].size;
  }

  liveRecords(resource: ResourceName): UpstreamRecord[] {
    return this.tables[resource].liveRecords();
  }

  liveIds(resource: ResourceName): unknown[] {
    return this.tables[resource].liveIds();
  }

  get(resource: ResourceName, id: number): UpstreamRecord | undefined {
    return this.tables[resource].get(id);
  }

  modify(resource: ResourceName, id: number, patch?: UpstreamRecord): UpstreamRecord | undefined {
    return this.tables[resource].modify(id, patch);
  }

  remove(resource: ResourceName, id: number): boolean {
    return this.tables[resource].remove(id);
  }

  create(resource: ResourceName, fields?: UpstreamRecord): UpstreamRecord {
    return this.tables[resource].create(fields);
  }

  put(resource: ResourceName, record: UpstreamRecord): void {
    this.tables[resource].put(record);
  }

  /** Calls `listener` after every change to a record of any resource (drift and test mutations alike); returns what stops it. */
  onChange(listener: (resource: ResourceName, id: number, event: ChangeEvent) => void): () => void {
    const stops = SIMULATED_RESOURCES.map((resource) => this.tables[resource].onChange((id, event) => listener(resource, id, event)));
    return () => stops.forEach((stop) => stop());
  }
}
