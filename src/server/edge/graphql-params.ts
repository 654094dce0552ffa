import type { FastifyRequest } from 'fastify';

/**
 * What a GraphQL request asks to run, read from a POST's JSON body or a GET's query string,
 * before Apollo sees it. Only the fields that decide which document runs.
 */
export interface GraphQLParams {
  /** Not one JSON object (a batch, a string): nothing here can tell what it would run. */
  readonly opaque: boolean;
  readonly query: string | undefined;
  readonly operationName: string | undefined;
  /** The document named by id, and where the id came from. */
  readonly id: { value: string; from: IdSource } | undefined;
}

/**
 * The places clients put a document's id: the GraphQL-over-HTTP draft's `documentId`, Apollo's
 * APQ extension, and Relay's `doc_id` or `id`. In this order when several are sent.
 */
export type IdSource = 'documentId' | 'persistedQuery' | 'doc_id' | 'id';

const ID_FIELDS = ['documentId', 'doc_id', 'id'] as const;

/** The request's parameters as a plain object: the POST body, or the GET query string with `extensions` decoded. */
export function rawParams(request: FastifyRequest): Record<string, unknown> | null {
  const source: unknown = request.method === 'GET' ? request.query : request.body;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return null;
  const params = source as Record<string, unknown>;
  if (request.method !== 'GET' || typeof params.extensions !== 'string') return params;
  try {
    return { ...params, extensions: JSON.parse(params.extensions) as unknown };
  } catch {
    return { ...params, extensions: undefined };
  }
}

export function readGraphQLParams(request: FastifyRequest): GraphQLParams {
  const params = rawParams(request);
  if (!params) return { opaque: true, query: undefined, operationName: undefined, id: undefined };
  const string = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const extensions = params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
  const candidates: [IdSource, unknown][] = [
    ['documentId', params.documentId],
    ['persistedQuery', extensions?.persistedQuery?.sha256Hash],
    ['doc_id', params.doc_id],
    ['id', params.id],
  ];
  const found = candidates.find(([, value]) => string(value) !== undefined);
  return {
    opaque: false,
    query: string(params.query),
    operationName: string(params.operationName),
    id: found ? { value: found[1] as string, from: found[0] } : undefined,
  };
}

/**
 * The same request asking for `query` by its text: the id fields and the APQ extension removed
 * (Apollo would otherwise check the text against a hash that may not be its sha256), the rest
 * (variables, operationName, other extensions) kept. A GET is rewritten in its URL too: Apollo's
 * Fastify integration reads a GET's parameters from the raw URL, not from `request.query`.
 */
export function replaceWithText(request: FastifyRequest, query: string): void {
  const params = { ...rawParams(request) };
  for (const field of ID_FIELDS) delete params[field];
  const extensions = params.extensions;
  if (typeof extensions === 'object' && extensions !== null) {
    const { persistedQuery: _dropped, ...rest } = extensions as Record<string, unknown>;
    // Apollo refuses an `extensions` key whose value is not an object: drop the key itself.
    if (Object.keys(rest).length) params.extensions = rest;
    else delete params.extensions;
  }
  params.query = query;
  if (request.method !== 'GET') {
    request.body = params;
    return;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  request.raw.url = `${request.url.split('?')[0]}?${search.toString()}`;
  request.query = Object.fromEntries(search);
}
