import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { excerpt } from '../../errors/excerpt.js';
import { ConfigError } from '../../errors/index.js';

/**
 * The trusted documents of TRUSTED_DOCUMENTS, read from one of two manifest formats:
 *
 * - Apollo's persisted-query manifest (`@apollo/generate-persisted-query-manifest`):
 *   `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id","name","type","body"}]}`.
 *   Ids are the sha256 of the body unless the generator was given its own `createOperationId`,
 *   so an id shaped like a sha256 (64 hex digits) must be that of its body.
 * - Relay's `persisted_queries.json` (relay-compiler's local persistence): `{"<id>":"<text>"}`,
 *   the id a hash of the text by the configured algorithm (MD5 by default, SHA1 or SHA256), so an
 *   id of 32, 40 or 64 hex digits must be that hash. Other ids (a remote persister's) are opaque.
 */
export interface TrustedDocument {
  readonly id: string;
  readonly body: string;
  /** The operation's name where the manifest gives one (Apollo's does). */
  readonly name: string | null;
}

export interface TrustedDocuments {
  readonly format: 'apollo' | 'relay';
  readonly size: number;
  /** By the manifest's id, by `sha256:<hex>`, or by the sha256 of a listed body (an APQ hash). */
  byId(id: string): TrustedDocument | undefined;
  /** The listed document whose text is exactly this one (compared by sha256). */
  byText(text: string): TrustedDocument | undefined;
}

export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);
const HASH_BY_LENGTH: Readonly<Record<number, string>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const EXPECTED_SHAPE =
  `Apollo's persisted-query manifest ({"format":"${APOLLO_MANIFEST_FORMAT}","version":1,"operations":[{"id","name","type","body"}]}) ` +
  `or Relay's persisted_queries.json ({"<id>":"<query text>"})`;

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Reads and checks the manifest; any problem is a ConfigError naming TRUSTED_DOCUMENTS. */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  const fail = (problem: string): never => {
    const line = `TRUSTED_DOCUMENTS (${excerpt(path, 200)}): ${problem}`;
    throw new ConfigError(`Invalid configuration (1 problem):\n  - ${line}`, [line]);
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'expected a manifest file, got no such file' : `expected a readable manifest file, got ${code ?? 'an error'} reading it`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`expected JSON (${EXPECTED_SHAPE}), got text that does not parse (${excerpt((error as Error).message, 120)}), beginning ${JSON.stringify(excerpt(text.trimStart(), 60))}`);
  }
  const documents = readDocuments(parsed, fail);
  if (documents.list.length === 0) fail('expected at least one operation, got none: nothing but admins could run');
  return index(documents.format, documents.list, fail);
}

type Fail = (problem: string) => never;

function readDocuments(parsed: unknown, fail: Fail): { format: 'apollo' | 'relay'; list: TrustedDocument[] } {
  if (!isRecord(parsed)) return fail(`expected ${EXPECTED_SHAPE}, got ${describe(parsed)}`);
  if ('format' in parsed) return { format: 'apollo', list: readApollo(parsed, fail) };
  return { format: 'relay', list: readRelay(parsed, fail) };
}

function readApollo(manifest: Record<string, unknown>, fail: Fail): TrustedDocument[] {
  if (manifest.format !== APOLLO_MANIFEST_FORMAT) fail(`"format": expected "${APOLLO_MANIFEST_FORMAT}", got ${describe(manifest.format)}`);
  if (manifest.version !== 1) fail(`"version": expected 1, got ${describe(manifest.version)}`);
  if (!Array.isArray(manifest.operations)) return fail(`"operations": expected an array, got ${describe(manifest.operations)}`);
  return manifest.operations.map((operation: unknown, i): TrustedDocument => {
    const at = `operations[${i}]`;
    if (!isRecord(operation)) return fail(`${at}: expected an object {"id","name","type","body"}, got ${describe(operation)}`);
    for (const field of ['id', 'name', 'type', 'body']) {
      const value = operation[field];
      if (typeof value !== 'string' || value === '') fail(`${at}.${field}: expected a non-empty string, got ${describe(value)}`);
    }
    const { id, name, type, body } = operation as Record<'id' | 'name' | 'type' | 'body', string>;
    if (!OPERATION_TYPES.has(type)) fail(`${at}.type: expected query, mutation or subscription, got ${describe(type)}`);
    if (/^[0-9a-f]{64}$/i.test(id)) checkHash(id, body, 'sha256', at, fail);
    return { id, body, name };
  });
}

function readRelay(manifest: Record<string, unknown>, fail: Fail): TrustedDocument[] {
  return Object.entries(manifest).map(([id, body]): TrustedDocument => {
    const at = JSON.stringify(excerpt(id, 80));
    if (typeof body !== 'string' || body === '') return fail(`${at}: expected the operation's text (a non-empty string), got ${describe(body)}`);
    const algorithm = /^[0-9a-f]+$/i.test(id) ? HASH_BY_LENGTH[id.length] : undefined;
    if (algorithm) checkHash(id, body, algorithm, at, fail);
    return { id, body, name: null };
  });
}

function checkHash(id: string, body: string, algorithm: string, at: string, fail: Fail): void {
  const actual = createHash(algorithm).update(body).digest('hex');
  if (actual !== id.toLowerCase()) fail(`${at}: the id looks like a ${algorithm} hash but is not that of its body: expected ${actual}, got ${excerpt(id, 80)}`);
}

function index(format: 'apollo' | 'relay', list: readonly TrustedDocument[], fail: Fail): TrustedDocuments {
  const byId = new Map<string, TrustedDocument>();
  const byHash = new Map<string, TrustedDocument>();
  for (const document of list) {
    const seen = byId.get(document.id);
    if (seen && seen.body !== document.body) fail(`id ${excerpt(document.id, 80)}: expected one body per id, got two different ones`);
    byId.set(document.id, document);
    byHash.set(sha256Hex(document.body), document);
  }
  return {
    format,
    size: byId.size,
    byId: (id) => byId.get(id) ?? byHash.get(id.replace(/^sha256:/i, '').toLowerCase()),
    byText: (text) => byHash.get(sha256Hex(text)),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What arrived, in a few words and a short excerpt: never the whole file. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'a string' : `a ${typeof value}`;
  return `${kind} ${excerpt(JSON.stringify(value) ?? String(value), 60)}`;
}
