import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncProbe } from '../../src/entities/index.js';
import { syncFixture, type SyncFixture } from './helpers.js';

const ROOT = join(__dirname, '..', '..');

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('mirrorgraph probe', () => {
  let f: SyncFixture | undefined;
  afterEach(() => f?.close());

  it('prints each capability with its source and note, stores the findings, and never prints the key', async () => {
    f = await syncFixture('sqlite', { records: 800, seed: 61 });
    const { code, output } = await runCli(['probe', '--resource', 'people', 'projects'], f.env);
    expect(code, output).toBe(0);
    expect(output).toMatch(/^people: strategy keyset-modified$/m);
    expect(output).toMatch(/^ {2}modifiedMin {7}yes {2}probed {5}minimum_modified_date \d+ returned only the \d+ records inside it$/m);
    expect(output).not.toContain(f.env.UPSTREAM_API_KEY);
    const rows = await f.ds.getRepository(SyncProbe).find({ order: { resource: 'ASC' } });
    expect(rows.map((row) => row.resource)).toEqual(['people', 'projects']);
    expect(rows[0].requests).toBeGreaterThanOrEqual(9);

    const json = await runCli(['probe', '--resource', 'companies', '--json'], { ...f.env, SYNC_CAPABILITIES: '{"companies":{"ids":false}}' });
    const [view] = JSON.parse(json.output) as { strategy: string; capabilities: { name: string; value: boolean; source: string }[] }[];
    expect(view.capabilities.find((c) => c.name === 'ids')).toEqual({ name: 'ids', value: false, source: 'configured' });
  });
});
