import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { ADMIN_TOKEN, startHarness, type Harness } from '../graphql/support/harness.js';
import { DIALECTS } from '../support/databases.js';
import { changesOf, commitChanges, writePeople } from './support/commit-changes.js';
import { subscribe } from './support/subscriber.js';

const ADMIN = `Bearer ${ADMIN_TOKEN}`;

async function listen(h: Harness): Promise<string> {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  return `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/graphql`;
}

describe.each(DIALECTS)('recordsChanged on %s', (dialect) => {
  let h: Harness;
  let url: string;
  let peopleOnly: string;
  beforeAll(async () => {
    h = await startHarness(dialect, { env: { AUTH_MODE: 'api-key', CHANGE_FEED_POLL_MS: '20' } });
    url = await listen(h);
    peopleOnly = `Bearer ${(await new ApiKeyStore(h.dataSource).create('companies-reader', ['read:companies'])).key}`;
  });
  afterAll(async () => h?.close());
  // A closed client's subscription leaves the server a moment later: the next test counts on an empty feed.
  afterEach(async () => {
    while (h.app.changeFeed.size > 0) await new Promise((r) => setTimeout(r, 5));
  });

  it('delivers a change committed by the sync page writer, grouped into one event', async () => {
    const subscriber = subscribe({ url, authorization: ADMIN });
    await waitForFeed(h);
    await writePeople(h.dataSource, [910001, 910002, 910003]);
    expect(await subscriber.waitForIds(3)).toEqual(['910001', '910002', '910003']);
    const [event] = subscriber.events;
    expect(event).toMatchObject({ resource: 'PEOPLE', kind: 'UPSERTED', source: 'SYNC', ids: ['910001', '910002', '910003'] });
    expect(new Date(event!.committedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(BigInt(event!.cursor)).toBe(await h.dataSource.query('SELECT MAX(sequence) AS s FROM change_log').then((r: { s: string | number }[]) => BigInt(r[0]!.s)));
    await subscriber.close();
  });

  it('resumes after a reconnect with its last cursor: nothing missed, nothing twice, while changes keep committing', async () => {
    let next = 920_000;
    const committed: string[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const ids = [next++, next++].map(String);
        await commitChanges(h.dataSource, changesOf('companies', ids));
        committed.push(...ids);
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    const received: string[] = [];
    let cursor: string | undefined;
    // The first leg starts from now; each later one resumes from the last cursor it saw.
    for (let leg = 0; leg < 4; leg++) {
      const subscriber = subscribe({ url, authorization: ADMIN, resources: ['COMPANIES'], after: cursor });
      await subscriber.waitForIds(6);
      await subscriber.close();
      received.push(...subscriber.ids());
      cursor = subscriber.events.at(-1)!.cursor;
    }
    writing = false;
    await writer;
    const first = committed.indexOf(received[0]!);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(received).toEqual(committed.slice(first, first + received.length));
    expect(new Set(received).size).toBe(received.length);
  });

  it('sends a subscriber without read:people no people events, and refuses it when it names PEOPLE', async () => {
    const all = subscribe({ url, authorization: peopleOnly });
    await waitForFeed(h);
    await commitChanges(h.dataSource, [...changesOf('people', ['930001']), ...changesOf('companies', ['930002'])]);
    await commitChanges(h.dataSource, changesOf('people', ['930003']));
    await commitChanges(h.dataSource, changesOf('companies', ['930004']));
    expect(await all.waitForIds(2)).toEqual(['930002', '930004']);
    expect(new Set(all.events.map((e) => e.resource))).toEqual(new Set(['COMPANIES']));
    await all.close();

    const named = subscribe({ url, authorization: peopleOnly, resources: ['PEOPLE', 'COMPANIES'] });
    await named.ended;
    expect(JSON.stringify(named.errors)).toMatch(/FORBIDDEN/);
    expect(JSON.stringify(named.errors)).toMatch(/read:people/);
    expect(named.events).toEqual([]);
  });

  it('refuses a connection without a valid credential with 4401, one that may read nothing with 4403, and a malformed or foreign cursor with BAD_USER_INPUT', async () => {
    const anonymous = subscribe({ url });
    await anonymous.ended;
    expect((anonymous.errors[0] as { code?: number }).code).toBe(4401);
    const wrong = subscribe({ url, authorization: 'Bearer mg_not-a-key' });
    await wrong.ended;
    expect((wrong.errors[0] as { code?: number }).code).toBe(4401);
    // A valid key that may read no resource: 4403, with the reason.
    const syncOnly = subscribe({ url, authorization: `Bearer ${(await new ApiKeyStore(h.dataSource).create('sync-reader', ['read:sync'])).key}` });
    await syncOnly.ended;
    expect(syncOnly.errors[0]).toMatchObject({ code: 4403, reason: expect.stringMatching(/holds no read:<resource> scope/) });

    const malformed = subscribe({ url, authorization: ADMIN, after: 'abc"<script>'.repeat(20) });
    await malformed.ended;
    const message = JSON.stringify(malformed.errors);
    expect(message).toMatch(/BAD_USER_INPUT/);
    expect(message).toMatch(/expected a cursor/);
    expect(message.length).toBeLessThan(600);
    const foreign = subscribe({ url, authorization: ADMIN, after: '99999999999' });
    await foreign.ended;
    expect(JSON.stringify(foreign.errors)).toMatch(/past the change log's last sequence/);
  });

  it('takes the credential from the upgrade request Authorization header too', async () => {
    const subscriber = subscribe({ url, headers: { authorization: ADMIN } });
    await waitForFeed(h);
    await commitChanges(h.dataSource, changesOf('projects', ['940001']), 'webhook');
    expect(await subscriber.waitForIds(1)).toEqual(['940001']);
    expect(subscriber.events[0]).toMatchObject({ resource: 'PROJECTS', source: 'WEBHOOK' });
    await subscriber.close();
  });
});

/**
 * Until exactly `count` subscribers are open and fed live: a change committed before a
 * subscriber without a cursor is live would count as before its "now", and one closed in an
 * earlier test may not have left yet.
 */
async function waitForFeed(h: Harness, count = 1): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (h.app.changeFeed.liveSize !== count || h.app.changeFeed.size !== count) {
    if (Date.now() > deadline) throw new Error(`${h.app.changeFeed.liveSize} of ${h.app.changeFeed.size} subscribers live, expected ${count}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
