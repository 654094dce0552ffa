/* global process, console */
/**
 * PostGraphile 4 over HTTP on 127.0.0.1, as its library-mode documentation shows: the
 * `postgraphile(pgConfig, schemas, options)` middleware mounted on Node's http server, with the
 * aggregates plugin appended. Production-like: no GraphiQL, no watch, no query log, no explain.
 * Run by bench/peers/peers.bench.ts with Node 20 and PEERS_INSTALL pointing at the scratch
 * install (outside the project's dependencies); prints `READY <url>` on stdout once the schema
 * is built and it listens.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const install = process.env.PEERS_INSTALL;
const databaseUrl = process.env.PEERS_DATABASE_URL;
if (!install || !databaseUrl) throw new Error('PEERS_INSTALL and PEERS_DATABASE_URL are required');
const load = createRequire(join(install, 'package.json'));
const { postgraphile } = load('postgraphile');
const PgAggregatesPlugin = load('@graphile/pg-aggregates').default;

const middleware = postgraphile({ connectionString: databaseUrl, max: Number(process.env.PEERS_POOL_SIZE || 10) }, ['public'], {
  appendPlugins: [PgAggregatesPlugin],
  graphiql: false,
  enhanceGraphiql: false,
  watchPg: false,
  disableQueryLog: true,
  allowExplain: false,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  legacyRelations: 'omit',
  retryOnInitFail: false,
});

async function main() {
  const server = createServer(middleware);
  server.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  // The schema is built in the background; READY waits for it.
  await middleware.getGraphQLSchema();
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`READY http://127.0.0.1:${address.port}/graphql\n`);
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => Promise.resolve(middleware.release()).finally(() => process.exit(0)));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
