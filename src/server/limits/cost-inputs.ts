import { Kind, visit, type ASTNode, type DocumentNode, type ValueNode } from 'graphql';

/** The arguments whose values the cost estimator reads (cost.plugin.ts, pagedEstimator). */
const COSTED_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'last', 'representations']);
/** The directives that decide whether a field is counted at all. */
const COUNTING_DIRECTIVES: ReadonlySet<string> = new Set(['include', 'skip']);

/**
 * The variables an operation's cost can depend on: those used inside the value of a `first`,
 * `last` or `representations` argument, or of an `@include`/`@skip`, anywhere in the document
 * (its fragments included). Every other variable (`id: $id`, `where: $where`) changes what is
 * read, never how much: an operation whose cost inputs are empty costs the same for every
 * request, and one that has some costs the same for the same values of those.
 */
export function costInputsOf(document: DocumentNode): readonly string[] {
  const names = new Set<string>();
  const collect = (value: ValueNode) =>
    visit(value, {
      Variable(node) {
        names.add(node.name.value);
      },
    });
  visit(document, {
    Argument(node, _key, _parent, _path, ancestors) {
      // The field or directive the argument belongs to: the nearest ancestor that is a node, not an array.
      const owner = [...ancestors].reverse().find((a): a is ASTNode => !Array.isArray(a));
      const costed = owner?.kind === Kind.DIRECTIVE ? COUNTING_DIRECTIVES.has(owner.name.value) : COSTED_ARGUMENTS.has(node.name.value);
      if (costed) collect(node.value);
    },
  });
  return [...names].sort();
}

/**
 * What of a request's variables its cost depends on, as a short string: the values of the cost
 * inputs, a list by its length only (the estimator counts `representations`, it never reads
 * them), so that a gateway's hundred representations make a key of a few characters.
 */
export function costKeyOf(inputs: readonly string[], variables: Record<string, unknown> | undefined): string {
  if (inputs.length === 0) return '';
  return JSON.stringify(inputs.map((name) => {
    // Not given (its default applies) is not the same as null (the argument's own fallback).
    if (!variables || !Object.hasOwn(variables, name)) return 'not given';
    const value = variables[name];
    return Array.isArray(value) ? `list of ${value.length}` : value;
  }));
}

