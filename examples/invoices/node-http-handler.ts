/**
 * @file Serves an ApolloServer from a plain node:http request handler: what
 * `startStandaloneServer` does, minus its server, so that server.ts owns the sockets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';

export const GRAPHQL_PATH = '/graphql';

/** Answers one request: GraphQL at GRAPHQL_PATH, 404 elsewhere, 400 for a JSON body that does not parse. */
export async function serveGraphQL(apollo: ApolloServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== GRAPHQL_PATH) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found; GraphQL is at ${GRAPHQL_PATH}\n`);
    return;
  }
  const request = await toHTTPGraphQLRequest(req, url);
  if (!request) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('the body is not valid JSON\n');
    return;
  }
  const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context: async () => ({}) });
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Apollo's transport-neutral request; undefined when a JSON body does not parse. */
async function toHTTPGraphQLRequest(req: IncomingMessage, url: URL): Promise<HTTPGraphQLRequest | undefined> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const text = await readBody(req);
  let body: unknown = text;
  // Apollo expects a JSON body already parsed; anything else it judges (and CSRF-checks) itself.
  if (headers.get('content-type')?.includes('application/json') && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
