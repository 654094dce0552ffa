import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  isInterfaceType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Operations generated from a GraphQLSchema (the running server's, read by introspection):
 * every Query root field, every argument, every input type walked recursively (nested `*Where`
 * with AND/OR/NOT, `in`/`notIn` lists, orderBy lists, enums), cursors, page sizes, extreme
 * numbers and strings, and a bounded selection of scalars, relations, totalCount and pageInfo.
 *
 * Nothing here knows the Mirrorgraph schema by name except a few argument and field names that
 * get sharper values (`first`, `after`, `where`, `in`, `AND`, `groupBy`, `representations`):
 * any field with that name, wherever it is, gets them.
 */

/** A number written into the JSON body and the query text exactly as given: `1e309` (Infinity once parsed), `-0`, `123456789012345678901234567890`. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type CursorTamper =
  | { kind: 'none' }
  | { kind: 'flip'; at: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'append'; suffix: string }
  | { kind: 'signature'; signature: unknown }
  | { kind: 'values'; value: unknown }
  | { kind: 'length'; extra: unknown[] };

/** A real cursor from an earlier response (the pool is filled at start), maybe tampered with; resolved when rendered. */
export class CursorRef {
  constructor(
    readonly index: number,
    readonly tamper: CursorTamper,
  ) {}
}

export interface FieldCall {
  alias?: string;
  name: string;
  args: { name: string; type: GraphQLInputType; value: unknown }[];
  selection?: Selection;
}

export interface Selection {
  fields: FieldCall[];
  fragments: { on: string; selection: Selection }[];
}

export type RenderMode = 'variables' | 'literals';

export interface RenderedOperation {
  mode: RenderMode;
  query: string;
  /** The `variables` object as JSON text (may carry raw number tokens such as 1e309). */
  variablesJson: string;
  /** The whole request body. */
  body: string;
}

let cursorPool: readonly string[] = [];
/** Real cursors harvested from the server before the run; `CursorRef`s index into them. */
export function setCursorPool(cursors: readonly string[]): void {
  cursorPool = [...cursors];
}

const MAX_SHOWN = 3_000;
export const truncate = (text: string, max = MAX_SHOWN): string =>
  text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters, ${text.length} in all]`;

/** One generated operation; prints itself readably in fast-check's counterexample report. */
export class GeneratedOperation {
  constructor(
    readonly roots: FieldCall[],
    readonly mode: RenderMode,
  ) {}

  render(): RenderedOperation {
    return renderOperation(this.roots, this.mode);
  }

  /** What tells failures apart beyond their message: literal or variables, input objects among the variables, nesting. */
  traits(): { mode: RenderMode; inputObjectVariables: boolean; nesting: number; bytes: number } {
    const r = this.render();
    let inputObjectVariables = false;
    let nesting = 0;
    const visit = (calls: readonly FieldCall[]) => {
      for (const c of calls) {
        for (const a of c.args) {
          if (isInputObjectType(getNamedType(a.type))) inputObjectVariables ||= r.mode === 'variables';
          nesting = Math.max(nesting, depthOf(a.value));
        }
        if (c.selection) {
          visit(c.selection.fields);
          c.selection.fragments.forEach((f) => visit(f.selection.fields));
        }
      }
    };
    visit(this.roots);
    return { mode: r.mode, inputObjectVariables, nesting, bytes: r.body.length };
  }

  [fc.toStringMethod](): string {
    const r = this.render();
    const t = this.traits();
    return `\n  mode: ${r.mode} (body ${t.bytes} bytes, values nested ${t.nesting} levels)\n  query: ${truncate(r.query)}\n  variables: ${truncate(r.variablesJson)}\n`;
  }

  toString(): string {
    return this[fc.toStringMethod]();
  }
}

/** Levels of objects and lists in a value, counted without recursion. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object' || v instanceof RawNumber || v instanceof CursorRef) continue;
    max = Math.max(max, d + 1);
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

// ---------------------------------------------------------------------------------------------
// Values

const BIG_ID = '9007199254740993';
const KNOWN_IDS = ['1', '2', '3', '4', '6', '7', BIG_ID, '101', '102', '114', '201', '202', '301', '999', '9999'];
const TEN_KB = 'a'.repeat(10_240);

export const EXTREME_STRINGS: readonly string[] = [
  '',
  ' ',
  '%',
  '_',
  '%_%',
  '\\',
  '\\%',
  '\\_',
  '\\\\',
  '"',
  "'",
  "''",
  '`',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\uDE00x',
  '😀',
  '👍🏽',
  '👨‍👩‍👧',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u202E',
  '\uFEFF',
  'ǅ',
  'İ',
  'ß',
  'Ann',
  'Acme',
  'Umbrella 100%_off',
  "O'Brien; DROP TABLE people; --",
  "' OR 1=1 --",
  '\n\r\t',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  'null',
  'undefined',
  '0x10',
  TEN_KB,
  '😀'.repeat(2_560),
  '%'.repeat(5_000),
  '\\'.repeat(4_001),
];

const stringArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...EXTREME_STRINGS), weight: 4 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 1 },
);

/**
 * Scalar values in two pools: `valid` values coerce to the type (extremes included: 10 KB
 * strings, lone surrogates, 1e308, -0, 2^31-1, ids past 2^64, and 1e309 as a literal, which
 * the Float scalar accepts as Infinity), `hostile` ones should not (they must be refused as
 * client errors, never reach SQL).
 */
interface Pool {
  valid: fc.Arbitrary<unknown>;
  hostile: fc.Arbitrary<unknown>;
}
const pick = (pool: Pool, hostile: boolean, validWeight = 4): fc.Arbitrary<unknown> =>
  hostile ? fc.oneof({ arbitrary: pool.valid, weight: validWeight }, { arbitrary: pool.hostile, weight: 1 }) : pool.valid;

const ID: Pool = {
  valid: fc.oneof(
    { arbitrary: fc.constantFrom(...KNOWN_IDS), weight: 6 },
    {
      arbitrary: fc.constantFrom<unknown>('0', '-1', '18446744073709551615', '18446744073709551616', '9'.repeat(100), '1e309', '1.5', ' 1', '01', '', 'abc', '😀', '\u0000', TEN_KB, 1, 0, -1, 2_147_483_648, new RawNumber('9007199254740993'), new RawNumber('1e308'), new RawNumber('-0')),
      weight: 3,
    },
    { arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String), weight: 1 },
    { arbitrary: stringArb, weight: 1 },
  ),
  hostile: fc.constantFrom<unknown>(1.5, new RawNumber('1e309'), true, {}, []),
};

const INT: Pool = {
  valid: fc.oneof(
    { arbitrary: fc.integer({ min: -3, max: 10 }), weight: 4 },
    { arbitrary: fc.constantFrom<unknown>(0, 1, -1, 2_147_483_647, -2_147_483_648, new RawNumber('-0'), new RawNumber('5e2'), new RawNumber('1.0')), weight: 2 },
    { arbitrary: fc.integer(), weight: 1 },
  ),
  hostile: fc.constantFrom<unknown>(2_147_483_648, -2_147_483_649, new RawNumber('1e309'), new RawNumber('1e308'), new RawNumber('123456789012345678901234567890'), 1.5, '1', 'NaN'),
};

const PAGE_SIZE: Pool = {
  valid: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 12 }), weight: 8 },
    { arbitrary: fc.constantFrom<unknown>(0, -1, -2_147_483_648, 499, 500, 501, 1_000, 10_000, 2_147_483_647, new RawNumber('-0'), new RawNumber('5e2')), weight: 3 },
  ),
  hostile: INT.hostile,
};

const FLOAT: Pool = {
  valid: fc.oneof(
    {
      arbitrary: fc.constantFrom<unknown>(0, 1, -1, 0.1, 1000, 1250.5, 5e-324, -5e-324, 1e308, -1e308, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, new RawNumber('-0'), new RawNumber('1e-400'), new RawNumber('9007199254740993'), new RawNumber('123456789012345678901234567890')),
      weight: 4,
    },
    // 1e309 and -1e309: Infinity once parsed, from the JSON body as from the query text.
    { arbitrary: fc.constantFrom(new RawNumber('1e309'), new RawNumber('-1e309')), weight: 2 },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 10_000 }), weight: 1 },
  ),
  hostile: fc.constantFrom<unknown>('NaN', 'Infinity', '1e309', '1.5', true, {}),
};

