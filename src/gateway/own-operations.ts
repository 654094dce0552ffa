import { TypeInfo, validate, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldOwners, graphEnumOf } from './supergraph-ast.js';

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
