import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import type { SearchCall } from '../../src/sync/http-client.js';
import { fetchPages, type Page } from '../../src/sync/page-source.js';
import { KeysetPaginator, START } from '../../src/sync/paginators.js';
import { RECORD_RESOURCES } from '../../src/resources/resource-table.js';
import { HookedClient } from './hooked-client.js';

/** Records when each search starts and how it ended, so a test can see a request sent ahead. */
class WatchedClient extends HookedClient {
  started = 0;
  readonly outcomes: ('answered' | 'failed')[] = [];
  override async search(path: string, body: object, call: SearchCall): Promise<unknown> {
    this.started++;
    try {
      const response = await super.search(path, body, call);
      this.outcomes.push('answered');
      return response;
    } catch (error) {
      this.outcomes.push('failed');
      throw error;
    }
  }
}

const people = RECORD_RESOURCES.find((r) => r.name === 'people')!;

describe('fetchPages: the next page is requested while the current one is written', () => {
  let sim: Simulator;
  let config: Readonly<AppConfig>;
  beforeAll(async () => {
    sim = await startSimulator({ records: 0, counts: { people: 1_000 }, seed: 11 });
    config = loadConfig(
      { UPSTREAM_BASE_URL: sim.url, UPSTREAM_API_KEY: 'test-key', UPSTREAM_USER_EMAIL: 'test@example.com', UPSTREAM_PAGE_SIZE: '200' },
      { upstream: true },
    );
  });
  afterAll(async () => sim?.close());

  const pagesOf = (client: WatchedClient) =>
    fetchPages({ client, resource: 'people', path: people.path, dataSelector: 'data', paginator: new KeysetPaginator({ pageSize: 200, field: people.cursorField, start: START, cap: 100_000, tiePasses: 5 }) });

  it('has one request in flight ahead of the consumer, and none past the last page', async () => {
    const client = new WatchedClient(config);
    const startedWhenHandedOut: number[] = [];
    const ids: unknown[] = [];
    for await (const page of pagesOf(client)) {
      startedWhenHandedOut.push(client.started);
      ids.push(...page.records.map((r) => (r as { id: unknown }).id));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the "write"
    }
    // Page n is handed out once request n + 1 has been sent; the last page sends nothing more.
    expect(startedWhenHandedOut).toEqual([2, 3, 4, 5, 6, 6]);
    expect(client.started).toBe(6);
    expect(new Set(ids).size).toBe(1_000);
  });

  it('aborts the request sent ahead when the consumer stops early, without an unhandled rejection', async () => {
    const client = new WatchedClient(config);
    const seen: Page[] = [];
    for await (const page of pagesOf(client)) {
      seen.push(page);
      if (seen.length === 2) break;
    }
    expect(client.started).toBe(3);
    await expect.poll(() => client.outcomes.length).toBe(3);
    expect(client.outcomes).toEqual(['answered', 'answered', 'failed']);
  });
});