const DATE_TIME: Pool = {
  valid: fc.oneof(
    {
      arbitrary: fc.constantFrom<unknown>('2025-01-01T00:00:00Z', '2025-01-01T00:16:40.000Z', '2025-01-01T00:33:20Z', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2025-01-01T00:00:00+14:00', '2025-01-01T00:00:00.123456789Z'),
      weight: 3,
    },
    { arbitrary: fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()), weight: 1 },
  ),
  hostile: fc.constantFrom<unknown>('0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', '2025-02-30T00:00:00Z', '2025-01-01T25:00:00Z', '2025-01-01', 'not a date', '', 0, new RawNumber('1e309')),
};

const LOCAL_DATE: Pool = {
  valid: fc.constantFrom<unknown>('2026-01-10', '2026-03-12', '0001-01-01', '9999-12-31', '2026-02-28'),
  hostile: fc.constantFrom<unknown>('0000-00-00', '2026-02-30', '2026-13-01', '26-01-01', '+12026-01-01', '', 'x', 20260110),
};

const STRING: Pool = { valid: stringArb, hostile: fc.constantFrom<unknown>(1, 1.5, true, {}, [], new RawNumber('1e309')) };
const BOOLEAN: Pool = { valid: fc.boolean(), hostile: fc.constantFrom<unknown>('true', 1, 0, {}) };

const ENTITY_TYPENAMES = ['Company', 'Person', 'Opportunity', 'Project'];

/** `_Any` takes anything, so every representation is type-valid; the odd ones must still be refused as client errors. */
const REPRESENTATION: Pool = {
  valid: fc.oneof(
    { arbitrary: fc.record({ __typename: fc.constantFrom(...ENTITY_TYPENAMES), id: ID.valid }), weight: 8 },
    {
      arbitrary: fc.constantFrom<unknown>(
        null,
        1,
        'Company',
        [],
        {},
        { __typename: 'Company' },
        { __typename: 'Nope', id: '1' },
        { __typename: 'SyncRun', id: '1' },
        { __typename: '', id: '1' },
        { __typename: 'Company', id: { nested: ['1'] } },
        { __typename: 'Company', id: null },
        { __typename: 'Company', id: '1', extra: TEN_KB },
        { __typename: ['Company'], id: '1' },
      ),
      weight: 2,
    },
  ),
  hostile: fc.constantFrom<unknown>(null),
};

