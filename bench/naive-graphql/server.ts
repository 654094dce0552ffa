import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from 'graphql-http/lib/use/http';
import type { DataSource } from 'typeorm';
import { buildNaiveSchema } from './schema.js';

/** The naive schema served by graphql-http on node:http at `POST /graphql`, on 127.0.0.1. */
export async function startNaiveServer(dataSource: DataSource): Promise<{ url: string; server: Server }> {
  const handler = createHandler({ schema: buildNaiveSchema(dataSource) });
  const server = createServer((req, res) => {
    if (req.url !== '/graphql') {
      res.writeHead(404).end();
      return;
    }
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}
