/**
 * @file A rover-style supergraph.yaml, read and checked as a whole: every problem in the file is
 * reported at once, each naming the file and the YAML path. Mirrorgraph's extensions: an entry
 * with `mirrorgraph: true` is our own subgraph (its name and the URL `compose` writes for it);
 * `propagate_headers` and `timeout_ms` per remote subgraph.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from '../config.js';
import { ConfigError } from '../errors/index.js';
import { expandEnv } from './env-expansion.js';
import { checkEntry, type CheckedEntry, type WrittenSchema } from './subgraph-entry.js';
import { Checks } from './yaml-checks.js';
import { parseYaml } from './yaml-text.js';

export interface SelfSubgraph {
  name: string;
  routingUrl: string;
}

export type SchemaSource = { kind: 'url'; url: string; headers: Record<string, string> } | { kind: 'file'; path: string /* absolute */ } | { kind: 'sdl'; sdl: string };

export interface RemoteSubgraph {
  name: string;
  routingUrl: string;
  schema: SchemaSource;
  /** Lower case. */
  propagateHeaders: readonly string[];
  timeoutMs: number;
}

export interface SupergraphConfig {
  /** Absolute. */
  path: string;
  /** As written (`=2.7.0`, `2`, `latest-2`); undefined when the file names none. */
  federationVersion: string | undefined;
  self: SelfSubgraph;
  remotes: readonly RemoteSubgraph[];
  /** Files whose change should trigger recomposition: the yaml and every schema.file. */
  watchedFiles: readonly string[];
}

/** What the file may leave unsaid: our own routing URL and the remotes' header list and timeout. */
export interface SupergraphConfigDefaults {
  selfRoutingUrl: string;
  propagateHeaders: readonly string[];
  timeoutMs: number;
}

/** The defaults from the app's configuration: our subgraph at `/subgraph` on loopback, the SUPERGRAPH_* settings. */
export function supergraphDefaultsOf(config: Pick<AppConfig, 'server' | 'gateway'>): SupergraphConfigDefaults {
  return {
    selfRoutingUrl: `http://127.0.0.1:${config.server.port}/subgraph`,
    propagateHeaders: config.gateway.propagateHeaders,
    timeoutMs: config.gateway.subgraphTimeoutMs,
  };
}

/** The file cannot be used; `problems` lists every reason, each starting with the file's path. */
export class SupergraphConfigError extends ConfigError {
  override name = 'SupergraphConfigError';
  constructor(problems: readonly string[]) {
    super(problems.join('\n'), problems);
  }
}

/** Our own subgraph's name when no entry says `mirrorgraph: true`. */
export const DEFAULT_SELF_NAME = 'mirrorgraph';

/** Letters, digits, `_` and `-`, starting with a letter: it becomes a value of the supergraph's `join__Graph` enum. */
const SUBGRAPH_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const TOP_KEYS = ['federation_version', 'subgraphs'] as const;

