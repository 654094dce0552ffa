import { afterEach, describe, expect, it } from 'vitest';
import { DriftController, UpstreamStore, parseDriftSpec, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { dataOf, post, search } from './http.js';

describe('drift', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('modifies, removes and creates records after every K-th search, and liveRecords reflects it', async () => {
    sim = await startSimulator({ records: 2_000, seed: 3, drift: { everyRequests: 2, modify: 3, remove: 2, create: 1 } });
    const before = sim.store.liveRecords('people');
    await search(sim, 'people', { page_size: 10 });
    expect(sim.drift.totals.events).toBe(0);
    await search(sim, 'people', { page_size: 10 });
    expect(sim.drift.events).toHaveLength(1);
    const [event] = sim.drift.events;
    expect(event).toMatchObject({ resource: 'people', afterSearch: 2 });
    expect([event.modified.length, event.removed.length, event.created.length]).toEqual([3, 2, 1]);

    const after = sim.store.liveRecords('people');
    const liveIds = new Set(after.map((r) => r.id));
    expect(after).toHaveLength(before.length - 2 + 1);
    for (const id of event.removed) expect(liveIds.has(id)).toBe(false);
    const newestBefore = Math.max(...before.map((r) => r.date_modified as number));
    for (const id of [...event.modified.filter((m) => !event.removed.includes(m)), ...event.created]) {
      expect(after.find((r) => r.id === id)!.date_modified as number).toBeGreaterThan(newestBefore);
    }
    // What the API serves is what liveRecords says, after the drift too.
    sim.drift.configure(false);
    const served = [];
    for (let page = 1; ; page++) {
      const records = dataOf(await search(sim, 'people', { page_number: page, page_size: 200 }));
      served.push(...records);
      if (records.length < 200) break;
    }
    expect(served).toEqual(sim.store.liveRecords('people'));
  });

  it('makes an offset crawl under drift miss or repeat records, which a full reconciliation must catch', async () => {
    sim = await startSimulator({ records: 4_000, seed: 3, drift: { everyRequests: 1, modify: 3, remove: 3, create: 0, seed: 5 } });
    const seen = new Map<unknown, number>();
    for (let page = 1; ; page++) {
      const records = dataOf(await search(sim, 'people', { page_number: page, page_size: 200 }));
      for (const record of records) seen.set(record.id, (seen.get(record.id) ?? 0) + 1);
      if (records.length < 200) break;
    }
    const live = sim.store.liveIds('people');
    const missed = live.filter((id) => !seen.has(id));
    const repeated = [...seen.values()].filter((n) => n > 1);
    expect(missed.length + repeated.length).toBeGreaterThan(0);
  });

  it('is deterministic under a seed, and can drift any resource', () => {
    const run = () => {
      const store = new UpstreamStore({ records: 3_000, seed: 1 }, { clock: () => 1_800_000_000 });
      const drift = new DriftController(store, { probability: 0.5, scope: 'any', seed: 42 });
      for (let i = 0; i < 40; i++) drift.afterSearch('people');
      return { events: drift.events, live: store.liveRecords('opportunities') };
    };
    const first = run();
    expect(first).toEqual(run());
    expect(new Set(first.events.map((e) => e.resource)).size).toBeGreaterThan(1);
    expect(first.events.length).toBeGreaterThan(10);
    expect(first.events.length).toBeLessThan(30);
  });

  it('can be switched at runtime, also through the drift hook', async () => {
    sim = await startSimulator({ records: 500 });
    expect(sim.drift.enabled).toBe(false);
    expect((await post(sim, '/__simulator/drift', { everyRequests: 1, modify: 1, remove: 0, create: 0 }, {})).json).toEqual({ enabled: true });
    await search(sim, 'companies', {});
    expect(sim.drift.totals).toMatchObject({ events: 1, modified: 1 });
    await post(sim, '/__simulator/drift', false, {});
    await search(sim, 'companies', {});
    expect(sim.drift.totals.events).toBe(1);
  });

  it('parses command-line drift specs', () => {
    expect(parseDriftSpec('every=20,modify=2,remove=1,create=0,scope=any,seed=7')).toEqual({
      everyRequests: 20, modify: 2, remove: 1, create: 0, scope: 'any', seed: 7,
    });
    expect(parseDriftSpec('off')).toBe(false);
    expect(() => parseDriftSpec('often=1')).toThrow(/unknown drift setting/);
  });
});