/** Now and then a bulk of one repeated item: lists of hundreds to thousands. */
const bulk = <T>(item: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> =>
  fc.tuple(item, fc.integer({ min, max })).map(([x, n]) => Array.from({ length: n }, () => x));

/** `n` distinct small integers (as IDs they are numbers in JSON, the shortest form), for `in` lists. */
const sequence = (min: number, max: number): fc.Arbitrary<unknown[]> => fc.integer({ min, max }).map((n) => Array.from({ length: n }, (_, i) => i + 1));

// ---------------------------------------------------------------------------------------------
// The generator

export interface GeneratorOptions {
  /** Levels of nested input objects (a `*Where` inside a `*Where` is one more). */
  maxInputDepth?: number;
  /** Levels of nested object selections below a root field. */
  maxSelectionDepth?: number;
  /** Share of operations rendered with literals instead of variables (0..1). */
  literalShare?: number;
  /**
   * Mix in values that do not fit their type (out-of-range Int, non-finite strings for Float,
   * null where null is not allowed, unknown enum values, junk): the operation is then refused,
   * and refused operations never reach the compiled path. Off: every value coerces.
   */
  hostile?: boolean;
}

/**
 * Operations from the schema: three in five with values that all coerce (so that both the
 * interpreted and the compiled path run them to the end), two in five with some that do not.
 */
export function operationArbitrary(schema: GraphQLSchema, options: Omit<GeneratorOptions, 'hostile'> = {}): fc.Arbitrary<GeneratedOperation> {
  return fc.oneof(
    { arbitrary: new OperationGenerator(schema, { ...options, hostile: false }).operation(), weight: 3 },
    { arbitrary: new OperationGenerator(schema, { ...options, hostile: true }).operation(), weight: 2 },
  );
}

type Key = string;

export class OperationGenerator {
  private readonly inputs = new Map<Key, fc.Arbitrary<unknown>>();
  private readonly selections = new Map<Key, fc.Arbitrary<Selection>>();
  private readonly maxInputDepth: number;
  private readonly maxSelectionDepth: number;
  private readonly literalShare: number;
  private readonly hostile: boolean;
  readonly rootFields: readonly GraphQLField<unknown, unknown>[];

  constructor(
    private readonly schema: GraphQLSchema,
    options: GeneratorOptions = {},
  ) {
    this.maxInputDepth = options.maxInputDepth ?? 3;
    this.maxSelectionDepth = options.maxSelectionDepth ?? 4;
    this.literalShare = options.literalShare ?? 0.25;
    this.hostile = options.hostile ?? false;
    const query = schema.getQueryType();
    if (!query) throw new Error('the schema has no Query type');
    this.rootFields = Object.values(query.getFields());
  }

  /** Every input type reachable from the Query root fields' arguments (for a coverage check). */
  reachableInputTypes(): string[] {
    const seen = new Set<string>();
    const visit = (type: GraphQLNamedType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) visit(getNamedType(f.type));
    };
    const visitOutput = (type: GraphQLNamedType, depth: number, done: Set<string>) => {
      if (done.has(type.name) || depth > this.maxSelectionDepth) return;
      done.add(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const f of Object.values(type.getFields())) {
          f.args.forEach((a) => visit(getNamedType(a.type)));
          visitOutput(getNamedType(f.type), depth + 1, done);
        }
      } else if (isUnionType(type)) for (const t of type.getTypes()) visitOutput(t, depth + 1, done);
    };
    for (const f of this.rootFields) {
      f.args.forEach((a) => visit(getNamedType(a.type)));
      visitOutput(getNamedType(f.type), 1, new Set());
    }
    return [...seen].filter((name) => !name.startsWith('__')).sort();
  }

  /** One or two root fields (aliased), rendered with variables or, for a share, with literals. */
  operation(): fc.Arbitrary<GeneratedOperation> {
    const root = fc.oneof(...this.rootFields.map((f) => this.fieldCall(f, 1)));
    const literals = Math.round(this.literalShare * 100);
    const mode = fc.oneof({ arbitrary: fc.constant<RenderMode>('variables'), weight: 100 - literals }, { arbitrary: fc.constant<RenderMode>('literals'), weight: literals });
    return fc
      .tuple(fc.array(root, { minLength: 1, maxLength: 2 }), mode)
      .map(([roots, m]) => new GeneratedOperation(roots.map((r, i) => (roots.length > 1 ? { ...r, alias: `r${i}` } : r)), m));
  }

  /** A call of one field: its arguments (required ones always) and, for object types, a selection. */
  fieldCall(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<FieldCall> {
    const args = fc.tuple(...field.args.map((a) => this.argument(a))).map((values) =>
      values.flatMap((value, i) => (value === undefined ? [] : [{ name: field.args[i].name, type: field.args[i].type, value }])),
    );
    const named = getNamedType(field.type);
    if (isLeafType(named)) return args.map((a) => ({ name: field.name, args: a }));
    return fc.tuple(args, this.selection(named, depth)).map(([a, selection]) => ({ name: field.name, args: a, selection }));
  }

  private argument(arg: GraphQLArgument): fc.Arbitrary<unknown> {
    const value = this.input(arg.type, arg.name, 0);
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required) return value;
    return optional(value, arg.name === 'first' || arg.name === 'where' ? 2 : 3);
  }

  /** A value of an input type; `name` is the argument or input field it is for. */
  input(type: GraphQLInputType, name: string, depth: number): fc.Arbitrary<unknown> {
    const key = `${String(type)}|${name}|${depth}`;
    let arb = this.inputs.get(key);
    if (!arb) {
      arb = this.buildInput(type, name, depth);
      this.inputs.set(key, arb);
    }
    return arb;
  }

  private buildInput(type: GraphQLInputType, name: string, depth: number): fc.Arbitrary<unknown> {
    const inner = getNullableType(type) as GraphQLInputType;
    const nullable = !isNonNullType(type);
    let arb: fc.Arbitrary<unknown>;
    if (isListType(inner)) {
      const item = this.input(inner.ofType as GraphQLInputType, name, depth);
      const itemNamed = getNamedType(inner.ofType as GraphQLInputType);
      if (name === 'in' || name === 'notIn') {
        arb = fc.oneof(
          { arbitrary: fc.array(item, { maxLength: 5 }), weight: 12 },
          { arbitrary: bulk(item, 999, 1_001), weight: 1 },
          { arbitrary: sequence(1_000, 5_000), weight: 1 },
        );
      } else if (name === 'AND' || name === 'OR') {
        arb = fc.oneof({ arbitrary: fc.array(item, { maxLength: 3 }), weight: 12 }, { arbitrary: bulk(item, 20, 300), weight: 1 });
      } else if (name === 'representations') {
        arb = fc.oneof(
          { arbitrary: fc.array(item, { maxLength: 8 }), weight: 10 },
          { arbitrary: bulk(fc.record({ __typename: fc.constantFrom(...ENTITY_TYPENAMES), id: fc.constantFrom(...KNOWN_IDS) }), 100, 3_000), weight: 1 },
        );
      } else if (isEnumType(itemNamed)) {
        // groupBy and the like: duplicates, all values, none.
        const all = itemNamed.getValues().map((v) => v.name);
        arb = fc.oneof({ arbitrary: fc.array(item, { maxLength: 4 }), weight: 6 }, { arbitrary: fc.constant(all), weight: 1 }, { arbitrary: bulk(item, 20, 200), weight: 1 });
      } else {
        arb = fc.oneof({ arbitrary: fc.array(item, { maxLength: 4 }), weight: 10 }, { arbitrary: bulk(item, 20, 60), weight: 1 });
      }
      // Input coercion takes a single item for a list too.
      arb = fc.oneof({ arbitrary: arb, weight: 20 }, { arbitrary: item, weight: 1 });
    } else if (isInputObjectType(inner)) {
      arb = this.inputObject(inner, depth);
      if (name === 'where' && depth === 0 && isRecursive(inner)) arb = fc.oneof({ arbitrary: arb, weight: 12 }, { arbitrary: this.hostileWhere(inner), weight: 3 });
    } else if (isEnumType(inner)) {
      const values = inner.getValues().map((v) => v.name);
      arb = pick({ valid: fc.constantFrom(...values), hostile: fc.constantFrom<unknown>('NOPE', values[0].toLowerCase(), '', 0) }, this.hostile, 20);
    } else if (isScalarType(inner)) {
      arb = this.scalar(inner.name, name);
    } else {
      throw new Error(`unexpected input type ${String(inner)}`);
    }
    // An explicit null for a nullable type (hostile: now and then where null is not allowed).
    if (!nullable && !this.hostile) return arb;
    return fc.oneof({ arbitrary: arb, weight: 100 }, { arbitrary: fc.constant(null), weight: nullable ? 8 : 1 });
  }

  private scalar(typeName: string, name: string): fc.Arbitrary<unknown> {
    const h = this.hostile;
    if (name === 'first' || name === 'last') return pick(PAGE_SIZE, h);
    if (name === 'after' || name === 'before') return pick({ valid: cursorArb, hostile: STRING.hostile }, h);
    switch (typeName) {
      case 'Int':
        return pick(INT, h);
      case 'Float':
        return pick(FLOAT, h);
      case 'String':
        return pick(STRING, h, 20);
      case 'ID':
        return pick(ID, h, 20);
      case 'Boolean':
        return pick(BOOLEAN, h, 20);
      case 'DateTimeISO':
        return pick(DATE_TIME, h);
      case 'LocalDate':
        return pick(LOCAL_DATE, h);
      case '_Any':
        return pick(REPRESENTATION, h, 20);
      default:
        // JSON and any scalar added later: something JSON-ish.
        return fc.oneof(stringArb, FLOAT.valid, fc.jsonValue({ maxDepth: 2 }));
    }
  }

  private inputObject(type: GraphQLInputObjectType, depth: number): fc.Arbitrary<unknown> {
    const fields = Object.values(type.getFields()).filter((f) => {
      const named = getNamedType(f.type);
      // Deep enough: only fields of leaf types and of input objects without further input objects.
      return depth < this.maxInputDepth || !isInputObjectType(named) || isFlat(named);
    });
    // About two optional fields set, whatever their number, and every input type among the fields
    // as likely as any other: the one FloatFilter of a filter with eight IdFilters is not drowned.
    const isRequired = (f: (typeof fields)[number]) => isNonNullType(f.type) && f.defaultValue === undefined;
    const groups = new Map<string, number>();
    for (const f of fields) if (!isRequired(f)) groups.set(String(f.type), (groups.get(String(f.type)) ?? 0) + 1);
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) {
      const value = this.input(f.type, f.name, depth + 1);
      const presence = Math.min(1, 2 / (groups.size * (groups.get(String(f.type)) ?? 1)));
      // Absent at least half the time: a field with a default (orderBy's direction) must be left out too.
      model[f.name] = isRequired(f) ? value : optional(value, Math.max(1, Math.round(1 / presence - 1)));
    }
    return fc.record(model).map(stripUndefined);
  }

  /** What the literal form refuses but variables may carry: 5,000-deep nesting, OR of many huge `in` lists. */
  private hostileWhere(type: GraphQLInputObjectType): fc.Arbitrary<unknown> {
    const leaf = this.inputObject(type, this.maxInputDepth);
    const listFilters = Object.values(type.getFields()).filter((f) => {
      const named = getNamedType(f.type);
      return isInputObjectType(named) && 'in' in named.getFields() && getNamedType(named.getFields().in.type).name !== 'DateTimeISO';
    });
    const deep = fc
      .tuple(leaf, fc.oneof(fc.integer({ min: 11, max: 100 }), fc.integer({ min: 100, max: 6_000 })), fc.constantFrom('AND', 'OR', 'NOT'))
      .map(([inner, levels, op]) => {
        let value: unknown = inner;
        for (let i = 0; i < levels; i++) value = op === 'NOT' ? { NOT: value } : { [op]: [value] };
        return value;
      });
    const manyLists = fc
      .tuple(fc.constantFrom(...listFilters.map((f) => f.name)), fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 60, max: 480 })), fc.integer({ min: 100, max: 1_000 }), fc.constantFrom('in', 'notIn'))
      .map(([field, branches, size, op]) => {
        // One-digit values keep 200,000 of them under the 1 MB body limit.
        const list = Array.from({ length: size }, (_, i) => (i % 9) + 1);
        return { OR: Array.from({ length: branches }, () => ({ [field]: { [op]: list } })) };
      });
    return fc.oneof(deep, manyLists);
  }

  private selection(type: GraphQLNamedType, depth: number): fc.Arbitrary<Selection> {
    const key = `${type.name}|${depth}`;
    let arb = this.selections.get(key);
    if (!arb) {
      arb = this.buildSelection(type, depth);
      this.selections.set(key, arb);
    }
    return arb;
  }

  private buildSelection(type: GraphQLNamedType, depth: number): fc.Arbitrary<Selection> {
    if (isUnionType(type)) {
      const members = [...type.getTypes()];
      return fc
        .tuple(fc.subarray(members, { minLength: 1, maxLength: 3 }), fc.tuple(...members.map((m) => this.selection(m, depth + 1))))
        .map(([chosen, selections]) => ({
          fields: [{ name: '__typename', args: [] }],
          fragments: chosen.map((m) => ({ on: m.name, selection: selections[members.indexOf(m)] })),
        }));
    }
    if (!isObjectType(type) && !isInterfaceType(type)) throw new Error(`cannot select on ${type.name}`);
    const all = Object.values((type as GraphQLObjectType).getFields());
    // Fields a selection can always take: leaves with no required argument.
    const leaves = all.filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined));
    const objects = all.filter((f) => !isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined));
    const leafCalls = fc.subarray(leaves, { minLength: leaves.length ? 1 : 0, maxLength: Math.min(4, leaves.length) }).map((fs) => fs.map((f): FieldCall => ({ name: f.name, args: [] })));
    // Leaves with arguments (none today) get theirs generated like any other field.
    if (depth >= this.maxSelectionDepth || objects.length === 0) {
      return leafCalls.map((fields) => ({ fields: fields.length ? fields : [{ name: '__typename', args: [] }], fragments: [] }));
    }
    const objectCalls = fc.oneof(...objects.map((f) => this.fieldCall(f, depth + 1)));
    const maxObjects = depth <= 2 ? 2 : 1;
    return fc.tuple(leafCalls, fc.array(objectCalls, { maxLength: maxObjects })).map(([ls, os]) => {
      const seen = new Set<string>();
      // The same field twice with other arguments would not validate: keep the first.
      const unique = os.filter((o) => (seen.has(o.name) ? false : (seen.add(o.name), true)));
      const fields = [...ls, ...unique];
      return { fields: fields.length ? fields : [{ name: '__typename', args: [] }], fragments: [] };
    });
  }
}

