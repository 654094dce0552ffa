import type { DataSource } from 'typeorm';
import type { ChangeFeed } from '../changes/change-feed.js';
import type { ChangeLogReader } from '../changes/change-log.reader.js';
import type { Principal } from '../auth/principal.js';
import type { AppConfig } from '../config.js';
import type { ReadPool } from '../db/read-pool.js';
import type { Logger } from '../logger.js';
import type { SyncController } from '../sync/controller.js';
import { Access } from './access/access.js';
import type { PageLimits } from './data/page-request.js';
import { MirrorReader } from './loaders/mirror-reader.js';

/** What every resolver gets. Built fresh for each request: loaders and caches never outlive it. */
export interface GraphQLContext {
  readonly requestId: string;
  readonly logger: Logger;
  readonly reader: MirrorReader;
  readonly sync: SyncController;
  /** The caller's access rules (scopes, masking); the reader applies them to every read. */
  readonly access: Access;
  /** Whether ADMIN_TOKEN is set, for the resync mutation's message. */
  readonly adminTokenConfigured: boolean;
  readonly limits: PageLimits;
  /** The change log and its live feed (`changes`, `recordsChanged`). */
  readonly changes: ChangeLogAccess;
  /** The WebSocket a subscription runs on; null over HTTP. */
  readonly connection: SubscriberConnection | null;
}

export interface ChangeLogAccess {
  readonly log: ChangeLogReader;
  readonly feed: ChangeFeed;
  /** Changes one subscription may have waiting (SUBSCRIPTION_MAX_QUEUED_CHANGES). */
  readonly maxQueued: number;
  /** How long it may take none of them (SUBSCRIPTION_STALL_TIMEOUT_MS). */
  readonly stallMs: number;
}

/** What a subscription may do to the socket it runs on. */
export interface SubscriberConnection {
  /** Closes the socket of a client that does not keep up (code 1013: it resumes with its cursor). */
  closeAsSlow(reason: string): void;
}

export interface ContextDependencies {
  readonly dataSource: DataSource;
  /** Where reads run (a pool with timeouts on MySQL; see read-pool.ts). */
  readonly reads: ReadPool;
  readonly sync: SyncController;
  readonly server: AppConfig['server'];
  readonly logger: Logger;
  readonly changes: ChangeLogAccess;
}

export interface RequestFacts {
  readonly requestId: string;
  /** Who is asking, as the authentication plugin recognised them. */
  readonly principal: Principal;
  /** Over WebSocket only. */
  readonly connection?: SubscriberConnection;
}

export function createContext(deps: ContextDependencies, request: RequestFacts): GraphQLContext {
  const limits = { defaultPageSize: deps.server.defaultPageSize, maxPageSize: deps.server.maxPageSize };
  const access = new Access(request.principal);
  return {
    requestId: request.requestId,
    logger: deps.logger.child({ requestId: request.requestId, subject: request.principal.subject ?? undefined }),
    reader: new MirrorReader({ dataSource: deps.dataSource, pool: deps.reads, access }, limits),
    sync: deps.sync,
    access,
    adminTokenConfigured: Boolean(deps.server.adminToken),
    limits,
    changes: deps.changes,
    connection: request.connection ?? null,
  };
}
