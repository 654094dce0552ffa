import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { installEdge } from '../../../src/server/edge/index.js';
import { testPrincipalPlugin } from './test-principal.js';

export interface EdgeApp {
  app: FastifyInstance;
  logs: Record<string, unknown>[];
}

/**
 * A small server with the edge installed from `env` (as create-server does) and stand-in routes:
 * `/healthz`, `/readyz` and a `/graphql` that answers `{data:{ok:true}}`. The test principal is
 * registered after the edge on purpose: the edge's hooks must still see it.
 */
export async function startEdgeApp(env: Record<string, string>): Promise<EdgeApp> {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ loggerInstance: createLogger('info', { destination }) as FastifyBaseLogger });
  await installEdge(app, loadConfig(env).edge);
  await app.register(testPrincipalPlugin);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => ({ status: 'ok' }));
  app.post('/graphql', async () => ({ data: { ok: true } }));
  await app.ready();
  return { app, logs };
}