/** Reads, expands `${env.NAME}` in and checks the file; throws SupergraphConfigError listing every problem. */
export async function readSupergraphConfig(path: string, defaults: SupergraphConfigDefaults, env: NodeJS.ProcessEnv = process.env): Promise<SupergraphConfig> {
  const absolute = resolve(path);
  const fail = (problems: readonly string[]) => new SupergraphConfigError(problems.map((problem) => `${path}: ${problem}`));
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw fail([`cannot read the supergraph config (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) throw fail([parsed.problem]);
  const expansion = expandEnv(parsed.value, env);
  const checks = new Checks(expansion.templates);
  checks.problems.push(...expansion.problems);
  const config = checkFile(checks, expansion.value, absolute, defaults);
  if (checks.problems.length > 0 || config === undefined) throw fail(checks.problems);
  return config;
}

function checkFile(checks: Checks, value: unknown, absolute: string, defaults: SupergraphConfigDefaults): SupergraphConfig | undefined {
  if (value === null || value === undefined) return checks.fail('(top level)', 'expected a mapping with `subgraphs`, got an empty file');
  const top = checks.mapping('(top level)', value);
  if (top === undefined) return undefined;
  checks.knownKeys('(top level)', top, TOP_KEYS);
  const federationVersion = top.federation_version === undefined ? undefined : checkFederationVersion(checks, top.federation_version);
  if (!('subgraphs' in top)) return checks.fail('subgraphs', 'missing; expected a mapping of subgraph name to its settings (it may be empty)');
  // `subgraphs:` with nothing under it: no remotes, the supergraph is ours alone.
  const subgraphs = top.subgraphs === null ? {} : checks.mapping('subgraphs', top.subgraphs);
  if (subgraphs === undefined) return undefined;
  const entries = Object.entries(subgraphs).flatMap(([name, inner]) => {
    if (!SUBGRAPH_NAME.test(name)) {
      checks.fail(`subgraphs.${name}`, 'expected a subgraph name of letters, digits, _ and -, starting with a letter (at most 64 characters)');
      return [];
    }
    return [checkEntry(checks, name, inner)].filter((entry) => entry !== undefined);
  });
  const self = checkSelf(checks, entries, defaults);
  const baseDir = dirname(absolute);
  const remotes = entries.flatMap((entry) => (entry.self ? [] : [remoteOf(checks, entry, baseDir, defaults)]));
  const watchedFiles = [absolute, ...remotes.flatMap((remote) => (remote.schema.kind === 'file' ? [remote.schema.path] : []))];
  return { path: absolute, federationVersion, self, remotes, watchedFiles };
}

/** Rover's forms: `2`, `latest-2`, `=2.x.y` (a pre-release suffix allowed). Federation 1 is refused. */
function checkFederationVersion(checks: Checks, value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  const path = 'federation_version';
  if (typeof text === 'string' && /^(1|latest-1|=[01]\.\d+\.\d+(-[\w.]+)?)$/.test(text)) {
    return checks.fail(path, `Federation 1 (${JSON.stringify(text)}) is not supported; Mirrorgraph composes Federation 2 supergraphs (use "=2.x.y" or 2)`);
  }
  if (typeof text === 'string' && /^(2|latest-2|=2\.\d+\.\d+(-[\w.]+)?)$/.test(text)) return text;
  return checks.fail(path, `expected rover's form "=2.x.y", 2 or latest-2, got ${checks.shown(path, value)}`);
}

function checkSelf(checks: Checks, entries: readonly CheckedEntry[], defaults: SupergraphConfigDefaults): SelfSubgraph {
  const selves = entries.filter((entry) => entry.self);
  if (selves.length > 1) checks.fail('subgraphs', `at most one entry may say mirrorgraph: true, got ${selves.map((entry) => entry.name).join(', ')}`);
  const self = selves[0];
  const name = self?.name ?? DEFAULT_SELF_NAME;
  const clash = entries.find((entry) => !entry.self && entry.name === name);
  if (clash) checks.fail(`subgraphs.${name}`, `"${name}" is Mirrorgraph's own subgraph; give the remote another name (or mark this entry mirrorgraph: true, with no schema)`);
  return { name, routingUrl: self?.routingUrl ?? defaults.selfRoutingUrl };
}

function remoteOf(checks: Checks, entry: Extract<CheckedEntry, { self: false }>, baseDir: string, defaults: SupergraphConfigDefaults): RemoteSubgraph {
  return {
    name: entry.name,
    routingUrl: entry.routingUrl,
    schema: sourceOf(checks, entry.name, entry.schema, baseDir),
    propagateHeaders: entry.propagateHeaders ?? defaults.propagateHeaders.map((header) => header.toLowerCase()),
    timeoutMs: entry.timeoutMs ?? defaults.timeoutMs,
  };
}

/** A file is checked now, not when the schema is first loaded: the config is refused at start. */
function sourceOf(checks: Checks, name: string, schema: WrittenSchema, baseDir: string): SchemaSource {
  if (schema.kind !== 'file') return schema;
  const path = resolve(baseDir, schema.file);
  if (!existsSync(path)) checks.fail(`subgraphs.${name}.schema.file`, `expected an SDL file, got a path where there is none (${path})`);
  return { kind: 'file', path };
}
