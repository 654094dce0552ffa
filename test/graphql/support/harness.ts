import 'reflect-metadata';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type AppConfig } from '../../../src/config.js';
import { openDatabase, type MirrorDataSource } from '../../../src/db/data-source.js';
import { createLogger } from '../../../src/logger.js';
import { startGateway } from '../../../src/gateway/index.js';
import { createServer, type ServerOptions } from '../../../src/server/create-server.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { CountingLogger } from './counting-logger.js';
import { FakeSyncController } from './fake-sync.js';
import { seedDatabase } from './seed.js';

export const ADMIN_TOKEN = 'test-admin-token-5f2c9a';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, unknown>;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
  text: string;
}

export interface Harness {
  db: TestDatabase;
  dataSource: MirrorDataSource;
  app: FastifyInstance;
  config: Readonly<AppConfig>;
  sync: FakeSyncController;
  sql: CountingLogger;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  seed?: boolean;
  server?: Partial<Pick<ServerOptions, 'plugins' | 'graphqlLandingPage'>>;
}

/** A seeded database of the dialect and a server on it (not listening: requests go through inject). */
export async function startHarness(dialect: Dialect, options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase(dialect);
  const sql = new CountingLogger();
  const dataSource = await openDatabase(db.config, { logger: sql });
  if (options.seed !== false) await seedDatabase(dataSource);
  // The cost limit has its own tests; elsewhere it would only get in the way of first: 500.
  // GRAPHQL_JIT_AFTER=0: every query of the suite runs compiled by graphql-jit, the path production takes from a document's second run.
  const config = loadConfig({ DATABASE_URL: db.url, ADMIN_TOKEN, GRAPHQL_MAX_COST: '100000000', GRAPHQL_JIT_AFTER: '0', ...options.env });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const sync = new FakeSyncController();
  const logger = createLogger('info', { destination });
  // With SUPERGRAPH_CONFIG in env: /graphql is the gateway, as `serve` starts it.
  const gateway = await startGateway(config, logger);
  const app = await createServer({ config, dataSource, sync, logger, gateway, ...options.server });
  return {
    db,
    dataSource,
    app,
    config,
    sync,
    sql,
    logs,
    async gql(query, variables, headers = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ query, variables }),
      });
      return { status: response.statusCode, headers: response.headers, body: response.json(), text: response.body };
    },
    async close() {
      await app.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** The data of a response that must have no errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.body.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data as T;
}
