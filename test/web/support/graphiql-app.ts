import fastify from 'fastify';
import { graphiqlPlugin } from '../../../src/web/graphiql.plugin.js';
import { standInGraphqlPlugin } from './stand-in-graphql.js';

export interface RunningApp {
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  close(): Promise<void>;
}

/**
 * The server the browser test opens: the GraphiQL plugin in front of the stand-in GraphQL
 * endpoint, on a free loopback port. To test the real server instead, return
 * `createServer({ ... })` listening on 127.0.0.1:0 here; the browser test needs nothing else.
 */
export async function startGraphiqlApp(): Promise<RunningApp> {
  const app = fastify();
  await app.register(graphiqlPlugin);
  await app.register(standInGraphqlPlugin);
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return { origin, close: () => app.close() };
}
