import pino from 'pino';
import type { Capabilities } from '../../src/sync/capabilities.js';
import type { UpstreamClient } from '../../src/sync/http-client.js';
import { fetchPages } from '../../src/sync/page-source.js';
import type { SearchBody } from '../../src/sync/paginators.js';
import { ResourceSearch } from '../../src/sync/resource-search.js';
import type { CrawlContext, CrawlSettings } from '../../src/sync/strategies/strategy.js';
import { positionFrom, type StatePatch } from '../../src/sync/sync-state.store.js';
import type { SyncState } from '../../src/entities/index.js';

/**
 * A small in-memory upstream for strategy tests: exact search semantics, each of them switchable
 * (filters and sort ignored, ties shuffled per request, a cap answered empty or with a 400),
 * and a hook after every search to change the data at an exact point of a crawl.
 */
export interface FakeRecord {
  id: number;
  date_modified: number | null;
  date_created: number;
  name: string;
}

export interface FakeBehaviour {
  modifiedFilter: boolean;
  createdFilter: boolean;
  ids: boolean;
  sort: boolean;
  unstableTies: boolean;
  cap: number;
  pastCap: 'empty' | 'error';
}

export class FakeUpstream {
  readonly records = new Map<number, FakeRecord>();
  behaviour: FakeBehaviour = { modifiedFilter: true, createdFilter: true, ids: true, sort: true, unstableTies: false, cap: 100_000, pastCap: 'error' };
  searches = 0;
  hook?: (count: number, body: SearchBody) => void;
  private clock = 1_000;
  private seed = 7;

  /** `count` records created (and modified) at `stamp`, ids from the next free one. */
  add(count: number, stamp: { modified?: number | null; created?: number } = {}): FakeRecord[] {
    const added: FakeRecord[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.records.size === 0 ? 1 : Math.max(...this.records.keys()) + 1;
      const created = stamp.created ?? this.tick();
      const record = { id, date_created: created, date_modified: stamp.modified === undefined ? created : stamp.modified, name: `r${id}` };
      this.records.set(id, record);
      added.push(record);
    }
    return added;
  }

  modify(id: number): void {
    const record = this.records.get(id)!;
    this.records.set(id, { ...record, date_modified: this.tick(), name: `${record.name}'` });
  }

  remove(id: number): void {
    this.records.delete(id);
  }

  live(): FakeRecord[] {
    return [...this.records.values()];
  }

  search(body: SearchBody): FakeRecord[] {
    const b = this.behaviour;
    this.searches++;
    let rows = [...this.records.values()];
    if (b.ids && body.ids) rows = rows.filter((r) => body.ids!.includes(r.id));
    const within = (key: number | null, min?: number, max?: number) => key !== null && (min === undefined || key >= min) && (max === undefined || key <= max);
    if (b.modifiedFilter && (body.minimum_modified_date !== undefined || body.maximum_modified_date !== undefined)) {
      rows = rows.filter((r) => within(r.date_modified, body.minimum_modified_date, body.maximum_modified_date));
    }
    if (b.createdFilter && (body.minimum_created_date !== undefined || body.maximum_created_date !== undefined)) {
      rows = rows.filter((r) => within(r.date_created, body.minimum_created_date, body.maximum_created_date));
    }
    const field = b.sort && body.sort_by ? (body.sort_by as 'date_modified' | 'date_created') : null;
    const sign = body.sort_direction === 'desc' ? -1 : 1;
    const tiebreak = new Map(rows.map((r) => [r.id, b.unstableTies ? this.random() : r.id]));
    rows.sort((x, y) => {
      if (field === null) return x.name.localeCompare(y.name) || tiebreak.get(x.id)! - tiebreak.get(y.id)!;
      const kx = x[field] ?? -Infinity;
      const ky = y[field] ?? -Infinity;
      return kx !== ky ? sign * (kx - ky) : tiebreak.get(x.id)! - tiebreak.get(y.id)!;
    });
    const offset = (body.page_number - 1) * body.page_size;
    let page: FakeRecord[];
    if (offset >= b.cap) {
      if (b.pastCap === 'error') throw new Error(`HTTP 400: past the cap (${b.cap})`);
      page = [];
    } else page = rows.slice(offset, Math.min(offset + body.page_size, b.cap)).map((r) => ({ ...r }));
    this.hook?.(this.searches, body);
    return page;
  }

