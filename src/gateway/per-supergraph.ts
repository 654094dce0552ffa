import type { ComposedSupergraph, SupergraphSource } from './supergraph-source.js';

/**
 * Something derived from the supergraph the gateway serves now, made again only when a
 * recomposition replaced it (what is derived per document lives inside it, so it goes too).
 */
export function perSupergraph<T>(source: SupergraphSource, make: (supergraph: ComposedSupergraph) => T): () => T {
  let madeFor: ComposedSupergraph | undefined;
  let made: T | undefined;
  return () => {
    const current = source.current;
    if (madeFor?.sdl !== current.sdl || made === undefined) {
      made = make(current);
      madeFor = current;
    }
    return made;
  };
}
