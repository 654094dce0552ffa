import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { readSupergraphConfig, SupergraphConfigError, type SupergraphConfigDefaults } from '../../src/gateway/supergraph-config.js';

const DEFAULTS: SupergraphConfigDefaults = { selfRoutingUrl: 'http://127.0.0.1:4000/subgraph', propagateHeaders: ['Authorization'], timeoutMs: 10_000 };
const dir = mkdtempSync(join(tmpdir(), 'supergraph-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** Writes the yaml to a fresh file and returns its path. */
function yaml(text: string): string {
  const path = join(dir, `supergraph-${++count}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The problems a file is refused with (fails the test when it is accepted). */
async function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): Promise<{ path: string; problems: readonly string[]; message: string }> {
  const path = yaml(text);
  const error = await readSupergraphConfig(path, DEFAULTS, env).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SupergraphConfigError);
  const refused = error as SupergraphConfigError;
  return { path, problems: refused.problems, message: refused.message };
}

describe('a good supergraph.yaml', () => {
  it('reads each schema kind, with the defaults where an entry says nothing', async () => {
    writeFileSync(join(dir, 'invoices.graphql'), 'type Query { invoices: Int }');
    const path = yaml(`federation_version: =2.7.0
subgraphs:
  invoices:
    routing_url: http://127.0.0.1:4002/graphql
    schema: { file: ./invoices.graphql }
  crm-notes:
    routing_url: https://notes.internal/graphql
    schema:
      subgraph_url: https://notes.internal/graphql
    propagate_headers: [Authorization, X-Tenant]
    timeout_ms: 5000
  inline:
    routing_url: http://127.0.0.1:4003/graphql
    schema:
      sdl: "type Query { inline: Int }"
`);
    const config = await readSupergraphConfig(path, DEFAULTS, {});
    expect(config.path).toBe(path);
    expect(config.federationVersion).toBe('=2.7.0');
    expect(config.self).toEqual({ name: 'mirrorgraph', routingUrl: DEFAULTS.selfRoutingUrl });
    expect(config.remotes).toEqual([
      { name: 'invoices', routingUrl: 'http://127.0.0.1:4002/graphql', schema: { kind: 'file', path: join(dir, 'invoices.graphql') }, propagateHeaders: ['authorization'], timeoutMs: 10_000 },
      { name: 'crm-notes', routingUrl: 'https://notes.internal/graphql', schema: { kind: 'url', url: 'https://notes.internal/graphql', headers: {} }, propagateHeaders: ['authorization', 'x-tenant'], timeoutMs: 5000 },
      { name: 'inline', routingUrl: 'http://127.0.0.1:4003/graphql', schema: { kind: 'sdl', sdl: 'type Query { inline: Int }' }, propagateHeaders: ['authorization'], timeoutMs: 10_000 },
    ]);
    expect(config.watchedFiles).toEqual([path, join(dir, 'invoices.graphql')]);
  });

  it('takes our own name and routing URL from the mirrorgraph: true entry', async () => {
    const config = await readSupergraphConfig(yaml('subgraphs:\n  crm:\n    mirrorgraph: true\n    routing_url: https://crm.internal/subgraph\n'), DEFAULTS, {});
    expect(config.self).toEqual({ name: 'crm', routingUrl: 'https://crm.internal/subgraph' });
    expect(config.remotes).toEqual([]);
    expect(config.federationVersion).toBeUndefined();
  });

  it('accepts a file without remotes: the supergraph is ours alone', async () => {
    const config = await readSupergraphConfig(yaml('federation_version: 2\nsubgraphs:\n'), DEFAULTS, {});
    expect(config.remotes).toEqual([]);
    expect(config.federationVersion).toBe('2');
  });

  it("expands ${env.NAME} in introspection headers and URLs", async () => {
    const path = yaml(`subgraphs:
  invoices:
    routing_url: http://\${env.INVOICES_HOST}/graphql
    schema:
      subgraph_url: http://\${env.INVOICES_HOST}/graphql
      introspection_headers: { Authorization: "Bearer \${env.INVOICES_TOKEN}" }
`);
    const config = await readSupergraphConfig(path, DEFAULTS, { INVOICES_HOST: '127.0.0.1:4002', INVOICES_TOKEN: 's3cr3t-token' });
    expect(config.remotes[0].routingUrl).toBe('http://127.0.0.1:4002/graphql');
    expect(config.remotes[0].schema).toEqual({ kind: 'url', url: 'http://127.0.0.1:4002/graphql', headers: { Authorization: 'Bearer s3cr3t-token' } });
  });
});

describe('a refused supergraph.yaml', () => {
  it('is a ConfigError naming the file, the YAML path, what was expected and what arrived', async () => {
    const { path, problems } = await problemsOf('subgraphs:\n  invoices:\n    routing_url: ftp://x\n    schema: { sdl: "type Query { a: Int }" }\n');
    expect(problems).toEqual([`${path}: subgraphs.invoices.routing_url: expected an http(s) URL, got "ftp://x"`]);
    expect(new SupergraphConfigError([])).toBeInstanceOf(ConfigError);
  });

  it('routes a subgraph without routing_url to its subgraph_url, as rover does', async () => {
    const config = await readSupergraphConfig(yaml('subgraphs:\n  reviews:\n    schema:\n      subgraph_url: http://127.0.0.1:4005/graphql\n'), DEFAULTS, {});
    expect(config.remotes.map((r) => [r.name, r.routingUrl])).toEqual([['reviews', 'http://127.0.0.1:4005/graphql']]);
  });

  it('lists every problem in the file at once', async () => {
    const { problems } = await problemsOf(`federation_version: =1.1.0
subgraphs:
  "bad name":
    routing_url: http://a/graphql
  nourl:
    schema: { sdl: "type Query { a: Int }" }
  noschema:
    routing_url: http://b/graphql
  twoschemas:
    routing_url: http://c/graphql
    schema: { sdl: "type Query { a: Int }", file: ./x.graphql }
  studio:
    routing_url: http://d/graphql
    schema: { graphref: mygraph@current, subgraph: actors }
  slow:
    routing_url: http://e/graphql
    schema: { sdl: "type Query { a: Int }" }
    timeout_ms: 5
    propagate_headers: ["bad header"]
    routingurl: http://typo
  missing-file:
    routing_url: http://f/graphql
    schema: { file: ./nowhere.graphql }
`);
    const text = problems.join('\n');
    expect(text).toMatch(/federation_version: Federation 1 \("=1\.1\.0"\) is not supported/);
    expect(text).toMatch(/subgraphs\.bad name: expected a subgraph name of letters, digits, _ and -/);
    expect(text).toMatch(/subgraphs\.nourl\.routing_url: missing; a remote subgraph needs/);
    expect(text).toMatch(/subgraphs\.noschema\.schema: missing; expected one of subgraph_url, file, sdl/);
    expect(text).toMatch(/subgraphs\.twoschemas\.schema: expected exactly one of subgraph_url, file, sdl, got file and sdl/);
    expect(text).toMatch(/subgraphs\.studio\.schema\.graphref: not supported: a graph ref is resolved by Apollo GraphOS/);
    expect(text).toMatch(/subgraphs\.slow\.timeout_ms: expected an integer from 100 to 600000, got 5/);
    expect(text).toMatch(/subgraphs\.slow\.propagate_headers\[0\]: expected a header name .*, got "bad header"/);
    expect(text).toMatch(/subgraphs\.slow\.routingurl: unknown key; expected one of routing_url, schema/);
    expect(text).toMatch(/subgraphs\.missing-file\.schema\.file: expected an SDL file, got a path where there is none \(.*nowhere\.graphql\)/);
    expect(problems).toHaveLength(10);
  });

  it.each([
    ['a name used twice', 'subgraphs:\n  a:\n    mirrorgraph: true\n  a:\n    mirrorgraph: true\n', /not valid YAML at line 4: Map keys must be unique/],
    ['two mirrorgraph: true entries', 'subgraphs:\n  a:\n    mirrorgraph: true\n  b:\n    mirrorgraph: true\n', /subgraphs: at most one entry may say mirrorgraph: true, got a, b/],
    ['a remote named like our own subgraph', 'subgraphs:\n  mirrorgraph:\n    routing_url: http://a/graphql\n    schema: { sdl: "type Query { a: Int }" }\n', /subgraphs\.mirrorgraph: "mirrorgraph" is Mirrorgraph's own subgraph/],
    ['mirrorgraph: that is not a boolean', 'subgraphs:\n  me:\n    mirrorgraph: "yes"\n', /subgraphs\.me\.mirrorgraph: expected true or false, got "yes"/],
    ['a schema on our own subgraph', 'subgraphs:\n  crm:\n    mirrorgraph: true\n    schema: { sdl: "type Query { a: Int }" }\n', /subgraphs\.crm\.schema: not allowed on Mirrorgraph's own subgraph/],
    ['an unknown federation version', 'federation_version: "3"\nsubgraphs: {}\n', /federation_version: expected rover's form "=2\.x\.y", 2 or latest-2, got "3"/],
    ['federation 1 as a number', 'federation_version: 1\nsubgraphs: {}\n', /federation_version: Federation 1 \("1"\) is not supported/],
    ['an empty file', '', /\(top level\): expected a mapping with `subgraphs`, got an empty file/],
    ['no subgraphs key', 'federation_version: =2.7.0\n', /subgraphs: missing; expected a mapping of subgraph name/],
    ['subgraphs as a list', 'subgraphs: [a, b]\n', /subgraphs: expected a mapping, got a list/],
  ])('%s', async (_case, text, expected) => {
    const { path, message } = await problemsOf(text);
    expect(message).toMatch(expected);
    for (const line of message.split('\n')) expect(line.startsWith(`${path}: `)).toBe(true);
  });

  it('names the line of text that is not YAML, with a short excerpt', async () => {
    const long = 'x'.repeat(300);
    const { path, message } = await problemsOf(`subgraphs:\n  a:\n    routing_url: [unclosed ${long}\n`);
    expect(message).toMatch(new RegExp(`^${path}: not valid YAML at line \\d+: `));
    expect(message).toMatch(/near "/);
    expect(message.length).toBeLessThan(path.length + 250);
  });

  it('does not quote a broken line that looks like it holds a credential', async () => {
    const { message } = await problemsOf('subgraphs:\n  a:\n    schema:\n      introspection_headers: { Authorization: "Bearer hunter2-literal\n');
    expect(message).not.toContain('hunter2');
    expect(message).toMatch(/line not shown: it may hold a credential/);
  });

  it('names an unset variable and never prints the values of those that are set', async () => {
    const { problems, message } = await problemsOf(
      `subgraphs:
  invoices:
    routing_url: ftp://\${env.SECRET_HOST}/graphql
    schema:
      subgraph_url: http://127.0.0.1:4002/graphql
      introspection_headers:
        Authorization: "Bearer \${env.INVOICES_TOKEN}"
        X-Api-Key: 12345
  other:
    routing_url: http://127.0.0.1:4005/graphql
    schema: { sdl: "\${file.schema.graphql}" }
`,
      { SECRET_HOST: 'user:topsecret-host-value@example' },
    );
    expect(problems).toContainEqual(expect.stringMatching(/subgraphs\.invoices\.schema\.introspection_headers\.Authorization: environment variable INVOICES_TOKEN is not set$/));
    expect(problems).toContainEqual(expect.stringMatching(/subgraphs\.invoices\.schema\.introspection_headers\.X-Api-Key: expected a string value \(quote it\)$/));
    expect(problems).toContainEqual(expect.stringMatching(/subgraphs\.invoices\.routing_url: expected an http\(s\) URL, got "ftp:\/\/\$\{env\.SECRET_HOST\}\/graphql" \(before expansion\)$/));
    expect(problems).toContainEqual(expect.stringMatching(/subgraphs\.other\.schema\.sdl: expected a variable reference of the form \$\{env\.NAME\}, got "\$\{file\.schema\.graphql\}"/));
    expect(message).not.toContain('topsecret');
    expect(message).not.toContain('12345');
  });

  it('says when the file cannot be read', async () => {
    const missing = join(dir, 'absent.yaml');
    await expect(readSupergraphConfig(missing, DEFAULTS, {})).rejects.toThrow(`${missing}: cannot read the supergraph config (ENOENT)`);
  });
});
