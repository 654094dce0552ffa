import 'reflect-metadata';
import { RESOURCE_MODELS } from '../../src/schema/model/resource-models.js';
import { buildSchema, getNamedType, isInputObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildMirrorSchema } from '../../src/schema/build-schema.js';
import { JitSafety } from '../../src/server/jit-safety.js';

describe('JitSafety: which operations graphql-jit may compile', () => {
  const toy = buildSchema(`
    input Leaf { x: Int }
    input Tree { leaf: Leaf, children: [Tree!] }
    input Holder { tree: Tree }
    input PingA { b: PingB }
    input PingB { a: PingA }
    type Query { f(leaf: Leaf, tree: Tree, holder: Holder, ping: PingA, n: Int, s: [String!]): Int }
  `);

  it.each([
    ['a scalar and a list of scalars', 'query($n: Int, $s: [String!]) { f(n: $n, s: $s) }', null],
    ['an acyclic input type (its field defaults would be lost)', 'query($l: Leaf) { f(leaf: $l) }', /\$l is of the input object type Leaf/],
    ['a self-recursive input type', 'query($t: Tree) { f(tree: $t) }', /\$t is of the input object type Tree/],
    ['a type that reaches a recursive one', 'query($h: Holder) { f(holder: $h) }', /input object type Holder/],
    ['a mutually recursive pair', 'query($p: PingA) { f(ping: $p) }', /input object type PingA/],
    ['an input type in a non-null list', 'query($t: [Tree!]!) { a: f(tree: { children: $t }) }', /input object type Tree/],
    ['literals only, however deep', '{ f(tree: { children: [{ children: [{ leaf: { x: 1 } }] }] }) }', null],
  ])('%s', (_case, text, refusal) => {
    const reason = new JitSafety(toy).refusal(parse(text), undefined);
    if (refusal === null) expect(reason).toBeNull();
    else expect(reason).toMatch(refusal);
  });

  it('picks the operation by name in a document of several', () => {
    const document = parse('query A($n: Int) { f(n: $n) } query B($t: Tree) { f(tree: $t) }');
    const safety = new JitSafety(toy);
    expect(safety.refusal(document, 'A')).toBeNull();
    expect(safety.refusal(document, 'B')).toMatch(/Tree/);
  });

  it('refuses every input type of the real schema: the *Where filters and the *OrderBy lists', async () => {
    const schema = await buildMirrorSchema();
    const safety = new JitSafety(schema);
    const inputs = Object.values(schema.getTypeMap()).filter(isInputObjectType);
    const wheres = inputs.filter((t) => /Where$/.test(t.name) && Object.keys(t.getFields()).includes('AND'));
    expect(wheres.length).toBeGreaterThanOrEqual(4);
    for (const type of wheres) expect(safety.refusal(parse(`query($v: ${type.name}) { __typename }`), undefined), type.name).not.toBeNull();
    const orders = inputs.filter((t) => /OrderBy$/.test(t.name));
    expect(orders.length).toBe(RESOURCE_MODELS.length);
    for (const type of orders) expect(safety.refusal(parse(`query($v: [${type.name}!]) { __typename }`), undefined), type.name).not.toBeNull();
    expect(safety.refusal(parse('query($n: Int, $s: [ID!], $d: SortDirection) { __typename }'), undefined)).toBeNull();
    // Sanity: the filter types really are recursive (else this test would prove nothing).
    expect(getNamedType(wheres[0].getFields().AND.type).name).toBe(wheres[0].name);
  });
});
