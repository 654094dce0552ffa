import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HONEST_BEHAVIOUR, startSimulator, TIE_INSTANT, type Simulator } from '../../src/simulator/index.js';
import { dataOf, get, post, search } from './http.js';

describe('behaviour of a running simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ records: 4_000, seed: 8, profile: 'copper', behaviour: { opportunities: { sort: 'ignored' } }, nullCursors: { companies: 20 }, tieBlock: { people: 700 } });
  });
  afterAll(() => sim.close());

  /** The order of 200 tied people, asked by ids (the copper profile ignores the modified filter for people). */
  const tieIds = async () => {
    const ids = sim.store.liveRecords('people').filter((r) => r.date_modified === TIE_INSTANT).slice(0, 200).map((r) => r.id);
    return dataOf(await search(sim, 'people', { page_size: 200, sort_by: 'date_modified', ids })).map((r) => r.id);
  };

  it('takes the profile, the overrides and the data shapes from its options', async () => {
    expect(sim.behaviourOf('people')).toMatchObject({ modifiedFilter: false, unstableTies: true });
    expect(sim.behaviourOf('opportunities')).toMatchObject({ modifiedFilter: true, sort: 'ignored' });
    expect(sim.store.liveRecords('companies').filter((r) => typeof r.date_modified !== 'number')).toHaveLength(20);
    expect(sim.store.liveRecords('people').filter((r) => r.date_modified === TIE_INSTANT)).toHaveLength(700);
    const hook = (await get(sim, '/__simulator/behaviour')).json as Record<string, unknown>;
    expect(hook.opportunities).toEqual(sim.behaviourOf('opportunities'));
    expect(Object.keys(hook).sort()).toEqual(['companies', 'opportunities', 'people', 'projects']);
  });

  it('setBehaviour changes what the next HTTP search honours', async () => {
    const newest = sim.store.liveRecords('people').at(-1)!.date_modified as number;
    const body = { page_size: 200, sort_by: 'date_modified', minimum_modified_date: newest };
    expect(dataOf(await search(sim, 'people', body))).toHaveLength(200);
    sim.setBehaviour('people', { modifiedFilter: true });
    expect(dataOf(await search(sim, 'people', body)).every((r) => r.date_modified === newest)).toBe(true);
    sim.setBehaviour('people', { modifiedFilter: false });
    expect(sim.behaviourOf('companies').modifiedFilter).toBe(false);
  });

  it('POST /__simulator/behaviour switches one resource for a client in another process', async () => {
    const reply = await post(sim, '/__simulator/behaviour', { resource: 'people', unstableTies: false, pastCap: 'empty' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ resource: 'people', behaviour: { ...HONEST_BEHAVIOUR, modifiedFilter: false, pastCap: 'empty' } });
    expect(await tieIds()).toEqual(await tieIds());
    expect(dataOf(await search(sim, 'people', { page_number: 1_000, page_size: 200 }))).toEqual([]);
    await post(sim, '/__simulator/behaviour', { resource: 'people', unstableTies: true });
    expect(await tieIds()).not.toEqual(await tieIds());
    expect(sim.behaviourOf('projects')).toMatchObject({ unstableTies: true, pastCap: 'error' });
  });

  it.each([
    ['an unknown resource', { resource: 'leads', sort: 'ignored' }, /resource must be one of .*got "leads"/],
    ['an unknown setting', { resource: 'people', speed: 'fast' }, /unknown behaviour setting "speed"/],
    ['a bad value', { resource: 'people', pastCap: 'maybe' }, /pastCap must be "error" or "empty", got "maybe"/],
  ])('answers 400 to the behaviour hook for %s, changing nothing', async (_name, body, message) => {
    const before = sim.behaviourOf('people');
    const reply = await post(sim, '/__simulator/behaviour', body);
    expect(reply.status).toBe(400);
    expect((reply.json as { message: string }).message).toMatch(message);
    expect(sim.behaviourOf('people')).toEqual(before);
  });
});
