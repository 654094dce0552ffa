import { Kind, parse, type ConstDirectiveNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { RESOURCE_MODELS } from '../schema/model/resource-models.js';
import type { ExampleOperation } from '../web/example-operations.js';

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const hasRequiredArguments = (field: FieldDefinitionNode): boolean => (field.arguments ?? []).some((arg) => arg.type.kind === Kind.NON_NULL_TYPE && !arg.defaultValue);
const argumentOf = (directive: ConstDirectiveNode, name: string): string | undefined => {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value && (value.kind === Kind.ENUM || value.kind === Kind.STRING) ? value.value : undefined;
};
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
  const document = parse(supergraphSdl);
  const objects = new Map<string, ObjectTypeDefinitionNode>();
  const graphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) objects.set(definition.name.value, definition);
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const name = value.directives?.find((d) => d.name.value === 'join__graph');
        if (name) graphNames.set(value.name.value, argumentOf(name, 'name') ?? value.name.value);
      }
    }
  }
  const otherGraphOf = (field: FieldDefinitionNode): string | undefined => {
    for (const directive of field.directives ?? []) {
      if (directive.name.value !== 'join__field') continue;
      const graph = argumentOf(directive, 'graph');
      const external = directive.arguments?.some((arg) => arg.name.value === 'external' && arg.value.kind === Kind.BOOLEAN && arg.value.value);
      if (graph && !external && graphNames.get(graph) !== selfName) return graphNames.get(graph);
    }
    return undefined;
  };
  const leavesOf = (typeName: string): string[] =>
    (objects.get(typeName)?.fields ?? [])
      .filter((field) => !objects.has(namedType(field.type)) && !hasRequiredArguments(field) && !field.name.value.startsWith('_'))
      .map((field) => field.name.value)
      .slice(0, MAX_LEAVES);

  for (const model of RESOURCE_MODELS) {
    for (const field of objects.get(model.typeName)?.fields ?? []) {
      const graph = otherGraphOf(field);
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
