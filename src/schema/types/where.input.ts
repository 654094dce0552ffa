import { Field, InputType } from 'type-graphql';
import type { ResourceName } from '../../resources/resource-table.js';
import type { QueryField } from '../model/query-fields.js';
import { resourceModel } from '../model/resource-models.js';
import { whereEntriesOf } from '../model/where-entries.js';
import { filterInputOf } from './scalar-filter.input.js';

/** A `where` argument as the resolvers receive it. */
export interface WhereInput {
  AND?: WhereInput[] | null;
  OR?: WhereInput[] | null;
  NOT?: WhereInput | null;
  [key: string]: unknown;
}

const built = new Map<string, new () => object>();

function inputClass(name: string, description: string, define: (proto: object) => void): new () => object {
  const Input = class {};
  Object.defineProperty(Input, 'name', { value: name });
  built.set(name, Input);
  define(Input.prototype);
  InputType(name, { description })(Input);
  return Input;
}

function embeddedWhereOf(typeName: string, fields: readonly QueryField[]): new () => object {
  const name = `${typeName}Where`;
  return (
    built.get(name) ??
    inputClass(name, `Conditions on the fields of a ${typeName}.`, (proto) => {
      for (const f of fields) {
        const Filter = filterInputOf(f.kind);
        Field(() => Filter, { nullable: true })(proto, f.property);
      }
    })
  );
}

// type-graphql snapshots its metadata when the build starts: every input type is created
// eagerly here, never inside a type thunk.

/** `<Type>Where` for a resource: a filter per field, embedded objects, to-one relations, AND/OR/NOT. */
export function whereInputOf(resource: ResourceName): new () => object {
  const model = resourceModel(resource);
  const name = `${model.typeName}Where`;
  const existing = built.get(name);
  if (existing) return existing;
  return inputClass(name, `Conditions on ${model.plural}; all given keys must hold.`, (proto) => {
    for (const entry of whereEntriesOf(model)) {
      const Input =
        entry.kind === 'field'
          ? filterInputOf(entry.field.kind)
          : entry.kind === 'embedded'
            ? embeddedWhereOf(entry.typeName, entry.fields)
            : whereInputOf(entry.relation.target);
      if (entry.kind !== 'relation') {
        Field(() => Input, { nullable: true })(proto, entry.key);
      } else {
        Field(() => Input, {
          nullable: true,
          description: `Has a ${entry.key} (live, not soft-deleted) matching these conditions.`,
        })(proto, entry.key);
      }
    }
    const self = () => built.get(name)!;
    Field(() => [self()], { nullable: true, description: 'Every condition holds.' })(proto, 'AND');
    Field(() => [self()], { nullable: true, description: 'At least one condition holds.' })(proto, 'OR');
    Field(() => self(), { nullable: true, description: 'The condition does not hold.' })(proto, 'NOT');
  });
}
