import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { RESOURCE_MODELS } from '../schema/model/resource-models.js';
import type { ExampleOperation } from '../web/example-operations.js';
import { fieldOwners, graphNames } from './supergraph-ast.js';

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const hasRequiredArguments = (field: FieldDefinitionNode): boolean => (field.arguments ?? []).some((arg) => arg.type.kind === Kind.NON_NULL_TYPE && !arg.defaultValue);
/** Fields of the example's leaf selection: enough to show the data, few enough to read. */
const MAX_LEAVES = 4;

/**
 * A GraphiQL tab that joins our data with another subgraph's, made from the composed
 * supergraph, so whatever subgraphs a user composes in, the first tab shows them working
 * together: the first field another subgraph adds to one of our four types (say
 * `Company.invoices`), selected on a page of that type, with up to four of its leaf fields.
 * None when no other subgraph extends our types.
 */
export function joinedExamples(supergraphSdl: string, selfName: string): ExampleOperation[] {
  const objects = new Map<string, ObjectTypeDefinitionNode>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) objects.set(definition.name.value, definition);
  }
  const names = graphNames(supergraphSdl);
  const owners = fieldOwners(supergraphSdl);
  /** The subgraph that resolves `Type.field` when ours does not. */
  const otherGraphOf = (typeName: string, field: FieldDefinitionNode): string | undefined => {
    const graphs = [...(owners.get(`${typeName}.${field.name.value}`) ?? [])].map((graph) => names.get(graph));
    return graphs.includes(selfName) ? undefined : graphs.find((name) => name !== undefined);
  };
  const leavesOf = (typeName: string): string[] =>
    (objects.get(typeName)?.fields ?? [])
      .filter((field) => !objects.has(namedType(field.type)) && !hasRequiredArguments(field) && !field.name.value.startsWith('_'))
      .map((field) => field.name.value)
      .slice(0, MAX_LEAVES);

  for (const model of RESOURCE_MODELS) {
    for (const field of objects.get(model.typeName)?.fields ?? []) {
      const graph = otherGraphOf(model.typeName, field);
      if (!graph || hasRequiredArguments(field)) continue;
      const target = namedType(field.type);
      const leaves = objects.has(target) ? leavesOf(target) : [];
      if (objects.has(target) && leaves.length === 0) continue;
      const selection = leaves.length ? ` {\n${leaves.map((leaf) => `        ${leaf}`).join('\n')}\n      }` : '';
      return [
        {
          query: `# Across subgraphs: ${model.plural} from the CRM mirror,
# with \`${field.name.value}\` from the ${graph} subgraph.
query ${model.typeName}AcrossSubgraphs {
  ${model.plural}(first: 5) {
    nodes {
      id
      name
      ${field.name.value}${selection}
    }
  }
}
`,
        },
      ];
    }
  }
  return [];
}
