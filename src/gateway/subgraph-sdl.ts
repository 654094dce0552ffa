/**
 * @file A remote subgraph's SDL, from wherever supergraph.yaml says it is. A URL is asked
 * `{ _service { sdl } }`, federation's own introspection (standard introspection would lose the
 * federation directives). Errors name the subgraph and the URL, never a header's value.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { redactUrlPassword } from '../config.js';
import { excerpt } from '../errors/excerpt.js';
import type { RemoteSubgraph } from './supergraph-config.js';

/** `subgraph "x" (where): could not load its schema: why`. */
export class SubgraphSdlError extends Error {
  override name = 'SubgraphSdlError';
  constructor(
    readonly subgraph: string,
    where: string,
    readonly reason: string,
  ) {
    super(`subgraph "${subgraph}" (${where}): could not load its schema: ${reason}`);
  }
}

const SERVICE_QUERY = JSON.stringify({ query: '{ _service { sdl } }' });
const BODY_EXCERPT = 120;

export async function loadSubgraphSdl(remote: RemoteSubgraph, options: { timeoutMs: number }): Promise<string> {
  const source = remote.schema;
  switch (source.kind) {
    case 'sdl':
      return source.sdl;
    case 'file':
      try {
        return await readFile(source.path, 'utf8');
      } catch (error) {
        throw new SubgraphSdlError(remote.name, source.path, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    case 'url':
      return fetchServiceSdl(remote.name, source.url, source.headers, options.timeoutMs);
  }
}

async function fetchServiceSdl(name: string, url: string, headers: Record<string, string>, timeoutMs: number): Promise<string> {
  const fail = (reason: string) => new SubgraphSdlError(name, redactUrlPassword(url), reason);
  let status: number;
  let text: string;
  try {
    // One deadline for the whole exchange; undici's own timeouts would each restart per phase.
    const response = await request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
      body: SERVICE_QUERY,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.statusCode;
    const read = await readAtMost(response.body, MAX_SDL_BYTES);
    if (read === undefined) throw fail(`answered more than ${MAX_SDL_BYTES / 1_048_576} MiB: that is no subgraph's SDL`);
    text = read;
  } catch (error) {
    if (error instanceof SubgraphSdlError) throw error;
    throw fail(describeFailure(error, timeoutMs));
  }
  return sdlOf(fail, status, text);
}

/** Far above any real subgraph's SDL; a server that sends more is not answering the question. */
const MAX_SDL_BYTES = 16 * 1_048_576;

/** The body as text, or undefined (and the rest discarded) once it passes `max` bytes. */
export async function readAtMost(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

type ServiceResponse = { data?: { _service?: { sdl?: unknown } | null } | null; errors?: { message?: unknown }[] };

/** A GraphQL server may answer validation errors with a 400 (GraphQL over HTTP): those are reported as GraphQL errors. */
function sdlOf(fail: (reason: string) => SubgraphSdlError, status: number, text: string): string {
  const body = parseJson(text);
  const messages = Array.isArray(body?.errors) ? body.errors.map((error) => String(error?.message)) : [];
  const hint = 'is it a federation subgraph?';
  if (messages.length > 0) throw fail(`{ _service { sdl } } failed with HTTP ${status} (${hint}): ${excerpt(messages.join('; '), BODY_EXCERPT)}`);
  if (status < 200 || status > 299) throw fail(`answered HTTP ${status}: ${JSON.stringify(excerpt(text, BODY_EXCERPT))}`);
  if (body === undefined) throw fail(`expected a JSON GraphQL response, got ${JSON.stringify(excerpt(text, BODY_EXCERPT))}`);
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl === 'string') return sdl;
  throw fail(`the answer to { _service { sdl } } holds no SDL (${hint}), got ${JSON.stringify(excerpt(text, BODY_EXCERPT))}`);
}

function parseJson(text: string): ServiceResponse | undefined {
  try {
    return JSON.parse(text) as ServiceResponse;
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string })?.name;
  const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer within ${timeoutMs} ms`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused (is the subgraph running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `its host name does not resolve (${code})`;
  return `the request failed (${code ?? (error instanceof Error ? error.message : String(error))})`;
}