/** Absent `absentWeight` times in `absentWeight + 1` (the value carries its own share of explicit nulls); shrinks to absent. */
function optional(value: fc.Arbitrary<unknown>, absentWeight: number): fc.Arbitrary<unknown> {
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: absentWeight }, { arbitrary: value, weight: 1 });
}

function stripUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function isFlat(type: GraphQLInputObjectType): boolean {
  return Object.values(type.getFields()).every((f) => !isInputObjectType(getNamedType(f.type)));
}

function isRecursive(type: GraphQLInputObjectType): boolean {
  return Object.values(type.getFields()).some((f) => getNamedType(f.type).name === type.name);
}

const cursorTamperArb: fc.Arbitrary<CursorTamper> = fc.oneof(
  { arbitrary: fc.constant<CursorTamper>({ kind: 'none' }), weight: 6 },
  { arbitrary: fc.nat(200).map((at): CursorTamper => ({ kind: 'flip', at })), weight: 1 },
  { arbitrary: fc.nat(60).map((keep): CursorTamper => ({ kind: 'truncate', keep })), weight: 1 },
  { arbitrary: fc.constantFrom('=', '==', '%', '.', 'A', '\u0000', '😀', TEN_KB).map((suffix): CursorTamper => ({ kind: 'append', suffix })), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>('', 'x', 1, null, [], 'a'.repeat(5_000)).map((signature): CursorTamper => ({ kind: 'signature', signature })), weight: 1 },
  {
    arbitrary: fc
      .constantFrom<unknown>(null, '', 'x', TEN_KB, 1e308, -1e308, 5e-324, 0, -1, 1.5, '9'.repeat(40), '-1', '1e309', true, [], {}, [1, [2]], { a: 'b' }, '2025-02-30T00:00:00Z', '0000-00-00', '\u0000', '\uD800')
      .map((value): CursorTamper => ({ kind: 'values', value })),
    weight: 3,
  },
  { arbitrary: fc.constantFrom<unknown[]>([null], ['1'], [1e308, 'x']).map((extra): CursorTamper => ({ kind: 'length', extra })), weight: 1 },
);

