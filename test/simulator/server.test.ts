import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { AUTH, dataOf, get, post, search } from './http.js';

describe('simulator HTTP API', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ records: 2_000, seed: 5, cap: 500, totalCountHeader: true });
  });
  afterAll(() => sim.close());

  it('listens on 127.0.0.1 and serves pages under data', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await search(sim, 'people', { page_number: 1, page_size: 200, sort_by: 'date_modified', sort_direction: 'asc' });
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(dataOf(reply)).toEqual(sim.store.liveRecords('people').slice(0, 200));
  });

  it('serves exactly the live records over a full crawl, ending with a short page', async () => {
    const seen: unknown[] = [];
    for (let page = 1; ; page++) {
      const records = dataOf(await search(sim, 'companies', { page_number: page, page_size: 200 }));
      seen.push(...records);
      if (records.length < 200) break;
    }
    expect(seen).toEqual(sim.store.liveRecords('companies'));
  });

  it('ignores paging parameters in the query string', async () => {
    const path = '/v1/resource/people/search?page_number=2&page_size=5';
    const first = dataOf(await post(sim, path, { page_number: 1, page_size: 3 }));
    expect(first.map((r) => r.id)).toEqual(sim.store.liveRecords('people').slice(0, 3).map((r) => r.id));
    expect(dataOf(await post(sim, path, {}))).toHaveLength(20);
  });

  it('answers 401 for a missing or wrong key or email, naming the header but never echoing the key', async () => {
    const secret = 'sk-very-secret-123';
    const replies = await Promise.all([
      search(sim, 'people', {}, { api_key: secret, user_email: AUTH.user_email }),
      search(sim, 'people', {}, { user_email: AUTH.user_email }),
      search(sim, 'people', {}, { api_key: AUTH.api_key }),
      search(sim, 'people', {}, { api_key: AUTH.api_key, user_email: 'someone@else.test' }),
    ]);
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(typeof (reply.json as { message: string }).message).toBe('string');
      expect(reply.text).not.toContain(secret);
      expect(reply.text).not.toContain('test-key');
    }
    expect(replies[0].text).toContain('api_key');
    expect(replies[2].text).toContain('user_email');
  });

  it.each([
    ['a body that is not JSON', '{"page_number": 1,'],
    ['page_size 0', { page_size: 0 }],
    ['page_size 201', { page_size: 201 }],
    ['page_number 0', { page_number: 0 }],
    ['a fractional page_number', { page_number: 1.5 }],
    ['an unknown sort_by', { sort_by: 'favourite_colour' }],
    ['a bad sort_direction', { sort_direction: 'up' }],
    ['a text minimum_modified_date', { minimum_modified_date: 'yesterday' }],
    ['a JSON array body', [1, 2]],
  ])('answers 400 with a message for %s', async (_name, body) => {
    const reply = await search(sim, 'people', body);
    expect(reply.status).toBe(400);
    expect((reply.json as { message: string }).message.length).toBeGreaterThan(5);
  });

  it('answers 400 for a page starting past the cap and cuts the page straddling it', async () => {
    expect(dataOf(await search(sim, 'people', { page_number: 3, page_size: 199 }))).toHaveLength(500 - 2 * 199);
    const reply = await search(sim, 'people', { page_number: 6, page_size: 100 });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('minimum_modified_date');
  });

  it('answers 404 for unknown paths and resources, 405 for other methods', async () => {
    expect((await search(sim, 'leads', {})).status).toBe(404);
    expect((await post(sim, '/v1/resource/people', {})).status).toBe(404);
    const wrongMethod = await request(`${sim.url}/v1/resource/people/search`, { headers: AUTH });
    expect(wrongMethod.statusCode).toBe(405);
    await wrongMethod.body.dump();
  });

  it('sends X-Total-Count as an upper bound when asked', async () => {
    const reply = await search(sim, 'projects', { page_size: 1 });
    expect(Number(reply.headers['x-total-count'])).toBeGreaterThanOrEqual(sim.store.count('projects'));
  });

  it('serves live records, ids and stats on the /__simulator test hooks', async () => {
    const records = await get(sim, '/__simulator/records/opportunities');
    expect(records.json).toEqual(sim.store.liveRecords('opportunities'));
    expect((await get(sim, '/__simulator/ids/opportunities')).json).toEqual(sim.store.liveIds('opportunities'));
    const stats = (await get(sim, '/__simulator/stats')).json as { requests: number; byStatus: Record<string, number>; live: Record<string, number> };
    expect(stats.requests).toBe(sim.stats.requests);
    expect(stats.byStatus['401']).toBeGreaterThanOrEqual(4);
    expect(stats.live.opportunities).toBe(sim.store.count('opportunities'));
    expect(sim.stats.byResource.companies).toBeGreaterThan(0);
  });

  it('streams thousands of hostile records from the records hook, as an array or NDJSON', async () => {
    const big = await startSimulator({ records: 20_000, seed: 1, hostile: true, rejects: true });
    try {
      const records = (await get(big, '/__simulator/records/people')).json as Record<string, unknown>[];
      expect(records).toHaveLength(big.store.count('people'));
      expect(records.filter((r) => r.id === 'abc')).toHaveLength(1);
      const lines = (await get(big, '/__simulator/records/people?format=ndjson')).text.trimEnd().split('\n');
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(records);
    } finally {
      await big.close();
    }
  });
});

describe('simulator configuration', () => {
  it('serves a bare array with the bare envelope', async () => {
    const sim = await startSimulator({ records: 300, envelope: 'bare' });
    try {
      const reply = await search(sim, 'companies', { page_size: 10 });
      expect(Array.isArray(reply.json)).toBe(true);
      expect(reply.json).toEqual(sim.store.liveRecords('companies').slice(0, 10));
    } finally {
      await sim.close();
    }
  });

  it('takes credentials from configured header names', async () => {
    const sim = await startSimulator({ records: 100, apiKeyHeader: 'X-PW-AccessToken', userEmailHeader: 'X-PW-UserEmail', apiKey: 'k', userEmail: 'me@x.test' });
    try {
      expect((await search(sim, 'people', {}, { 'x-pw-accesstoken': 'k', 'x-pw-useremail': 'me@x.test' })).status).toBe(200);
      expect((await search(sim, 'people', {}, AUTH)).status).toBe(401);
    } finally {
      await sim.close();
    }
  });
});
