import { excerpt } from '../errors/excerpt.js';
import { badInput } from './errors.js';
import { RESOURCE_MODELS } from './model/resource-models.js';

/**
 * What `_entities` accepts: a representation per record, `{ __typename, id }`, naming one of the
 * four entity types by its `@key`. `@apollo/subgraph` resolves whatever it is handed and fails
 * with an internal error on anything else (an unknown or missing `__typename`, a type that is no
 * entity, an id that is an object), so representations are checked here first and a bad one is
 * a BAD_USER_INPUT that names its index and what was expected.
 */
const ENTITY_TYPES: ReadonlySet<string> = new Set(RESOURCE_MODELS.map((m) => m.typeName));
const EXPECTED = `{ __typename: ${[...ENTITY_TYPES].map((t) => JSON.stringify(t)).join(' | ')}, id: ID }`;

export function checkRepresentations(representations: unknown): void {
  if (!Array.isArray(representations)) throw badInput(`representations: expected a list of ${EXPECTED}, got ${describe(representations)}`);
  representations.forEach((representation, i) => {
    const problem = problemOf(representation);
    if (problem) throw badInput(`representations[${i}]: expected ${EXPECTED}, got ${problem}`);
  });
}

function problemOf(representation: unknown): string | null {
  if (representation === null || typeof representation !== 'object' || Array.isArray(representation)) return describe(representation);
  const { __typename: typename, id } = representation as Record<string, unknown>;
  if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) return `__typename ${describe(typename)}`;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) return `id ${describe(id)}`;
  return null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return excerpt(text, 80);
}