const forgedCursorArb: fc.Arbitrary<string> = fc
  .constantFrom<unknown>([], [''], ['x', '1'], ['id:ASC', '1'], [null, null], [1e308], 'x', 1, null, { a: 1 }, [['nested']], ['id', '1'.repeat(10_000)])
  .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url'));

const cursorArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.tuple(fc.nat(10_000), cursorTamperArb).map(([i, t]) => new CursorRef(i, t)), weight: 5 },
  { arbitrary: stringArb, weight: 2 },
  { arbitrary: forgedCursorArb, weight: 1 },
  { arbitrary: fc.base64String({ maxLength: 40 }), weight: 1 },
);

function resolveCursor(ref: CursorRef): string {
  const real = cursorPool.length ? cursorPool[ref.index % cursorPool.length] : 'WyJub25lIiwiMSJd';
  const t = ref.tamper;
  switch (t.kind) {
    case 'none':
      return real;
    case 'flip': {
      const at = t.at % real.length;
      const c = real[at] === 'A' ? 'B' : 'A';
      return real.slice(0, at) + c + real.slice(at + 1);
    }
    case 'truncate':
      return real.slice(0, t.keep % (real.length + 1));
    case 'append':
      return real + t.suffix;
    default: {
      let decoded: unknown[];
      try {
        decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as unknown[];
        if (!Array.isArray(decoded)) return real;
      } catch {
        return real;
      }
      if (t.kind === 'signature') decoded[0] = t.signature;
      else if (t.kind === 'values') decoded = [decoded[0], ...decoded.slice(1).map(() => t.value)];
      else decoded = [...decoded, ...t.extra];
      return Buffer.from(JSON.stringify(decoded)).toString('base64url');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/**
 * JSON text of a value, RawNumbers as raw number tokens and CursorRefs as their cursors.
 * Iterative: JSON.stringify overflows the stack on the thousands of levels a hostile `where` has.
 */
export function toJsonText(value: unknown): string {
  const out: string[] = [];
  const stack: ({ text: string } | { value: unknown })[] = [{ value }];
  while (stack.length) {
    const frame = stack.pop()!;
    if ('text' in frame) {
      out.push(frame.text);
      continue;
    }
    const v = frame.value;
    if (v instanceof RawNumber) out.push(v.text);
    else if (v instanceof CursorRef) out.push(JSON.stringify(resolveCursor(v)));
    else if (v === null || v === undefined || typeof v !== 'object') out.push(JSON.stringify(v) ?? 'null');
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i] });
        if (i > 0) stack.push({ text: ',' });
      }
    } else {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      out.push('{');
      stack.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i][1] });
        stack.push({ text: `${JSON.stringify(entries[i][0])}:` });
        if (i > 0) stack.push({ text: ',' });
      }
    }
  }
  return out.join('');
}

