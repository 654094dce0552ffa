import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { GRAPHQL_PATH, serveGraphQL } from './node-http-handler.js';
import { invoicesResolvers } from './resolvers.js';
import { emptyStats, resetStats, statsPlugin, type InvoicesSubgraphStats } from './stats.js';

export type { InvoicesSubgraphStats } from './stats.js';

export interface InvoicesSubgraph {
  /** `http://127.0.0.1:PORT/graphql`. */
  url: string;
  /** Stops listening and destroys every open socket at once, in-flight requests included. */
  close(): Promise<void>;
  readonly stats: InvoicesSubgraphStats;
  resetStats(): void;
}

const SCHEMA_FILE = join(__dirname, 'schema.graphql');
const writeStderr = (message: unknown) => process.stderr.write(`invoices subgraph: ${String(message)}\n`);
const STDERR_LOGGER = { debug: () => {}, info: writeStderr, warn: writeStderr, error: writeStderr };

/**
 * Starts the invoices subgraph on plain node:http rather than `startStandaloneServer`, whose
 * drain waits for in-flight requests: tests close it mid-request to play a dead service.
 */
export async function startInvoicesSubgraph(options: { port?: number; host?: string } = {}): Promise<InvoicesSubgraph> {
  const stats = emptyStats();
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(SCHEMA_FILE, 'utf8')), resolvers: invoicesResolvers });
  const apollo = new ApolloServer({
    schema,
    // Apollo logs info to stdout by default; main.ts's stdout carries only the ready line.
    logger: STDERR_LOGGER,
    // Apollo would stop itself and re-raise the signal (exiting by it, with the sockets open);
    // shutting down is close()'s job, and main.ts calls it.
    stopOnTerminationSignals: false,
    // Traces are for Apollo Studio, which nothing here reports to.
    plugins: [statsPlugin(stats), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const server = createServer((req, res) => {
    serveGraphQL(apollo, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? error.message : String(error));
    });
  });
  const host = options.host ?? '127.0.0.1';
  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const closeNow = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // close() alone would wait for in-flight requests and keep-alive sockets in use.
    server.closeAllConnections();
    await closed;
    await apollo.stop();
  };
  return {
    url: `http://${urlHost(host)}:${port}${GRAPHQL_PATH}`,
    stats,
    resetStats: () => resetStats(stats),
    close: () => (closing ??= closeNow()),
  };
}

/** The host a client should dial: loopback for a wildcard address, brackets for IPv6. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
