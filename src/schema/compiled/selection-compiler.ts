import {
  getArgumentValues,
  getNamedType,
  GraphQLObjectType,
  isLeafType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields.js';
import { isPersonalProperty } from '../access/personal-fields.js';
import { JSON_KEYS } from '../../entities/list-item.values.js';
import { pageFlags, pageOf } from '../data/connection.js';
import { encodeCursorValues } from '../data/cursor.js';
import { cursorCondition, filterCondition } from '../data/list.query.js';
import { orderByClause } from '../data/order.sql.js';
import { pageRequestOf, sortKeyPaths, type PageLimits, type PageRequest } from '../data/page-request.js';
import type { ReadDatabase } from '../data/run.js';
import { and, join, raw, sql, TRUE, type Sql } from '../data/sql.js';
import { idParam, isIntegerId, tableOf, type Table } from '../data/table.js';
import { liveCondition } from '../data/where.sql.js';
import { projection, topProperty } from '../model/projection.js';
import { RELATED_RECORD, type ToManyRelation, type ToOneRelation } from '../model/relations.js';
import { resourceModel, type ResourceModel } from '../model/resource-models.js';
import type { ListArgs } from '../types/list-args.js';
import { roleOf } from './field-roles.js';
import { arrayAgg, columnValue, jsonArray, jsonObject } from './json-sql.js';
import type { Masking } from './masking.js';
import { notCompiled } from './not-compiled.js';

/** Turns the JSON the database built for a field into the field's GraphQL value (null: nothing to do, the JSON is the value). */
export type Finish = ((value: unknown) => unknown) | null;

export interface Compiled {
  readonly sql: Sql;
  readonly finish: Finish;
  /**
   * Whether the expression holds a to-many page: one for each row it is built for. A page must
   * not build such elements for rows beyond its limit (see pageRows); a to-one lookup per row is
   * a primary-key read, no more than the row itself costs.
   */
  readonly paged: boolean;
}

type Json = Record<string, unknown>;

/**
 * The LEFT JOINs of one FROM clause: a to-one relation (and the union's branches) joins its
 * target on the primary key there, at most one row per row, instead of a correlated subquery
 * per row (which MariaDB runs as a subquery each time: a third of the nested query's time).
 */
class Joins {
  private readonly list: Sql[] = [];

  add(join: Sql): void {
    this.list.push(join);
  }

  get sql(): Sql {
    return this.list.length ? sql` ${join(this.list, ' ')}` : raw('');
  }
}
type Fields = Map<string, readonly FieldNode[]>;

/** The column of a statement whose rows are the records themselves (see rootConnection). */
export const ROW = 'j';

const MAX_ID = '9223372036854775807';
const MIN_ID = '-9223372036854775808';

/**
 * Compiles the selection of one operation into SQL expressions that build its answer as JSON
 * inside MariaDB, and the small functions that finish the parts SQL does not build (pages,
 * cursors, the items of JSON lists). A record is a JSON_OBJECT keyed by response names; a to-one
 * relation a LEFT JOIN on the target's primary key; a to-many page a JSON_ARRAYAGG
 * ordered and limited per parent; the union a CASE on the type column. Every rule the loaders
 * apply is applied here by the same functions: page requests and cursors (page-request.ts),
 * filters (where.sql.ts), the soft-delete condition, read scopes and masking (access.ts).
 *
 * Anything the compiler does not cover, and every error the loaders would report, throws
 * NotCompiled before a statement is sent: the loaders then answer, errors included.
 */
export class SelectionCompiler {
  private aliases = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly db: ReadDatabase,
    private readonly limits: PageLimits,
    private readonly masking: Masking,
  ) {}

  private nextAlias(): string {
    return `q${++this.aliases}`;
  }

  private tableOf(model: ResourceModel): Table {
    return tableOf(this.db.dataSource, model.name);
  }

  private objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    if (!(type instanceof GraphQLObjectType)) throw notCompiled(`${name} is not an object type`);
    return type;
  }

  private fieldsOf(type: GraphQLObjectType, nodes: readonly FieldNode[]): Fields {
    return collectSubfields(this.schema, this.fragments, this.variables, type, nodes) as Fields;
  }

  private fieldDef(type: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> {
    const field = type.getFields()[name];
    if (!field) throw notCompiled(`${type.name}.${name} is not in the schema`);
    return field;
  }

  argumentsOf<T>(type: GraphQLObjectType, nodes: readonly FieldNode[]): T {
    return getArgumentValues(this.fieldDef(type, nodes[0].name.value), nodes[0], this.variables) as T;
  }

  /**
   * `person(id)`: the live row with that id, or null. `rows`: as the statement itself, which
   * returns the record as its one row or no row (null: an id that is not a number reads nothing).
   */
  rootRecord(model: ResourceModel, nodes: readonly FieldNode[], queryType: GraphQLObjectType, shape: 'array' | 'rows' = 'array'): Compiled | null {
    const { id, includeDeleted } = this.argumentsOf<{ id: string; includeDeleted?: boolean }>(queryType, nodes);
    this.db.access.requireRead(model.name, includeDeleted);
    const alias = this.nextAlias();
    const joins = new Joins();
    const record = this.record(model, alias, nodes, this.rowProperties(model, [nodes]), false, joins);
    if (!isIntegerId(id)) return shape === 'rows' ? null : { sql: raw('NULL'), finish: null, paged: false };
    const table = this.tableOf(model);
    const where = and([sql`${table.ref(alias, 'id')} = ${idParam(id)}`, liveCondition(table, alias, includeDeleted)]);
    const select = sql`SELECT ${orMarker(record.sql)}${raw(shape === 'rows' ? ` AS ${table.escape(ROW)}` : '')} FROM ${table.name} ${raw(table.escape(alias))}${joins.sql} WHERE ${where}`;
    return { sql: shape === 'rows' ? select : sql`(${select})`, finish: present(record.finish), paged: record.paged };
  }

  /**
   * `people(...)`: a page of a root list. `rows`: as the rows of the statement itself, one JSON
   * object each (`SELECT <node> AS j ... ORDER BY ... LIMIT`), for an operation that has this
   * one root field and no `totalCount` there; null when it does not fit. Otherwise as one
   * JSON array, in a derived table that cuts the page first: MariaDB materialises it on disk
   * (its JSON is a BLOB), which costs a flat page three times its plain SELECT.
   */
  rootConnection(model: ResourceModel, nodes: readonly FieldNode[], queryType: GraphQLObjectType, shape: 'array' | 'rows' = 'array'): Compiled | null {
    return this.connection(model, nodes, this.argumentsOf<ListArgs>(queryType, nodes), null, shape);
  }

  /**
   * The top-level properties a record selection reads: what the loaders' projection computes
   * (projection.ts), over every selection of the same records (`nodes` and `edges { node }`).
   */
  private rowProperties(model: ResourceModel, selections: readonly (readonly FieldNode[])[]): Set<string> {
    const type = this.objectType(model.typeName);
    const table = this.tableOf(model);
    const properties = new Set<string>(['id']);
    for (const nodes of selections) {
      for (const [, fieldNodes] of this.fieldsOf(type, nodes)) {
        const name = fieldNodes[0].name.value;
        if (name === '__typename') continue;
        const role = roleOf(table, this.fieldDef(type, name));
        if (role.kind === 'toOne') properties.add(topProperty(role.relation.foreignKey));
        else if (role.kind === 'relatedRecord') {
          properties.add(topProperty(RELATED_RECORD.idPath));
          properties.add(topProperty(RELATED_RECORD.typePath));
        } else if (role.kind !== 'toMany') properties.add(name);
      }
    }
    return properties;
  }

  /** A record of `model` on row alias `alias`, as a JSON object of the fields `nodes` select; its to-one relations join `joins`. */
  private record(model: ResourceModel, alias: string, nodes: readonly FieldNode[], properties: ReadonlySet<string>, dependsOnData: boolean, joins: Joins): Compiled {
    const type = this.objectType(model.typeName);
    const table = this.tableOf(model);
    const kept = this.masking.kept(model, properties, dependsOnData);
    const entries: [string, Sql][] = [];
    const finishers: [string, (value: unknown) => unknown][] = [];
    let paged = false;
    for (const [key, fieldNodes] of this.fieldsOf(type, nodes)) {
      const name = fieldNodes[0].name.value;
      if (name === '__typename') {
        entries.push([key, sql`${type.name}`]);
        continue;
      }
      const field = this.fieldDef(type, name);
      const role = roleOf(table, field);
      let part: Compiled;
      switch (role.kind) {
        case 'column':
          part = { sql: kept.has(name) ? columnValue(table, alias, role.path) : raw('NULL'), finish: null, paged: false };
          break;
        case 'objectList':
          part = { sql: kept.has(name) ? columnValue(table, alias, role.path) : raw('NULL'), finish: this.objectList(role.itemType, fieldNodes), paged: false };
          break;
        case 'embedded':
          part = kept.has(name) ? this.embedded(table, alias, role.property, role.type, fieldNodes) : { sql: raw('NULL'), finish: null, paged: false };
          break;
        case 'toOne':
          part = this.toOne(role.relation, table, alias, fieldNodes, joins);
          break;
        case 'toMany':
          part = this.connection(resourceModel(role.relation.target), fieldNodes, this.argumentsOf<ListArgs>(type, fieldNodes), { relation: role.relation, alias });
          break;
        case 'relatedRecord':
          part = this.relatedRecord(table, alias, fieldNodes, joins);
          break;
      }
      entries.push([key, part.sql]);
      if (part.finish) finishers.push([key, part.finish]);
      paged ||= part.paged;
    }
    const finish: Finish = finishers.length
      ? (value) => {
          const object = value as Json;
          for (const [key, f] of finishers) object[key] = f(object[key]);
          return object;
        }
      : null;
    return { sql: jsonObject(entries), finish, paged };
  }

  private embedded(table: Table, alias: string, property: string, type: GraphQLObjectType, nodes: readonly FieldNode[]): Compiled {
    const entries: [string, Sql][] = [];
    for (const [key, fieldNodes] of this.fieldsOf(type, nodes)) {
      const name = fieldNodes[0].name.value;
      entries.push([key, name === '__typename' ? sql`${type.name}` : columnValue(table, alias, `${property}.${this.fieldDef(type, name).name}`)]);
    }
    return { sql: jsonObject(entries), finish: null, paged: false };
  }

  /** The items of a JSON list column (`emails { email }`), picked in JS: the column holds them as the CRM sent them. */
  private objectList(itemType: GraphQLObjectType, nodes: readonly FieldNode[]): Finish {
    const keys = JSON_KEYS[itemType.name] ?? {};
    const picks = [...this.fieldsOf(itemType, nodes)].map(([key, fieldNodes]) => {
      const name = fieldNodes[0].name.value;
      if (name === '__typename') return { key, read: () => itemType.name };
      const leaf = getNamedType(this.fieldDef(itemType, name).type);
      if (!isLeafType(leaf)) throw notCompiled(`${itemType.name}.${name} is not a leaf`);
      const jsonKey = keys[name] ?? name;
      return { key, read: (item: Json) => (item[jsonKey] === null || item[jsonKey] === undefined ? null : leaf.serialize(item[jsonKey])) };
    });
    return (value) => {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) throw new Error(`${itemType.name} list: expected a JSON array`);
      return value.map((item: unknown) => {
        if (item === null || typeof item !== 'object') throw new Error(`${itemType.name} list: expected objects`);
        const out: Json = {};
        for (const pick of picks) out[pick.key] = pick.read(item as Json);
        return out;
      });
    };
  }

  private toOne(relation: ToOneRelation, owner: Table, ownerAlias: string, nodes: readonly FieldNode[], joins: Joins): Compiled {
    const model = resourceModel(relation.target);
    this.db.access.requireRead(model.name);
    return this.recordById(model, owner.ref(ownerAlias, relation.foreignKey), nodes, joins, TRUE);
  }

  /** The live record whose id is `id` (a column of the parent row), LEFT JOINed on its primary key (and `on`): null when there is none. */
  private recordById(model: ResourceModel, id: Sql, nodes: readonly FieldNode[], joins: Joins, on: Sql): Compiled {
    const table = this.tableOf(model);
    const alias = this.nextAlias();
    const key = table.ref(alias, 'id');
    joins.add(sql`LEFT JOIN ${table.name} ${raw(table.escape(alias))} ON ${and([on, sql`${key} = ${id}`, liveCondition(table, alias, false)])}`);
    const record = this.record(model, alias, nodes, this.rowProperties(model, [nodes]), true, joins);
    return { sql: sql`IF(${key} IS NULL, NULL, ${orMarker(record.sql)})`, finish: present(record.finish), paged: record.paged };
  }

  /**
   * `Project.relatedRecord`: the record the type column names, by a byte-exact comparison as
   * the resolver makes it in JS (the column's collation would match `Person` and `person `).
   */
  private relatedRecord(owner: Table, ownerAlias: string, nodes: readonly FieldNode[], joins: Joins): Compiled {
    const typeColumn = owner.ref(ownerAlias, RELATED_RECORD.typePath);
    const branches = RELATED_RECORD.targets.map(({ type, target }) => {
      const model = resourceModel(target);
      this.db.access.requireRead(model.name);
      return { type, compiled: this.recordById(model, owner.ref(ownerAlias, RELATED_RECORD.idPath), nodes, joins, sql`BINARY ${typeColumn} = ${type}`) };
    });
    const finishes = branches.map((b) => b.compiled.finish);
    if (finishes.every((f) => f === null)) {
      const cases = branches.map((b) => sql` WHEN BINARY ${typeColumn} = ${b.type} THEN ${b.compiled.sql}`);
      return { sql: sql`(CASE${joinSql(cases)} ELSE NULL END)`, finish: null, paged: branches.some((b) => b.compiled.paged) };
    }
    // Tagged with the branch, so that the finish of the right type runs.
    const cases = branches.map((b, i) => sql` WHEN BINARY ${typeColumn} = ${b.type} THEN JSON_ARRAY(${raw(String(i))}, ${b.compiled.sql})`);
    return {
      sql: sql`(CASE${joinSql(cases)} ELSE NULL END)`,
      finish: (value) => {
        if (value === null) return null;
        const [branch, record] = value as [number, unknown];
        const f = finishes[branch];
        return record === null || !f ? record : f(record);
      },
      paged: branches.some((b) => b.compiled.paged),
    };
  }

  /**
   * A page of a connection: a root list (`parent` null) or one parent's page of a to-many
   * relation. The SQL reads the page's rows in page order (and the one after it when
   * `hasNextPage` or `hasPreviousPage` is asked for), each row the JSON of every node
   * selection (`nodes`, each `edges { node }`) and, when a cursor is asked for, the sort-key
   * values; `totalCount` is a COUNT beside it. The page itself (which rows, which way, the
   * flags and cursors) is made in JS by the loaders' own functions.
   */
  private connection(model: ResourceModel, nodes: readonly FieldNode[], args: ListArgs, parent: { relation: ToManyRelation; alias: string } | null): Compiled;
  private connection(model: ResourceModel, nodes: readonly FieldNode[], args: ListArgs, parent: null, shape: 'array' | 'rows'): Compiled | null;
  private connection(
    model: ResourceModel,
    nodes: readonly FieldNode[],
    args: ListArgs,
    parent: { relation: ToManyRelation; alias: string } | null,
    shape: 'array' | 'rows' = 'array',
  ): Compiled | null {
    const access = this.db.access;
    access.requireRead(model.name, args.includeDeleted);
    access.requireOrder(model, args.orderBy);
    const request = pageRequestOf(model, args, this.limits);
    const table = this.tableOf(model);
    const connectionType = this.objectType(model.connectionTypeName);
    const edgeType = this.objectType(model.edgeTypeName);
    const pageInfoType = this.objectType('PageInfo');

    type Part =
      | { kind: 'nodes'; key: string; slot: number }
      | { kind: 'edges'; key: string; fields: ({ key: string; kind: 'cursor' | 'typename' } | { key: string; kind: 'node'; slot: number })[] }
      | { kind: 'pageInfo'; key: string; fields: { key: string; name: string }[] }
      | { kind: 'totalCount' | 'typename'; key: string };
    const parts: Part[] = [];
    const nodeSelections: (readonly FieldNode[])[] = [];
    let cursors = false;
    let rows = false;
    for (const [key, fieldNodes] of this.fieldsOf(connectionType, nodes)) {
      const name = fieldNodes[0].name.value;
      if (name === 'nodes') {
        parts.push({ kind: 'nodes', key, slot: nodeSelections.push(fieldNodes) - 1 });
        rows = true;
      } else if (name === 'edges') {
        const fields: Extract<Part, { kind: 'edges' }>['fields'] = [];
        for (const [edgeKey, edgeNodes] of this.fieldsOf(edgeType, fieldNodes)) {
          const edgeField = edgeNodes[0].name.value;
          if (edgeField === 'node') fields.push({ key: edgeKey, kind: 'node', slot: nodeSelections.push(edgeNodes) - 1 });
          else if (edgeField === 'cursor') {
            fields.push({ key: edgeKey, kind: 'cursor' });
            cursors = true;
          }
          else if (edgeField === '__typename') fields.push({ key: edgeKey, kind: 'typename' });
          else throw notCompiled(`${edgeType.name}.${edgeField}`);
        }
        parts.push({ kind: 'edges', key, fields });
        rows = true;
      } else if (name === 'pageInfo') {
        const fields = [...this.fieldsOf(pageInfoType, fieldNodes)].map(([infoKey, infoNodes]) => ({ key: infoKey, name: infoNodes[0].name.value }));
        if (fields.some((f) => f.name === 'startCursor' || f.name === 'endCursor')) cursors = true;
        parts.push({ kind: 'pageInfo', key, fields });
        rows = true;
      } else if (name === 'totalCount') parts.push({ kind: 'totalCount', key });
      else if (name === '__typename') parts.push({ kind: 'typename', key });
      else throw notCompiled(`${connectionType.name}.${name}`);
    }
    const counted = parts.some((p) => p.kind === 'totalCount');
    // The row after the page only tells whether there is more: read it when a flag is asked for
    // (the root's extra row is a whole record with its pages inside, 2% of the nested query).
    const flagged = parts.some((p) => p.kind === 'pageInfo' && p.fields.some((f) => f.name === 'hasNextPage' || f.name === 'hasPreviousPage'));
    const readCount = flagged || request.limit === 0 ? request.limit + 1 : request.limit;

    const alias = this.nextAlias();
    const properties = this.rowProperties(model, nodeSelections);
    const joins = new Joins();
    const records = nodeSelections.map((selection) => this.record(model, alias, selection, properties, parent !== null, joins));
    const keyValues = cursors ? request.keys.map((k) => columnValue(table, alias, k.field.path)) : [];
    const single = records.length === 1 && keyValues.length === 0;
    const element = single ? records[0].sql : records.length + keyValues.length === 0 ? raw('1') : jsonArray([...records.map((r) => r.sql), ...keyValues]);
    const paged = records.some((r) => r.paged);

    if (shape === 'rows' && (counted || !rows)) return null;
    const rowsSql = !rows ? null : shape === 'rows' ? this.rootRows(table, alias, request, args, element, joins, readCount) : this.pageRows(model, table, alias, request, args, element, joins, paged, parent, properties, readCount);
    const countSql = counted ? this.count(table, args, parent) : null;
    const sqlValue = rowsSql && countSql ? jsonArray([rowsSql, countSql]) : (rowsSql ?? countSql ?? raw('NULL'));

    const slotOf = (row: unknown, slot: number): unknown => (single ? row : (row as unknown[])[slot]);
    const finishes = records.map((r) => r.finish);
    const node = (row: unknown, slot: number): unknown => {
      const value = whole(slotOf(row, slot));
      const f = finishes[slot];
      return f ? f(value) : value;
    };
    const cursorOf = (row: unknown): string => encodeCursorValues(request.keys, (row as unknown[]).slice(records.length));

    return {
      sql: sqlValue,
      paged: true,
      finish: (value) => {
        const [fetched, count] = rowsSql && countSql ? (value as [unknown, unknown]) : rowsSql ? [value, undefined] : [undefined, value];
        // NULL instead of an array: the server could not build it (larger than max_allowed_packet); the loaders can.
        if (rowsSql && !Array.isArray(fetched)) throw notCompiled('a page came back as NULL: too large for one JSON value');
        const page = rowsSql ? pageOf(request, fetched as unknown[]) : { rows: [], more: false };
        const out: Json = {};
        for (const part of parts) {
          switch (part.kind) {
            case 'nodes':
              out[part.key] = page.rows.map((row) => node(row, part.slot));
              break;
            case 'edges':
              out[part.key] = page.rows.map((row) => {
                const edge: Json = {};
                for (const f of part.fields) edge[f.key] = f.kind === 'node' ? node(row, f.slot) : f.kind === 'cursor' ? cursorOf(row) : edgeType.name;
                return edge;
              });
              break;
            case 'pageInfo': {
              const flags = pageFlags(request, page.more);
              const info: Json = {};
              for (const f of part.fields) {
                if (f.name === 'hasNextPage') info[f.key] = flags.hasNextPage;
                else if (f.name === 'hasPreviousPage') info[f.key] = flags.hasPreviousPage;
                else if (f.name === 'startCursor') info[f.key] = page.rows.length ? cursorOf(page.rows[0]) : null;
                else if (f.name === 'endCursor') info[f.key] = page.rows.length ? cursorOf(page.rows[page.rows.length - 1]) : null;
                else info[f.key] = pageInfoType.name;
              }
              out[part.key] = info;
              break;
            }
            case 'totalCount':
              out[part.key] = Number(count);
              break;
            case 'typename':
              out[part.key] = connectionType.name;
              break;
          }
        }
        return out;
      },
    };
  }

  /** A root page as the rows of the statement (see rootConnection): `readCount` rows, the page's and perhaps one more. */
  private rootRows(table: Table, alias: string, request: PageRequest, args: ListArgs, element: Sql, joins: Joins, readCount: number): Sql {
    const order = orderByClause(table, alias, request.keys, request.backward);
    const where = and([filterCondition(this.db, table, args, alias), cursorCondition(table, request, alias)]);
    return sql`SELECT ${element} AS ${raw(table.escape(ROW))} FROM ${table.name} ${raw(table.escape(alias))}${joins.sql} WHERE ${where} ORDER BY ${order} LIMIT ${raw(String(readCount))}`;
  }

  /** `fk = parent.id`, plus the relation's scope (a polymorphic key's type). */
  private parentCondition(table: Table, alias: string, parent: { relation: ToManyRelation; alias: string }): Sql {
    const { relation } = parent;
    const parentTable = this.tableOf(resourceModel(relation.owner));
    return and([
      sql`${table.ref(alias, relation.foreignKey)} = ${parentTable.ref(parent.alias, 'id')}`,
      relation.scope ? sql`${table.ref(alias, relation.scope.path)} = ${relation.scope.value}` : TRUE,
    ]);
  }

  /** The first `readCount` rows (the page's and perhaps one more), for the parent or at the root, as a JSON array in page order. */
  private pageRows(
    model: ResourceModel,
    table: Table,
    alias: string,
    request: PageRequest,
    args: ListArgs,
    element: Sql,
    joins: Joins,
    paged: boolean,
    parent: { relation: ToManyRelation; alias: string } | null,
    properties: ReadonlySet<string>,
    readCount: number,
  ): Sql {
    const limit = readCount;
    const order = orderByClause(table, alias, request.keys, request.backward);
    const conditions = (a: string) => and([parent ? this.parentCondition(table, a, parent) : TRUE, filterCondition(this.db, table, args, a), cursorCondition(table, request, a)]);
    const name = raw(table.escape(alias));
    if (!parent) {
      // At the root the page is cut first, in a derived table, so the pages inside run for its rows only.
      const readable = [...properties].filter((p) => this.db.access.readsPersonalData || !isPersonalProperty(p));
      const columns = table.columnsFor(projection(readable), sortKeyPaths(request));
      const page = sql`SELECT ${table.selectList(alias, columns)} FROM ${table.name} ${name} WHERE ${conditions(alias)} ORDER BY ${order} LIMIT ${raw(String(limit))}`;
      return sql`(SELECT ${arrayAgg(element, order, limit)} FROM (${page}) ${name}${joins.sql})`;
    }
    if (!paged) return sql`(SELECT ${arrayAgg(element, order, limit)} FROM ${table.name} ${name}${joins.sql} WHERE ${conditions(alias)})`;
    // A correlated derived table is not allowed in MariaDB, and JSON_ARRAYAGG builds every
    // element before it applies its LIMIT: with pages inside, the page is bounded by the id of
    // its last row (the one at OFFSET readCount - 1), found by an index walk of at most readCount entries
    // ((fk, deleted_at) indexes: see crm-record.base.ts). Without pages inside, building every
    // child's element costs what the loaders' window over every child costs.
    if (request.keys.length !== 1 || !request.keys[0].field.primaryKey) throw notCompiled(`a nested page of ${model.plural} with nested pages inside, ordered by more than id`);
    const descending = request.keys[0].descending !== request.backward;
    const b = this.nextAlias();
    const bound = sql`(SELECT ${table.ref(b, 'id')} FROM ${table.name} ${raw(table.escape(b))} WHERE ${conditions(b)} ORDER BY ${orderByClause(table, b, request.keys, request.backward)} LIMIT 1 OFFSET ${raw(String(readCount - 1))})`;
    const within = sql`${table.ref(alias, 'id')} ${raw(descending ? '>=' : '<=')} COALESCE(${bound}, ${raw(descending ? MIN_ID : MAX_ID)})`;
    return sql`(SELECT ${arrayAgg(element, order, limit)} FROM ${table.name} ${name}${joins.sql} WHERE ${and([conditions(alias), within])})`;
  }

  private count(table: Table, args: ListArgs, parent: { relation: ToManyRelation; alias: string } | null): Sql {
    const alias = this.nextAlias();
    const where = and([parent ? this.parentCondition(table, alias, parent) : TRUE, filterCondition(this.db, table, args, alias)]);
    return sql`(SELECT COUNT(*) FROM ${table.name} ${raw(table.escape(alias))} WHERE ${where})`;
  }
}

/**
 * A value larger than max_allowed_packet comes back NULL, and so does every JSON value around it.
 * Where NULL means "no record" (a to-one relation, a record by id) the record is written
 * `COALESCE(record, JSON_ARRAY())`: an array where an object belongs is that NULL; in a page an
 * element is never NULL. Either makes the finish throw, and the loaders answer the request.
 */
const orMarker = (record: Sql): Sql => sql`COALESCE(${record}, JSON_ARRAY())`;

function whole(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw notCompiled('a record came back as NULL: too large for one JSON value');
  return value;
}

/** The finish of a record that may be absent (null), checked whole. */
const present = (finish: Finish): Finish => (value) => (value === null ? null : finish ? finish(whole(value)) : whole(value));

const joinSql = (parts: readonly Sql[]): Sql => parts.reduce((all, part) => sql`${all}${part}`, raw(''));