const isName = (s: string) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(s);

/** A GraphQL literal of `value` for `type` (enum values bare, everything else by its JS shape). */
export function toLiteral(value: unknown, type: GraphQLInputType | undefined): string {
  const inner = type ? (getNullableType(type) as GraphQLInputType) : undefined;
  if (value === null || value === undefined) return 'null';
  if (value instanceof RawNumber) return value.text;
  if (value instanceof CursorRef) return JSON.stringify(resolveCursor(value));
  if (Array.isArray(value)) {
    const itemType = inner && isListType(inner) ? (inner.ofType as GraphQLInputType) : undefined;
    return `[${value.map((v) => toLiteral(v, itemType)).join(', ')}]`;
  }
  if (inner && isListType(inner)) return toLiteral(value, inner.ofType as GraphQLInputType);
  if (typeof value === 'string') return inner && isEnumType(inner) && isName(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => isName(k));
    return `{${entries.map(([k, v]) => `${k}: ${toLiteral(v, fields[k]?.type)}`).join(', ')}}`;
  }
  return JSON.stringify(String(value));
}

export function renderOperation(roots: readonly FieldCall[], mode: RenderMode): RenderedOperation {
  if (mode === 'literals') {
    try {
      return render(roots, 'literals');
    } catch (error) {
      // Thousands of levels of nesting: too deep to print recursively; variables carry it.
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return render(roots, 'variables');
}

function render(roots: readonly FieldCall[], mode: RenderMode): RenderedOperation {
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  const field = (call: FieldCall): string => {
    const args = call.args.map((a) => {
      if (mode === 'literals') return `${a.name}: ${toLiteral(a.value, a.type)}`;
      const name = `v${declarations.length}`;
      declarations.push(`$${name}: ${String(a.type)}`);
      variables[name] = a.value;
      return `${a.name}: $${name}`;
    });
    const head = `${call.alias ? `${call.alias}: ` : ''}${call.name}${args.length ? `(${args.join(', ')})` : ''}`;
    return call.selection ? `${head} ${selection(call.selection)}` : head;
  };
  const selection = (s: Selection): string =>
    `{ ${[...s.fields.map(field), ...s.fragments.map((f) => `... on ${f.on} ${selection(f.selection)}`)].join(' ')} }`;
  const body = roots.map(field).join(' ');
  const query = declarations.length ? `query Fuzz(${declarations.join(', ')}) { ${body} }` : `query Fuzz { ${body} }`;
  const variablesJson = toJsonText(variables);
  return { mode, query, variablesJson, body: `{"query":${JSON.stringify(query)},"operationName":"Fuzz","variables":${variablesJson}}` };
}
