import { Kind, parse, type ConstDirectiveNode } from 'graphql';

/**
 * @file What the supergraph's join directives say, read from its SDL: which subgraph each field
 * comes from and what the `join__Graph` enum calls each subgraph. Used by the decisions that
 * depend on ownership (own-operations.ts, remote-scopes.ts, joined-example.ts).
 */

export const argumentOf = (directive: ConstDirectiveNode, name: string): string | boolean | undefined => {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.BOOLEAN) return value.value;
  return value.kind === Kind.ENUM || value.kind === Kind.STRING ? value.value : undefined;
};

/**
 * Which subgraphs resolve each `Type.field` of a supergraph, read from its join directives: a
 * field's `@join__field(graph:)` entries (not `external`, not overridden away), or, without any,
 * every graph its type's `@join__type` names.
 */
export function fieldOwners(supergraphSdl: string): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeGraphs = (definition.directives ?? []).filter((d) => d.name.value === 'join__type').map((d) => argumentOf(d, 'graph'));
    for (const field of definition.fields ?? []) {
      const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
      const graphs = joins.length
        ? joins.filter((d) => argumentOf(d, 'external') !== true && argumentOf(d, 'usedOverridden') !== true).map((d) => argumentOf(d, 'graph'))
        : typeGraphs;
      owners.set(`${definition.name.value}.${field.name.value}`, new Set(graphs.filter((g): g is string => typeof g === 'string')));
    }
  }
  return owners;
}

/** Each `join__Graph` enum value and the subgraph name it stands for (`CRM` → `crm`). */
export function graphNames(supergraphSdl: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = graph && argumentOf(graph, 'name');
      if (typeof name === 'string') names.set(value.name.value, name);
    }
  }
  return names;
}

/** The `join__Graph` enum value of the subgraph named `name` (`crm` → `CRM`), if the supergraph has it. */
export function graphEnumOf(supergraphSdl: string, name: string): string | undefined {
  for (const [value, graph] of graphNames(supergraphSdl)) if (graph === name) return value;
  return undefined;
}
