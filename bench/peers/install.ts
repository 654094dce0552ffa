import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The peers' software, outside the project's dependencies: a Node 24 binary from the npm
 * registry's `node` package (PostGraphile 5 needs Node 22+), PostGraphile 5 and 4 with their
 * aggregates plugin, each in a scratch folder with its own package.json, kept across runs in
 * $TMPDIR/mirrorgraph-peers (PEERS_CACHE_DIR overrides). An install is redone only when its
 * package.json differs from the wanted one or its packages are missing.
 */
export const PEERS_CACHE = process.env.PEERS_CACHE_DIR ?? join(tmpdir(), 'mirrorgraph-peers');

/**
 * Held at 24.18, as .ci/run: better-sqlite3 built against Node 24.19 to 24.21 aborts
 * (nodejs/node#65446). Mirrorgraph on MariaDB does not load it, but the same Node is used.
 */
export const NODE24_VERSION = '24.18';

export const PEER_PACKAGES = {
  pg5: { postgraphile: '5.1.5', '@graphile/pg-aggregates': '0.2.0-rc.2' },
  pg4: { postgraphile: '4.14', '@graphile/pg-aggregates': '0.1.1' },
} as const;

export interface PeerInstalls {
  node24: string;
  node24Version: string;
  pg5: string;
  pg4: string;
  versions: Record<string, string>;
}

const npm = (args: string[], cwd: string) => promisify(execFile)('npm', args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } });

async function ensurePackageDir(name: string, dependencies: Record<string, string>, log: (message: string) => void): Promise<string> {
  const dir = join(PEERS_CACHE, name);
  mkdirSync(dir, { recursive: true });
  const manifest = `${JSON.stringify({ name: `mirrorgraph-peers-${name}`, private: true, description: 'Scratch install for npm run bench -- --peers; not part of the project.', dependencies }, null, 2)}\n`;
  const file = join(dir, 'package.json');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const installed = Object.keys(dependencies).every((dep) => existsSync(join(dir, 'node_modules', dep, 'package.json')));
  const same = (() => {
    try {
      const parsed = JSON.parse(current) as { dependencies?: Record<string, string> };
      return JSON.stringify(parsed.dependencies) === JSON.stringify(dependencies);
    } catch {
      return false;
    }
  })();
  if (same && installed) return dir;
  log(`peers: installing ${Object.entries(dependencies).map(([k, v]) => `${k}@${v}`).join(' ')} into ${dir}`);
  writeFileSync(file, manifest);
  await npm(['install', '--no-audit', '--no-fund'], dir);
  return dir;
}

async function ensureNode24(log: (message: string) => void): Promise<string> {
  const dir = join(PEERS_CACHE, 'node24');
  const find = () => {
    const base = join(dir, 'node_modules', 'node', 'node_modules');
    if (!existsSync(base)) return undefined;
    const home = readdirSync(base).find((entry) => entry.startsWith('node-linux-') || entry.startsWith('node-darwin-'));
    const bin = home ? join(base, home, 'bin', 'node') : undefined;
    return bin && existsSync(bin) ? bin : undefined;
  };
  let bin = find();
  const version = bin ? (await promisify(execFile)(bin, ['--version'])).stdout.trim() : '';
  if (bin && version.startsWith(`v${NODE24_VERSION}.`)) return bin;
  log(`peers: installing node@${NODE24_VERSION} from the npm registry into ${dir}`);
  mkdirSync(dir, { recursive: true });
  await npm(['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', `node@${NODE24_VERSION}`], dir);
  bin = find();
  if (!bin) throw new Error(`peers: the node@${NODE24_VERSION} package brought no binary under ${dir} (its install script did not run?)`);
  return bin;
}

export async function ensurePeerInstalls(log: (message: string) => void): Promise<PeerInstalls> {
  mkdirSync(PEERS_CACHE, { recursive: true });
  // One at a time: npm installs in parallel compete for the machine's two cores.
  const node24 = await ensureNode24(log);
  const pg5 = await ensurePackageDir('pg5', PEER_PACKAGES.pg5, log);
  const pg4 = await ensurePackageDir('pg4', PEER_PACKAGES.pg4, log);
  const version = (dir: string, pkg: string) => (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const node24Version = (await promisify(execFile)(node24, ['--version'])).stdout.trim();
  return {
    node24,
    node24Version,
    pg5,
    pg4,
    versions: {
      'postgraphile (v5)': version(pg5, 'postgraphile'),
      '@graphile/pg-aggregates (v5)': version(pg5, '@graphile/pg-aggregates'),
      'postgraphile (v4)': version(pg4, 'postgraphile'),
      '@graphile/pg-aggregates (v4)': version(pg4, '@graphile/pg-aggregates'),
      node24: node24Version,
    },
  };
}