  /** An UpstreamClient stand-in answering from this upstream, in the `data` envelope. */
  client(): UpstreamClient {
    return { search: async (_path: string, body: object) => ({ data: this.search(body as SearchBody) }) } as unknown as UpstreamClient;
  }

  /** The next timestamp: later than every one held, as on the real API (a change sorts last). */
  private tick(): number {
    for (const record of this.records.values()) this.clock = Math.max(this.clock, record.date_modified ?? 0, record.date_created);
    return ++this.clock;
  }

  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed;
  }
}

export const ALL_CAPABILITIES: Capabilities = {
  modifiedMin: true,
  modifiedMax: true,
  createdMin: true,
  createdMax: true,
  ids: true,
  sortModifiedAsc: true,
  sortModifiedDesc: true,
  sortCreatedAsc: true,
  sortCreatedDesc: true,
  stableTies: true,
};

/** A crawl context over a fake upstream whose "mirror" is a map of the records written, by id. */
export function fakeContext(
  upstream: FakeUpstream,
  capabilities: Partial<Capabilities> = {},
  settings: Partial<CrawlSettings> = {},
): { ctx: CrawlContext; mirror: Map<string, FakeRecord>; state: Partial<SyncState> } {
  const mirror = new Map<string, FakeRecord>();
  const state: Partial<SyncState> = {};
  const client = upstream.client();
  const stats = { requests: 0, retries: 0, rateLimited: 0 };
  const write = (records: readonly unknown[]) => {
    for (const record of records) mirror.set(String((record as FakeRecord).id), record as FakeRecord);
    return (records as FakeRecord[]).map((r) => String(r.id));
  };
  const ctx: CrawlContext = {
    capabilities: { ...ALL_CAPABILITIES, ...capabilities },
    settings: { pageSize: 3, cap: upstream.behaviour.cap, tiePasses: 20, lookbackSeconds: 0, ...settings },
    search: new ResourceSearch(client, 'people', '/v1/resource/people/search', 'data', stats),
    log: pino({ level: 'silent' }),
    async crawl(paginator, options = {}) {
      let last;
      for await (const page of fetchPages({ client, resource: 'people', path: '/search', dataSelector: 'data', paginator })) {
        const ids = write(page.records);
        if (options.checkpoint) Object.assign(state, options.checkpoint(page.next));
        options.onRows?.(ids);
        last = page;
        if (options.until?.(page)) break;
      }
      return last;
    },
    write: async (records) => write(records),
    saveState: async (patch: StatePatch) => void Object.assign(state, patch),
    largeGroups: async () => [],
  };
  return { ctx, mirror, state };
}

/** A sync_state row holding an incremental cursor. */
export function stateAt(cursor: number | null): SyncState {
  const position = positionFrom(cursor === null ? null : String(cursor), 1);
  return { cursorModified: position.minimum === null ? null : String(position.minimum), cursorPage: 1 } as SyncState;
}

/** The mirror holds every live record, as it is now. */
export function exact(upstream: FakeUpstream, mirror: Map<string, FakeRecord>): { missing: number[]; stale: number[] } {
  const missing: number[] = [];
  const stale: number[] = [];
  for (const record of upstream.live()) {
    const held = mirror.get(String(record.id));
    if (!held) missing.push(record.id);
    else if (held.date_modified !== record.date_modified || held.name !== record.name) stale.push(record.id);
  }
  return { missing, stale };
}
