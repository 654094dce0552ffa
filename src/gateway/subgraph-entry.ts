/**
 * @file One entry of supergraph.yaml's `subgraphs`, checked: either Mirrorgraph's own subgraph
 * (`mirrorgraph: true`) or a remote one with a routing URL and a schema source.
 */
import type { Checks } from './yaml-checks.js';

/** A remote's schema source as written: a `file` is still relative to the yaml's directory. */
export type WrittenSchema = { kind: 'url'; url: string; headers: Record<string, string> } | { kind: 'file'; file: string } | { kind: 'sdl'; sdl: string };

export type CheckedEntry =
  | { self: true; name: string; routingUrl: string | undefined }
  | { self: false; name: string; routingUrl: string; schema: WrittenSchema; propagateHeaders: string[] | undefined; timeoutMs: number | undefined };

/** The bounds of SUPERGRAPH_SUBGRAPH_TIMEOUT_MS, for a subgraph's own `timeout_ms`. */
export const TIMEOUT_MS_RANGE = { min: 100, max: 600_000 } as const;

const SELF_KEYS = ['mirrorgraph', 'routing_url'] as const;
const REMOTE_KEYS = ['routing_url', 'schema', 'propagate_headers', 'timeout_ms', 'mirrorgraph'] as const;
const SCHEMA_KINDS = ['subgraph_url', 'file', 'sdl', 'graphref'] as const;

/** The entry, or undefined when it has problems (recorded in `checks`). */
export function checkEntry(checks: Checks, name: string, value: unknown): CheckedEntry | undefined {
  const path = `subgraphs.${name}`;
  const entry = checks.mapping(path, value);
  if (entry === undefined) return undefined;
  const self = entry.mirrorgraph;
  if (self !== undefined && typeof self !== 'boolean') return checks.fail(`${path}.mirrorgraph`, `expected true or false, got ${checks.shown(`${path}.mirrorgraph`, self)}`);
  return self === true ? checkSelf(checks, path, name, entry) : checkRemote(checks, path, name, entry);
}

function checkSelf(checks: Checks, path: string, name: string, entry: Record<string, unknown>): CheckedEntry | undefined {
  const before = checks.problems.length;
  for (const key of Object.keys(entry)) {
    if (!(SELF_KEYS as readonly string[]).includes(key)) {
      checks.fail(`${path}.${key}`, `not allowed on Mirrorgraph's own subgraph (mirrorgraph: true); expected only ${SELF_KEYS.join(', ')}`);
    }
  }
  const routingUrl = entry.routing_url === undefined ? undefined : checks.httpUrl(`${path}.routing_url`, entry.routing_url);
  if (checks.problems.length > before) return undefined;
  return { self: true, name, routingUrl };
}

function checkRemote(checks: Checks, path: string, name: string, entry: Record<string, unknown>): CheckedEntry | undefined {
  const before = checks.problems.length;
  checks.knownKeys(path, entry, REMOTE_KEYS);
  const schema = entry.schema === undefined ? checks.fail(`${path}.schema`, `missing; expected one of ${SCHEMA_KINDS.slice(0, 3).join(', ')}`) : checkSchema(checks, `${path}.schema`, entry.schema);
  // As rover does: without routing_url, a subgraph whose schema comes from its URL is routed there too.
  const routingUrl =
    entry.routing_url !== undefined
      ? checks.httpUrl(`${path}.routing_url`, entry.routing_url)
      : schema?.kind === 'url'
        ? schema.url
        : checks.fail(`${path}.routing_url`, 'missing; a remote subgraph needs the URL the gateway sends its queries to (it may be left out only with schema.subgraph_url)');
  const propagateHeaders = entry.propagate_headers === undefined ? undefined : checks.headerNames(`${path}.propagate_headers`, entry.propagate_headers);
  const timeoutMs = entry.timeout_ms === undefined ? undefined : checks.integer(`${path}.timeout_ms`, entry.timeout_ms, TIMEOUT_MS_RANGE.min, TIMEOUT_MS_RANGE.max);
  if (checks.problems.length > before || routingUrl === undefined || schema === undefined) return undefined;
  return { self: false, name, routingUrl, schema, propagateHeaders, timeoutMs };
}

function checkSchema(checks: Checks, path: string, value: unknown): WrittenSchema | undefined {
  const schema = checks.mapping(path, value);
  if (schema === undefined) return undefined;
  const kinds = SCHEMA_KINDS.filter((kind) => schema[kind] !== undefined);
  if (kinds.length !== 1) {
    const got = kinds.length === 0 ? 'none' : kinds.join(' and ');
    return checks.fail(path, `expected exactly one of ${SCHEMA_KINDS.slice(0, 3).join(', ')}, got ${got}`);
  }
  const kind = kinds[0];
  checks.knownKeys(path, schema, kind === 'subgraph_url' ? ['subgraph_url', 'introspection_headers'] : kind === 'graphref' ? ['graphref', 'subgraph'] : [kind]);
  switch (kind) {
    case 'graphref':
      return checks.fail(`${path}.graphref`, 'not supported: a graph ref is resolved by Apollo GraphOS; use subgraph_url, file or sdl');
    case 'file': {
      const file = checks.string(`${path}.file`, schema.file);
      return file === undefined ? undefined : { kind: 'file', file };
    }
    case 'sdl': {
      const sdl = checks.string(`${path}.sdl`, schema.sdl);
      return sdl === undefined ? undefined : { kind: 'sdl', sdl };
    }
    case 'subgraph_url': {
      const url = checks.httpUrl(`${path}.subgraph_url`, schema.subgraph_url);
      const headers = schema.introspection_headers === undefined ? {} : checks.headers(`${path}.introspection_headers`, schema.introspection_headers);
      return url === undefined || headers === undefined ? undefined : { kind: 'url', url, headers };
    }
  }
}
