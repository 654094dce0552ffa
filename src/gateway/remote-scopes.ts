import { getNamedType, Kind, parse, TypeInfo, visit, visitWithTypeInfo, type ConstDirectiveNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldOwners, graphEnumOf } from './supergraph-ast.js';

const TYPE_DEFINITIONS: ReadonlySet<Kind> = new Set([Kind.OBJECT_TYPE_DEFINITION, Kind.INTERFACE_TYPE_DEFINITION, Kind.UNION_TYPE_DEFINITION, Kind.ENUM_TYPE_DEFINITION, Kind.SCALAR_TYPE_DEFINITION]);

/** Any one of the lists, all of whose scopes the caller must hold (`@requiresScopes(scopes: [[a, b], [c]])`: a and b, or c). */
export type ScopeAlternatives = readonly (readonly string[])[];

export interface ScopeRequirement {
  /** `Type.field` or `Type`. */
  readonly coordinate: string;
  readonly scopes: ScopeAlternatives;
}

function scopesOf(directives: readonly ConstDirectiveNode[] | undefined): ScopeAlternatives | undefined {
  const directive = directives?.find((d) => d.name.value === 'requiresScopes');
  const value = directive?.arguments?.find((arg) => arg.name.value === 'scopes')?.value;
  if (!value || value.kind !== Kind.LIST) return undefined;
  return value.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : []));
}

/**
 * The `@requiresScopes` of the other subgraphs, which a router enforces for them (Apollo's
 * model: the subgraph trusts the router). Ours are left out: our subgraph enforces its own,
 * with its own answer (personal fields masked, not refused). A field counts as theirs when
 * our subgraph does not resolve it; a type, when our subgraph does not define it.
 */
export class RemoteScopes {
  private readonly fields = new Map<string, ScopeAlternatives>();
  private readonly types = new Map<string, ScopeAlternatives>();
  private readonly decided = new WeakMap<DocumentNode, readonly ScopeRequirement[]>();

  constructor(supergraphSdl: string, selfName: string) {
    const ours = graphEnumOf(supergraphSdl, selfName);
    const owners = fieldOwners(supergraphSdl);
    for (const definition of parse(supergraphSdl).definitions) {
      if (!TYPE_DEFINITIONS.has(definition.kind) || !('name' in definition) || !definition.name) continue;
      const directives = (definition as { directives?: readonly ConstDirectiveNode[] }).directives;
      const typeName = definition.name.value;
      const joinedByUs = (directives ?? []).some((d) => d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'graph' && a.value.kind === Kind.ENUM && a.value.value === ours));
      const typeScopes = scopesOf(directives);
      if (typeScopes && !joinedByUs) this.types.set(typeName, typeScopes);
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      for (const field of definition.fields ?? []) {
        const coordinate = `${typeName}.${field.name.value}`;
        const fieldScopes = scopesOf(field.directives);
        if (fieldScopes && !(ours && owners.get(coordinate)?.has(ours))) this.fields.set(coordinate, fieldScopes);
      }
    }
  }

  get empty(): boolean {
    return this.fields.size === 0 && this.types.size === 0;
  }

  /** What an operation asks of the caller, worked out once per parsed document. */
  requirementsOf(document: DocumentNode, schema: GraphQLSchema): readonly ScopeRequirement[] {
    let known = this.decided.get(document);
    if (!known) this.decided.set(document, (known = this.collect(document, schema)));
    return known;
  }

  private collect(document: DocumentNode, schema: GraphQLSchema): ScopeRequirement[] {
    const found = new Map<string, ScopeAlternatives>();
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: (node) => {
          const parent = typeInfo.getParentType();
          const coordinate = parent && `${parent.name}.${node.name.value}`;
          const fieldScopes = coordinate ? this.fields.get(coordinate) : undefined;
          if (coordinate && fieldScopes) found.set(coordinate, fieldScopes);
          const type = typeInfo.getType();
          const named = type ? getNamedType(type).name : undefined;
          const typeScopes = named ? this.types.get(named) : undefined;
          if (named && typeScopes) found.set(named, typeScopes);
        },
      }),
    );
    return [...found].map(([coordinate, scopes]) => ({ coordinate, scopes }));
  }
}

/** The first requirement the caller does not meet, if any. */
export function unmet(requirements: readonly ScopeRequirement[], holds: (scope: string) => boolean): ScopeRequirement | undefined {
  return requirements.find((requirement) => !requirement.scopes.some((all) => all.every(holds)));
}
