/**
 * @file Subgraph SDLs composed into a supergraph with The Guild's federation-composition (the
 * library Hive Gateway itself uses). Composition's refusals are data, never a throw: the caller
 * decides whether to keep serving the last good supergraph or to stop.
 */
import { composeServices } from '@theguild/federation-composition';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { loadSubgraphSdl } from './subgraph-sdl.js';
import type { SupergraphConfig } from './supergraph-config.js';

export interface SubgraphSchema {
  name: string;
  /** The routing URL, written into the supergraph's `join__graph`. */
  url: string;
  sdl: string;
}

export type CompositionResult = { ok: true; supergraphSdl: string; subgraphs: readonly SubgraphSchema[] } | { ok: false; errors: readonly string[] };

/** A remote whose SDL could not be loaded; composition was then not attempted. */
export interface SubgraphLoadError {
  subgraph: string;
  message: string;
}

/** Composes the SDLs as given; every problem (a syntax error, a composition rule) is one line of `errors`. */
export function composeSupergraph(subgraphs: readonly SubgraphSchema[]): CompositionResult {
  const errors: string[] = [];
  const seen = new Set<string>();
  const services: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  for (const subgraph of subgraphs) {
    if (seen.has(subgraph.name)) errors.push(`subgraph "${subgraph.name}" is listed twice`);
    seen.add(subgraph.name);
    try {
      services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) });
    } catch (error) {
      errors.push(`subgraph "${subgraph.name}": its SDL does not parse: ${describeGraphQLError(error)}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  let result: ReturnType<typeof composeServices>;
  try {
    result = composeServices(services);
  } catch (error) {
    return { ok: false, errors: [`composition stopped: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (result.errors) return { ok: false, errors: result.errors.map(describeCompositionError) };
  return { ok: true, supergraphSdl: result.supergraphSdl, subgraphs };
}

/**
 * Loads every remote's SDL (at once, each within its own timeout), then composes ours (first)
 * with them. A remote that cannot be loaded fails the whole result, listed in `loadErrors` too.
 */
export async function composeFromConfig(config: SupergraphConfig, selfSdl: string): Promise<CompositionResult & { loadErrors?: readonly SubgraphLoadError[] }> {
  const loads = await Promise.allSettled(config.remotes.map((remote) => loadSubgraphSdl(remote, { timeoutMs: remote.timeoutMs })));
  const loadErrors: SubgraphLoadError[] = [];
  const remotes: SubgraphSchema[] = [];
  loads.forEach((load, index) => {
    const remote = config.remotes[index];
    if (load.status === 'fulfilled') remotes.push({ name: remote.name, url: remote.routingUrl, sdl: load.value });
    else loadErrors.push({ subgraph: remote.name, message: load.reason instanceof Error ? load.reason.message : String(load.reason) });
  });
  if (loadErrors.length > 0) {
    return { ok: false, errors: loadErrors.map((failure) => failure.message), loadErrors };
  }
  return composeSupergraph([{ name: config.self.name, url: config.self.routingUrl, sdl: selfSdl }, ...remotes]);
}

function describeGraphQLError(error: unknown): string {
  if (!(error instanceof GraphQLError)) return error instanceof Error ? error.message : String(error);
  const at = error.locations?.map((location) => `line ${location.line}, column ${location.column}`).join('; ');
  return at ? `${error.message} (at ${at})` : error.message;
}

function describeCompositionError(error: GraphQLError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? `[${code}] ${error.message}` : error.message;
}
