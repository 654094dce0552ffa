import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Person, SyncRun, SyncState } from '../../src/entities/index.js';
import { cursorValue } from '../../src/sync/paginators.js';
import { ABANDONED_RUN_ERROR } from '../../src/sync/run-log.js';
import { DIALECTS } from '../support/databases.js';
import { expectExactMirror, keyedLive, syncFixture, type SyncFixture } from './helpers.js';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(__dirname, '..', '..', 'src', 'cli.ts');

interface Child {
  process: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startSync(env: Record<string, string>, args: string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, 'sync', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { process: child, output: () => output, exit };
}

/** Waits until the child has committed at least `pages` pages of its run. */
async function committedPages(f: SyncFixture, child: Child, pages: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = await f.ds.getRepository(SyncRun).findOne({ where: { resource: 'people' }, order: { id: 'DESC' } });
    if (run && run.pages >= pages) return run.pages;
    if (child.process.exitCode !== null || Date.now() > deadline) throw new Error(`the sync process did not commit ${pages} pages:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every upstream record before the committed checkpoint is in the table: nothing committed was lost. */
async function expectCheckpointHonoured(f: SyncFixture): Promise<void> {
  const state = await f.ds.getRepository(SyncState).findOneByOrFail({ resource: 'people' });
  expect(state.cursorModified).not.toBeNull();
  const before = [...keyedLive(f.sim, 'people')].filter(([, record]) => cursorValue(record, 'date_modified') < Number(state.cursorModified));
  expect(before.length).toBeGreaterThan(0);
  const ids = new Set((await f.ds.getRepository(Person).find({ select: { id: true } })).map((row) => String(row.id)));
  expect(before.filter(([id]) => !ids.has(id))).toEqual([]);
}

describe.each(DIALECTS)('the sync process on %s', (dialect) => {
  let f: SyncFixture;
  let child: Child | undefined;
  afterEach(async () => {
    if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child?.exit;
    child = undefined;
    await f?.close();
  });

  it('killed with SIGKILL mid-run loses no committed page, and the next run resumes and ends exact without duplicates', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 3_000 }, seed: 51, hostile: true });
    f.sim.faults.setRandom({ rate: 1, kinds: [{ kind: 'slow', delayMs: 120 }] });
    child = startSync(f.env, ['--resource', 'people']);
    const pages = await committedPages(f, child, 3);
    child.process.kill('SIGKILL');
    expect(await child.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const [abandoned] = await f.ds.getRepository(SyncRun).find({ where: { resource: 'people' } });
    expect(abandoned.status).toBe('running');
    expect(abandoned.pages).toBeGreaterThanOrEqual(pages);
    await expectCheckpointHonoured(f);

    f.sim.faults.clear();
    const [run] = await f.engine().trigger(['people'], 'incremental', { wait: true });
    expect(run.status).toBe('succeeded');
    expect(run.pages + abandoned.pages).toBeLessThanOrEqual(3_000 / 200 + 4);
    await expectExactMirror(f.ds, f.sim, 'people');
    expect(await f.ds.getRepository(Person).count()).toBe(keyedLive(f.sim, 'people').size);
    const closed = await f.ds.getRepository(SyncRun).findOneByOrFail({ id: abandoned.id });
    expect(closed).toMatchObject({ status: 'interrupted', error: ABANDONED_RUN_ERROR });
  });

  it('stopped with SIGTERM finishes or drops the page in flight, records the run interrupted and exits non-zero', async () => {
    f = await syncFixture(dialect, { records: 0, counts: { people: 3_000 }, seed: 52 });
    f.sim.faults.setRandom({ rate: 1, kinds: [{ kind: 'slow', delayMs: 120 }] });
    child = startSync(f.env, ['--resource', 'people', '--full']);
    await committedPages(f, child, 2);
    child.process.kill('SIGTERM');
    const exit = await child.exit;
    expect(exit, child.output()).toEqual({ code: 143, signal: null });
    expect(child.output()).toMatch(/people \(full, keyset-modified, run \d+\): interrupted/);
    const [run] = await f.ds.getRepository(SyncRun).find({ where: { resource: 'people' } });
    expect(run).toMatchObject({ status: 'interrupted', recordsDeleted: 0 });
    const state = await f.ds.getRepository(SyncState).findOneByOrFail({ resource: 'people' });
    expect(state.fullStartedAt).toBeInstanceOf(Date);
    expect(state.fullCursorModified).not.toBeNull();
  });
});

describe('the sync command', () => {
  let f: SyncFixture | undefined;
  afterEach(() => f?.close());

  it('exits 2 naming every missing upstream setting', async () => {
    const child = startSync({ DATABASE_URL: 'sqlite::memory:' });
    const exit = await child.exit;
    expect(exit.code).toBe(2);
    expect(child.output()).toMatch(/UPSTREAM_BASE_URL[\s\S]*UPSTREAM_API_KEY[\s\S]*UPSTREAM_USER_EMAIL/);
  });

  it('exits 0 with a summary when every resource succeeded, 1 when one failed', async () => {
    f = await syncFixture('sqlite', { records: 400, seed: 53 });
    const ok = startSync(f.env);
    expect((await ok.exit).code).toBe(0);
    expect(ok.output()).toMatch(/people \(incremental, keyset-modified, run \d+\): succeeded — \d+ pages, \d+ upserted/);
    const bad = startSync({ ...f.env, UPSTREAM_DATA_SELECTOR: 'items' }, ['--resource', 'companies']);
    expect((await bad.exit).code).toBe(1);
    expect(bad.output()).toMatch(/companies \(incremental(, [a-z-]+)?, run \d+\): failed[\s\S]*UPSTREAM_DATA_SELECTOR/);
  });
});
