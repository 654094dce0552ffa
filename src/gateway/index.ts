import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { buildMirrorSchema, printMirrorSchema } from '../schema/build-schema.js';
import { createOperationRunner, jitOptionsOf, sqlPathOf } from '../server/jit-executor.js';
import { createMirrorGateway, type MirrorGateway } from './gateway.js';

export type { MirrorGateway } from './gateway.js';
export type { GatewayReadiness } from './subgraph-health.js';

/**
 * The gateway when SUPERGRAPH_CONFIG is set, else null: our subgraph (the same schema and
 * executor settings `/subgraph` serves) composed with the subgraphs the file lists. Throws a
 * ConfigError when the file is wrong or the first composition fails.
 */
export async function startGateway(config: Readonly<AppConfig>, logger: Logger): Promise<MirrorGateway | null> {
  if (!config.gateway.supergraphConfig) return null;
  const schema = await buildMirrorSchema();
  return createMirrorGateway({ config, selfSdl: await printMirrorSchema(), subgraphSchema: schema, run: createOperationRunner(schema, jitOptionsOf(config.server), sqlPathOf(schema, config.server)), logger });
}
