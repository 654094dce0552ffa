import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookInboxEntry } from '../../src/entities/index.js';
import { freePort } from '../support/mariadb-server.js';
import { keyedLive, mirrorRows, syncFixture } from '../sync/helpers.js';
import { subscribe } from './support.js';

/**
 * A notification acknowledged with 202 survives the process that received it: `serve` is killed
 * with SIGKILL after answering and before applying, and the next `serve` applies it.
 */
const CLI = join(__dirname, '..', '..', 'src', 'cli.ts');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(env: Record<string, string>, port: number, args: string[] = []): Promise<ChildProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], {
    env: { ...process.env, ...env, PORT: String(port), SYNC_SCHEDULE: 'off', FULL_SYNC_SCHEDULE: 'off', WEBHOOK_POLL_MS: '100', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await request(`http://127.0.0.1:${port}/readyz`)).statusCode === 200) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not become ready:\n${output.slice(-2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a crash between the 202 and the apply', () => {
  it('loses nothing: the next process drains the inbox', async () => {
    const f = await syncFixture('mysql', { records: 300, seed: 21, webhooks: { allowHttpTargets: true, batchMs: 5 } });
    cleanups.push(() => f.close());
    expect((await f.engine().trigger(['people'], 'full', { wait: true }))[0].status).toBe('succeeded');
    const port = await freePort();
    // --no-schedule: this process receives but does not apply, so the kill certainly falls between the two.
    const first = await serve(f.env, port, ['--no-schedule']);
    await subscribe(f.sim, f.ds, `http://127.0.0.1:${port}/webhooks/upstream`, 'people', 'update');
    const ids = (f.sim.store.liveIds('people') as number[]).slice(0, 5);
    for (const id of ids) f.sim.store.modify('people', id);
    await f.sim.webhooks.idle();
    expect(f.sim.webhooks.stats.delivered).toBeGreaterThan(0);
    expect(f.sim.webhooks.stats.failed).toBe(0);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(await f.ds.getRepository(WebhookInboxEntry).count()).toBeGreaterThan(0);
    const upstream = keyedLive(f.sim, 'people');
    const stale = async () => (await mirrorRows(f.ds, 'people')).filter((row) => ids.map(String).includes(row.id) && JSON.stringify(row.raw) !== JSON.stringify(upstream.get(row.id)));
    expect(await stale()).toHaveLength(ids.length);

    await serve(f.env, port);
    await vi.waitFor(async () => expect(await f.ds.getRepository(WebhookInboxEntry).count()).toBe(0), { timeout: 20_000, interval: 100 });
    expect(await stale()).toEqual([]);
  });
});
