import type { DocumentNode } from 'graphql';
import type { Principal } from '../../auth/principal.js';
import type { CompiledOperation } from './compile-operation.js';

/** Not compiled for this key: the loaders answer, without trying again. */
export const REFUSED = Symbol('refused');
type Entry = CompiledOperation | typeof REFUSED;

/** Per document: a dashboard repeats a query with a few different variables, an id lookup with many (only the latest are kept). */
const ENTRIES_PER_DOCUMENT = 32;

/**
 * Compiled statements by document, operation, the caller's scopes and the variables: what a
 * compiled statement depends on (the page limits and the database are fixed for a server).
 * Compiling the nested benchmark query costs more than a tenth of its request; a frontend sends
 * the same documents over and over. Kept for as long as Apollo's document cache keeps the
 * document (a WeakMap on the parsed document, as the executor's own state).
 */
export class CompiledCache {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, Entry>>();

  get(document: DocumentNode, key: string): Entry | undefined {
    return this.byDocument.get(document)?.get(key);
  }

  set(document: DocumentNode, key: string, entry: Entry): void {
    let entries = this.byDocument.get(document);
    if (!entries) this.byDocument.set(document, (entries = new Map()));
    if (entries.size >= ENTRIES_PER_DOCUMENT) entries.delete(entries.keys().next().value!);
    entries.set(key, entry);
  }
}

/** What of the request a compiled statement depends on; `undefined` when the variables cannot be keyed (then nothing is cached). */
export function compiledKey(operationName: string | undefined, principal: Principal, variables: Record<string, unknown>): string | undefined {
  let text: string;
  try {
    text = JSON.stringify(variables);
  } catch {
    return undefined;
  }
  // The error messages differ by how a caller was recognised, but an error is never compiled; what is compiled depends on the scopes alone.
  return `${operationName ?? ''}\u0000${[...principal.scopes].sort().join(' ')}\u0000${text}`;
}
