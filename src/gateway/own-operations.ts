import {
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

const argumentOf = (directive: ConstDirectiveNode, name: string): string | boolean | undefined => {
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

/** The `join__Graph` enum value of the subgraph named `name` (`crm` → `CRM`), if the supergraph has it. */
export function graphEnumOf(supergraphSdl: string, name: string): string | undefined {
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      if (graph && argumentOf(graph, 'name') === name) return value.name.value;
    }
  }
  return undefined;
}

/**
 * Decides, once per parsed document, whether an operation is ours alone: every field it selects
 * is resolved by our subgraph, it asks no introspection of the supergraph, and it is valid
 * against our subgraph's own schema. Such an operation gains nothing from a query plan (it
 * would be one step to us) but pays for the gateway re-resolving every field of the answer;
 * run on our subgraph directly it gets exactly the answer that step would have given.
 */
export class OwnOperations {
  private readonly decided = new WeakMap<DocumentNode, boolean>();
  private readonly owners: Map<string, Set<string>>;
  private readonly ours: string | undefined;

  constructor(
    supergraphSdl: string,
    selfName: string,
    private readonly subgraphSchema: GraphQLSchema,
  ) {
    this.owners = fieldOwners(supergraphSdl);
    this.ours = graphEnumOf(supergraphSdl, selfName);
  }

  isOurs(document: DocumentNode, supergraphSchema: GraphQLSchema): boolean {
    let known = this.decided.get(document);
    if (known === undefined) this.decided.set(document, (known = this.decide(document, supergraphSchema)));
    return known;
  }

  private decide(document: DocumentNode, supergraphSchema: GraphQLSchema): boolean {
    if (!this.ours) return false;
    const ours = this.ours;
    const typeInfo = new TypeInfo(supergraphSchema);
    let onlyOurs = true;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: (node) => {
          const name = node.name.value;
          if (name === '__typename') return;
          const parent = typeInfo.getParentType();
          if (name.startsWith('__') || !parent || !this.owners.get(`${parent.name}.${name}`)?.has(ours)) onlyOurs = false;
        },
      }),
    );
    return onlyOurs && validate(this.subgraphSchema, document).length === 0;
  }
}
