import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { OperationRunner } from '../server/jit-executor.js';
import type { GatewayServerContext } from './gateway-context.js';
import { shapeGatewayError } from './gateway-errors.js';
import { hiveLogger } from './hive-logger.js';
import { IN_PROCESS_KIND, inProcessSubgraphExecutor } from './in-process-subgraph.js';
import type { GraphQLSchema } from 'graphql';
import { ownOperationsPlugin } from './plugins/own-operations.plugin.js';
import { remoteScopesPlugin } from './plugins/remote-scopes.plugin.js';
import { edgeLimitsPlugin } from './plugins/edge-limits.plugin.js';
import { responsePlugin } from './plugins/response.plugin.js';
import { subgraphMetricsPlugin } from './plugins/subgraph-metrics.plugin.js';
import { SubgraphHealth } from './subgraph-health.js';
import { supergraphDefaultsOf } from './supergraph-config.js';
import { SupergraphSource } from './supergraph-source.js';

export interface MirrorGateway {
  readonly runtime: GatewayRuntime<GatewayServerContext>;
  readonly source: SupergraphSource;
  readonly health: SubgraphHealth;
  close(): Promise<void>;
}

export interface MirrorGatewayOptions {
  config: Readonly<AppConfig>;
  /** Our subgraph's SDL (printMirrorSchema), composed in under the config's `self` name. */
  selfSdl: string;
  /** Our subgraph's executable schema, which `run` executes. */
  subgraphSchema: GraphQLSchema;
  /** Runs plan steps on our own subgraph, in process (and operations that are ours alone). */
  run: OperationRunner;
  logger: Logger;
}

/**
 * The federation gateway: Hive Gateway's runtime (query planning, plan caching, entity
 * batching, the HTTP transport to remote subgraphs) serving the supergraph that
 * SupergraphSource composes. Our own subgraph is a transport of its own that runs in this
 * process; remote subgraphs get the headers and timeout their config entry names.
 *
 * Everything the subgraph guarantees at `/subgraph` holds here too: the edge limits run on the
 * supergraph operation (plugins/edge-limits.plugin.ts), errors are masked by the same rules
 * (gateway-errors.ts), and authentication, rate limits and trusted documents are the Fastify
 * hooks in front of both routes.
 */
export async function createMirrorGateway(options: MirrorGatewayOptions): Promise<MirrorGateway> {
  const { config, logger } = options;
  const gateway = config.gateway;
  if (!gateway.supergraphConfig) throw new Error('createMirrorGateway needs SUPERGRAPH_CONFIG');
  // The source exists before the runtime it tells about changes.
  const made: { runtime?: GatewayRuntime<GatewayServerContext> } = {};
  const source = await SupergraphSource.start({
    configPath: gateway.supergraphConfig,
    defaults: supergraphDefaultsOf(config),
    selfSdl: options.selfSdl,
    pollIntervalSeconds: gateway.pollIntervalSeconds,
    logger,
    // The runtime plans against the supergraph it loaded; this makes it load the new one for the next request.
    onChange: () => made.runtime?.invalidateUnifiedGraph(),
  });
  const remote = (name: string) => source.current.config.remotes.find((r) => r.name === name);

  const health = new SubgraphHealth(source);
  const runtime = (made.runtime = createGatewayRuntime<GatewayServerContext>({
    supergraph: () => source.current.sdl,
    logging: hiveLogger(logger, config.logLevel),
    transports: {
      http: httpTransport,
      [IN_PROCESS_KIND]: { getSubgraphExecutor: () => inProcessSubgraphExecutor(options.run, config.server.maskErrors) },
    },
    transportEntries: { [source.current.config.self.name]: { kind: IN_PROCESS_KIND } },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) => {
        const headers: Record<string, string> = {};
        for (const name of remote(subgraphName)?.propagateHeaders ?? []) {
          const value = request.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return headers;
      },
    },
    // Our subgraph has its own bounds (DATABASE_STATEMENT_TIMEOUT_MS); a remote one has its entry's.
    upstreamTimeout: ({ subgraphName }) => (subgraphName ? remote(subgraphName)?.timeoutMs : undefined),
    maskedErrors: { maskError: (error) => shapeGatewayError(error, config.server.maskErrors) },
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    // Introspection off in production, as on /subgraph (GraphiQL is off there too).
    ...(config.server.introspection ? {} : { disableIntrospection: { disableIf: () => true } }),
    plugins: () => [
      edgeLimitsPlugin(config.server),
      remoteScopesPlugin(source),
      ownOperationsPlugin(source, options.subgraphSchema, options.run, config.server.maskErrors),
      subgraphMetricsPlugin((name, outcome) => health.observed(name, outcome)),
      responsePlugin(),
    ],
  }));
  return {
    runtime,
    source,
    health,
    async close() {
      source.close();
      await runtime.dispose();
    },
  };
}
