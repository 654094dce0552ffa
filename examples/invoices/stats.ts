import type { ApolloServerPlugin } from '@apollo/server';

/** What tests read to see how a gateway used the subgraph. */
export interface InvoicesSubgraphStats {
  /** GraphQL requests received (valid or not). */
  operations: number;
  /** Operations that resolved `Query._entities` at least once. */
  entitiesCalls: number;
  /** Per such operation, how many representations it resolved (aliases summed). */
  entitiesRepresentations: number[];
  /** The `authorization` header of the latest request; undefined when it had none. */
  lastAuthorization: string | undefined;
}

export function emptyStats(): InvoicesSubgraphStats {
  return { operations: 0, entitiesCalls: 0, entitiesRepresentations: [], lastAuthorization: undefined };
}

/** Zeroes the stats in place, so a reference a test holds stays live. */
export function resetStats(stats: InvoicesSubgraphStats): void {
  Object.assign(stats, emptyStats());
}

/**
 * Records each request into `stats`. `_entities` is counted where it executes, on the parsed
 * and validated operation: an alias, a fragment or a variable cannot hide it, and a query that
 * merely mentions the word in a string or a comment does not count.
 */
export function statsPlugin(stats: InvoicesSubgraphStats): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      stats.operations++;
      stats.lastAuthorization = request.http?.headers.get('authorization');
      let representations: number | undefined;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, args }) {
              if (info.parentType.name !== 'Query' || info.fieldName !== '_entities') return;
              const list: unknown = (args as { representations?: unknown }).representations;
              representations = (representations ?? 0) + (Array.isArray(list) ? list.length : 0);
            },
            async executionDidEnd() {
              if (representations === undefined) return;
              stats.entitiesCalls++;
              stats.entitiesRepresentations.push(representations);
            },
          };
        },
      };
    },
  };
}
