import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config.js';
import type { ReadPool } from '../db/read-pool.js';
import type { Logger } from '../logger.js';
import type { SyncController } from '../sync/controller.js';
import { createAdminGate, type AdminGate } from './admin-gate.js';
import type { PageLimits } from './data/page-request.js';
import { MirrorReader } from './loaders/mirror-reader.js';

/** What every resolver gets. Built fresh for each request: loaders and caches never outlive it. */
export interface GraphQLContext {
  readonly requestId: string;
  readonly logger: Logger;
  readonly reader: MirrorReader;
  readonly sync: SyncController;
  readonly admin: AdminGate;
  readonly limits: PageLimits;
}

export interface ContextDependencies {
  readonly dataSource: DataSource;
  /** Where reads run (a pool with timeouts on MySQL; see read-pool.ts). */
  readonly reads: ReadPool;
  readonly sync: SyncController;
  readonly server: AppConfig['server'];
  readonly logger: Logger;
}

export interface RequestFacts {
  readonly requestId: string;
  readonly authorization: string | undefined;
}

export function createContext(deps: ContextDependencies, request: RequestFacts): GraphQLContext {
  const limits = { defaultPageSize: deps.server.defaultPageSize, maxPageSize: deps.server.maxPageSize };
  return {
    requestId: request.requestId,
    logger: deps.logger.child({ requestId: request.requestId }),
    reader: new MirrorReader({ dataSource: deps.dataSource, pool: deps.reads }, limits),
    sync: deps.sync,
    admin: createAdminGate(deps.server.adminToken, request.authorization),
    limits,
  };
}
