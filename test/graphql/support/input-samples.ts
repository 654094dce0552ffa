import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** One root query argument of an input-object type (or a list of them), with a value of it. */
export interface InputVariableCase {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const SCALAR_SAMPLES: Record<string, unknown> = {
  ID: '1',
  String: 'a',
  Int: 1,
  Float: 1.5,
  Boolean: true,
  DateTimeISO: '2020-01-01T00:00:00.000Z',
  LocalDate: '2020-01-01',
  JSON: 'a',
  JSONObject: {},
};

/**
 * The smallest valid value of an input type: required fields without a default only (a scalar
 * sample, an enum's first value). Fields with a default are left out on purpose: the server
 * must apply the default, whichever executor runs the operation.
 */
export function minimalValue(type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [minimalValue(inner.ofType)];
  if (isEnumType(inner)) return inner.getValues()[0]?.name;
  if (isScalarType(inner)) {
    if (!(inner.name in SCALAR_SAMPLES)) throw new Error(`no sample for scalar ${inner.name}: add one`);
    return SCALAR_SAMPLES[inner.name];
  }
  const value: Record<string, unknown> = {};
  for (const field of Object.values(inner.getFields())) {
    if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = minimalValue(field.type);
  }
  return value;
}

/**
 * A value that goes through every logical operator once each and sets every scalar filter
 * field with its minimal value: what a frontend's filter sent as a variable looks like.
 */
export function richValue(type: GraphQLInputType): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [richValue(inner.ofType), minimalValue(inner.ofType)];
  if (!isInputObjectType(inner)) return minimalValue(inner);
  const value: Record<string, unknown> = {};
  for (const field of Object.values(inner.getFields())) {
    const named = getNamedType(field.type);
    if (['AND', 'OR'].includes(field.name)) value[field.name] = [minimalValue(named as GraphQLInputType), minimalValue(named as GraphQLInputType)];
    else if (field.name === 'NOT') value[field.name] = minimalValue(named as GraphQLInputType);
    else if (isInputObjectType(named) && /Filter$/.test(named.name)) value[field.name] = { isNull: false };
    else if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = minimalValue(field.type);
  }
  return value;
}

/** Every root query argument whose type is an input object (where, orderBy, ...), as a variable, in two values each. */
export function inputVariableCases(schema: GraphQLSchema): InputVariableCase[] {
  const cases: InputVariableCase[] = [];
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    if (field.name.startsWith('_')) continue;
    const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    for (const arg of field.args) {
      if (!isInputObjectType(getNamedType(arg.type))) continue;
      const others = required.filter((a) => a !== arg);
      const declared = [`$v: ${String(arg.type)}`, ...others.map((a) => `$${a.name}: ${String(a.type)}`)].join(', ');
      const passed = [`${arg.name}: $v`, ...others.map((a) => `${a.name}: $${a.name}`)].join(', ');
      const query = `query(${declared}) { ${field.name}(${passed}) { __typename } }`;
      const fixed = Object.fromEntries(others.map((a) => [a.name, minimalValue(a.type)]));
      cases.push({ name: `${field.name}(${arg.name}: ${String(arg.type)}) minimal`, query, variables: { v: minimalValue(arg.type), ...fixed } });
      cases.push({ name: `${field.name}(${arg.name}: ${String(arg.type)}) with AND/OR/NOT`, query, variables: { v: richValue(arg.type), ...fixed } });
    }
  }
  return cases;
}
