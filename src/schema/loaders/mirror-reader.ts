import DataLoader from 'dataloader';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { SyncRun, type MirroredRecord } from '../../entities/index.js';
import type { RecordResourceName, ResourceName } from '../../resources/resource-table.js';
import { fetchByIds } from '../data/by-id.query.js';
import { toConnection } from '../data/connection.js';
import { fetchPage } from '../data/list.query.js';
import { checkPageSize, pageRequestOf, type PageLimits, type PageRequest } from '../data/page-request.js';
import { fetchRelatedCounts, fetchRelatedRows } from '../data/related.query.js';
import type { ReadDatabase } from '../data/run.js';
import { fetchStats, type StatsSelection } from '../data/stats.query.js';
import { tableOf } from '../data/table.js';
import { ProjectionCache, type Projection, type SelectionShape } from '../model/projection.js';
import { relationKey, type ToManyRelation } from '../model/relations.js';
import { relatedGroupKey } from '../model/related-group-keys.js';
import { resourceModel } from '../model/resource-models.js';
import type { Connection } from '../types/connection.type.js';
import type { ListArgs } from '../types/list-args.js';
import type { StatsArgs, StatsGroup } from '../types/stats.type.js';

/** Enough for every parent of a page-limited level in one statement (SQLite binds up to 32766). */
const MAX_BATCH = 5000;

interface RelatedPlan {
  readonly relation: ToManyRelation;
  readonly request: PageRequest;
  readonly rows: DataLoader<string, MirroredRecord[]>;
  readonly counts: DataLoader<string, number>;
}

/**
 * Everything resolvers read, for ONE request. Its DataLoaders batch the lookups a level of the
 * query makes into one statement each and cache rows for this request only; a new reader is
 * built in the context factory of every request and never shared.
 */
export class MirrorReader {
  private readonly loaders = new Map<string, DataLoader<string, unknown>>();
  private readonly projections = new ProjectionCache();
  private readonly relatedPlans = new WeakMap<readonly FieldNode[], RelatedPlan>();

  constructor(
    private readonly db: ReadDatabase,
    private readonly limits: PageLimits,
  ) {}

  private loader<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.loaders.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch, { maxBatchSize: MAX_BATCH });
      this.loaders.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }

  /**
   * The columns the field being resolved reads; every column without `info` (a federation
   * reference, whose selection belongs to the gateway's plan). Either way without the personal
   * ones when the caller may not read them (access.ts).
   */
  private projection(info: GraphQLResolveInfo | undefined, resource: ResourceName, shape: SelectionShape): Projection | undefined {
    const model = resourceModel(resource);
    const selected = info ? this.projections.of(info, model, shape) : undefined;
    return this.db.access.project(model, selected, tableOf(this.db.dataSource, resource).properties);
  }

  /** What the compiled SQL path (src/schema/compiled/) reads through: the same pool, metadata and access rules. */
  get database(): ReadDatabase {
    return this.db;
  }

  private checkOrder(resource: ResourceName, args: ListArgs): void {
    this.db.access.requireOrder(resourceModel(resource), args.orderBy);
  }

  /** A record by id (null when missing or soft-deleted, unless `includeDeleted`). */
  one(resource: ResourceName, id: string | null | undefined, includeDeleted = false, info?: GraphQLResolveInfo): Promise<MirroredRecord | null> {
    // A rejection, not a throw: `_entities` resolves many references at once, and one refused must not take the others with it.
    try {
      this.db.access.requireRead(resource, includeDeleted);
    } catch (error) {
      return Promise.reject(error);
    }
    if (id === null || id === undefined) return Promise.resolve(null);
    const projection = this.projection(info, resource, 'record');
    return this.loader(`one:${resource}:${includeDeleted}:${projection?.key ?? '*'}`, (ids) =>
      fetchByIds(this.db, resource, ids, includeDeleted, projection),
    ).load(String(id));
  }

  list(resource: ResourceName, args: ListArgs, info?: GraphQLResolveInfo): Promise<Connection<MirroredRecord>> {
    this.db.access.requireRead(resource, args.includeDeleted);
    this.checkOrder(resource, args);
    return fetchPage(this.db, resource, args, this.limits, this.projection(info, resource, 'connection'));
  }

  /** One parent's page of a to-many relation; all parents asking with the same arguments and fields share a statement. */
  related(relation: ToManyRelation, parentId: string, args: ListArgs, info?: GraphQLResolveInfo): Promise<Connection<MirroredRecord>> {
    this.db.access.requireRead(relation.target, args.includeDeleted);
    const plan = this.relatedPlan(relation, args, info);
    return plan.rows.load(parentId).then((rows) => toConnection(plan.request, rows, () => plan.counts.load(parentId)));
  }

  /**
   * What every parent of one relation field shares. Computed once per field of the document:
   * its arguments and selection depend only on the document and the variables, both fixed for
   * the request, and a nested level calls the resolver once per parent (a thousand times).
   */
  private relatedPlan(relation: ToManyRelation, args: ListArgs, info: GraphQLResolveInfo | undefined): RelatedPlan {
    const cached = info && this.relatedPlans.get(info.fieldNodes);
    if (cached?.relation === relation) return cached;
    this.checkOrder(relation.target, args);
    const request = pageRequestOf(resourceModel(relation.target), args, this.limits);
    const projection = this.projection(info, relation.target, 'connection');
    const argsKey = JSON.stringify(args);
    const plan: RelatedPlan = {
      relation,
      request,
      rows: this.loader(`many:${relationKey(relation)}:${argsKey}:${projection?.key ?? '*'}`, async (ids) => {
        const byParent = await fetchRelatedRows(this.db, relation, ids, args, request, projection);
        return ids.map((id) => byParent.get(id) ?? []);
      }),
      counts: this.loader(`count:${relationKey(relation)}:${JSON.stringify([args.where, args.includeDeleted])}`, async (ids) => {
        const byParent = await fetchRelatedCounts(this.db, relation, ids, args);
        return ids.map((id) => byParent.get(id) ?? 0);
      }),
    };
    if (info) this.relatedPlans.set(info.fieldNodes, plan);
    return plan;
  }

  /** Computes only `wanted` (everything without it). */
  stats(resource: ResourceName, args: StatsArgs, wanted?: StatsSelection): Promise<StatsGroup[]> {
    this.db.access.requireRead(resource, args.includeDeleted);
    const model = resourceModel(resource);
    for (const path of args.groupBy) {
      const field = model.fieldByPath.get(path);
      if (field) this.db.access.requireQueryable(model, field, 'grouping');
      const related = relatedGroupKey(model, path);
      if (related) {
        this.db.access.requireRead(related.target.name);
        this.db.access.requireQueryable(related.target, related.field, 'grouping');
      }
    }
    return fetchStats(this.db, resource, args, this.limits, wanted);
  }

  /** Latest runs first. */
  syncRuns(first: number | null | undefined, resource: RecordResourceName | null | undefined): Promise<SyncRun[]> {
    checkPageSize('first', first, this.limits);
    return this.db.dataSource.getRepository(SyncRun).find({
      where: resource ? { resource } : {},
      order: { startedAt: 'DESC', id: 'DESC' },
      take: first ?? this.limits.defaultPageSize,
    });
  }
}
