/* global process, console */
/**
 * PostGraphile 5 over HTTP on 127.0.0.1, as its library-mode documentation shows: a preset
 * (Amber + the aggregates plugin, one pg service on the `public` schema), `pgl.createServ` with
 * the Node http adaptor of grafserv, `serv.addTo(server)`. Production-like: no GraphiQL, no
 * watch, no explain, no websockets. Run by bench/peers/peers.bench.ts with Node 24 and
 * PEERS_INSTALL pointing at the scratch install (outside the project's dependencies);
 * prints `READY <url>` on stdout once it listens.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const install = process.env.PEERS_INSTALL;
const databaseUrl = process.env.PEERS_DATABASE_URL;
if (!install || !databaseUrl) throw new Error('PEERS_INSTALL and PEERS_DATABASE_URL are required');
const load = createRequire(join(install, 'package.json'));
const { postgraphile } = load('postgraphile');
const { PostGraphileAmberPreset } = load('postgraphile/presets/amber');
const { makePgService } = load('postgraphile/adaptors/pg');
const { grafserv } = load('postgraphile/grafserv/node');
const { PgAggregatesPreset } = load('@graphile/pg-aggregates');

const preset = {
  extends: [PostGraphileAmberPreset, PgAggregatesPreset],
  pgServices: [makePgService({ connectionString: databaseUrl, schemas: ['public'], poolConfig: { max: Number(process.env.PEERS_POOL_SIZE || 10) } })],
  grafserv: { graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
};

async function main() {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  await serv.addTo(server);
  // Build the schema before announcing readiness.
  await pgl.getSchema();
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`READY http://127.0.0.1:${address.port}/graphql\n`);
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => Promise.resolve(pgl.release()).finally(() => process.exit(0)));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
