import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, parse, print, type GraphQLSchema } from 'graphql';

/**
 * A schema as a sorted list of its coordinates with their types (`Company.name: String`,
 * `Resource.COMPANIES`, `RelatedRecord = Company | Person`), without descriptions: Apollo's
 * subgraph extraction drops descriptions, and a comparison of printed schemas would fail on those alone.
 */
export function schemaShape(schema: GraphQLSchema): string[] {
  const lines: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      lines.push(`${type.name} implements ${type.getInterfaces().map((inner) => inner.name).sort().join(' & ')}`);
      for (const field of Object.values(type.getFields())) {
        const args = field.args.map((arg) => `${arg.name}: ${String(arg.type)}${arg.defaultValue === undefined ? '' : ` = ${JSON.stringify(arg.defaultValue)}`}`);
        lines.push(`${type.name}.${field.name}(${args.join(', ')}): ${String(field.type)}`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) lines.push(`input ${type.name}.${field.name}: ${String(field.type)}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) lines.push(`${type.name}.${value.name}`);
    } else if (isUnionType(type)) {
      lines.push(`${type.name} = ${type.getTypes().map((member) => member.name).sort().join(' | ')}`);
    } else {
      lines.push(`scalar ${type.name}`);
    }
  }
  return lines.sort();
}

/** Every `@requiresScopes` in a (supergraph) SDL, as `Type` or `Type.field` with its scopes. */
export function scopedCoordinates(sdl: string): string[] {
  const found: string[] = [];
  for (const definition of parse(sdl).definitions) {
    if (!('name' in definition) || definition.name === undefined || !('directives' in definition)) continue;
    const scopes = (directives: typeof definition.directives) =>
      (directives ?? []).filter((directive) => directive.name.value === 'requiresScopes').map((directive) => print(directive));
    for (const scope of scopes(definition.directives)) found.push(`${definition.name.value} ${scope}`);
    const fields = 'fields' in definition ? (definition.fields ?? []) : [];
    for (const field of fields) for (const scope of scopes(field.directives)) found.push(`${definition.name.value}.${field.name.value} ${scope}`);
  }
  return found.sort();
}
