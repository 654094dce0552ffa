import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hash = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest('hex');

export const LISTED = 'query ListedPeople { people(first: 2) { nodes { id } } }';
export const ALSO_LISTED = 'query Typename { __typename }';
export const UNLISTED = 'query Unlisted { people(first: 1) { totalCount } }';

/** Writes a manifest (an object as JSON, or raw text) to a fresh temporary file; returns its path. */
export function writeManifest(content: unknown, name = 'manifest.json'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mirrorgraph-edge-')), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

export const apolloManifest = (operations: { body: string; name: string; id?: string }[]) => ({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: operations.map((o) => ({ id: o.id ?? hash('sha256', o.body), name: o.name, type: 'query', body: o.body })),
});

/** Relay's persisted_queries.json: ids are MD5 of the text by default. */
export const relayManifest = (bodies: string[]) => Object.fromEntries(bodies.map((body) => [hash('md5', body), body]));
