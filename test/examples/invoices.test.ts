import { composeServices } from '@apollo/composition';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { Agent, request, type Dispatcher } from 'undici';
import { startInvoicesSubgraph, type InvoicesSubgraph } from '../../examples/invoices/server.js';
import { spawnExampleSubgraph } from '../../src/demo/example-subgraph.js';

const BIG_ID = '9007199254740993'; // 2^53 + 1: Number() would turn it into ...992

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

async function graphql(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; headers?: Record<string, string>; dispatcher?: Dispatcher } = {},
): Promise<GraphQLResponse> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
    dispatcher: options.dispatcher,
  });
  return (await response.body.json()) as GraphQLResponse;
}

const INVOICE_FIELDS = 'id number status issuedOn dueOn amount { cents currency } company { id }';

interface InvoiceJson {
  id: string;
  status: string;
  issuedOn: string;
  dueOn: string;
  amount: { cents: number; currency: string };
  company: { id: string };
}

describe('invoices subgraph, in-process', () => {
  let subgraph: InvoicesSubgraph;

  beforeAll(async () => {
    subgraph = await startInvoicesSubgraph();
  });

  afterAll(async () => {
    await subgraph?.close();
  });

  it('listens on loopback at /graphql', () => {
    expect(subgraph.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it('gives each company the same 0 to 5 invoices on every call, each resolvable by its id', async () => {
    const companyIds = Array.from({ length: 12 }, (_, i) => String(i + 1)).concat(BIG_ID);
    let seen = 0;
    for (const companyId of companyIds) {
      const query = `query($c: ID!) { invoices(companyId: $c) { ${INVOICE_FIELDS} } }`;
      const first = await graphql(subgraph.url, query, { variables: { c: companyId } });
      const again = await graphql(subgraph.url, query, { variables: { c: companyId } });
      expect(first.errors).toBeUndefined();
      expect(again).toEqual(first);
      const invoices = first.data!.invoices as InvoiceJson[];
      expect(invoices.length).toBeLessThanOrEqual(5);
      for (const [index, invoice] of invoices.entries()) {
        expect(invoice.id).toBe(`INV-${companyId}-${index + 1}`);
        expect(invoice.company.id).toBe(companyId);
        expect(invoice.issuedOn.startsWith('2026-')).toBe(true);
        expect(invoice.dueOn.startsWith('2026-')).toBe(true);
        expect(invoice.dueOn > invoice.issuedOn).toBe(true);
        const byId = await graphql(subgraph.url, `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} } }`, {
          variables: { id: invoice.id },
        });
        expect(byId.data!.invoice).toEqual(invoice);
        seen++;
      }
    }
    // The hash spreads 13 companies over 0..5 invoices each: some must have invoices.
    expect(seen).toBeGreaterThan(0);
  });

  it('returns null for an invoice id that names no invoice', async () => {
    const result = await graphql(
      subgraph.url,
      '{ a: invoice(id: "INV-1-99") { id } b: invoice(id: "nonsense") { id } c: invoice(id: "INV--1") { id } }',
    );
    expect(result).toEqual({ data: { a: null, b: null, c: null } });
  });

  it('filters a company\'s invoices by status and owes exactly its SENT and OVERDUE ones', async () => {
    for (const companyId of ['1', '2', '3', '4', '5', BIG_ID]) {
      const result = await graphql(
        subgraph.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Company {
          invoices { status amount { cents currency } } sent: invoices(status: SENT) { status }
          outstanding { cents currency } } } }`,
        { variables: { r: [{ __typename: 'Company', id: companyId }] } },
      );
      const [company] = result.data!._entities as {
        invoices: { status: string; amount: { cents: number; currency: string } }[];
        sent: { status: string }[];
        outstanding: { cents: number; currency: string };
      }[];
      const owed = company.invoices.filter((invoice) => invoice.status === 'SENT' || invoice.status === 'OVERDUE');
      expect(company.outstanding.cents).toBe(owed.reduce((sum, invoice) => sum + invoice.amount.cents, 0));
      expect(company.sent).toEqual(company.invoices.filter((invoice) => invoice.status === 'SENT').map(({ status }) => ({ status })));
      for (const invoice of company.invoices) expect(invoice.amount.currency).toBe(company.outstanding.currency);
    }
  });

  it('counts one _entities operation per batch, records its size and keeps ids beyond 2^53 exact', async () => {
    subgraph.resetStats();
    const result = await graphql(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Company { id invoices { id } } } }',
      { variables: { r: [BIG_ID, '9007199254740992', '7'].map((id) => ({ __typename: 'Company', id })) } },
    );
    expect(result.errors).toBeUndefined();
    const companies = result.data!._entities as { id: string; invoices: { id: string }[] }[];
    expect(companies.map((company) => company.id)).toEqual([BIG_ID, '9007199254740992', '7']);
    for (const invoice of companies[0].invoices) expect(invoice.id.startsWith(`INV-${BIG_ID}-`)).toBe(true);
    expect(subgraph.stats.operations).toBe(1);
    expect(subgraph.stats.entitiesCalls).toBe(1);
    expect(subgraph.stats.entitiesRepresentations).toEqual([3]);
  });

  it('counts _entities behind an alias and a fragment, but not the word in an argument', async () => {
    subgraph.resetStats();
    await graphql(
      subgraph.url,
      `query { ...Batch }
       fragment Batch on Query { found: _entities(representations: [{ __typename: "Invoice", id: "INV-1-1" }, { __typename: "Company", id: "1" }]) { __typename } }`,
    );
    await graphql(subgraph.url, '{ invoices(companyId: "_entities") { id } }');
    expect(subgraph.stats.operations).toBe(2);
    expect(subgraph.stats.entitiesCalls).toBe(1);
    expect(subgraph.stats.entitiesRepresentations).toEqual([2]);
  });

  it('publishes its SDL with @key through _service', async () => {
    const result = await graphql(subgraph.url, '{ _service { sdl } }');
    const sdl = (result.data!._service as { sdl: string }).sdl;
    expect(sdl).toContain('@key(fields: "id")');
    expect(sdl).toMatch(/type Company\s+@key\(fields: "id"\)/);
    // Nullable, so that a gateway nulls only these fields when this service is down.
    expect(sdl).toMatch(/invoices\(status: InvoiceStatus\): \[Invoice!\]\n/);
    expect(sdl).toMatch(/outstanding: Money\n/);
  });

  it('composes with Mirrorgraph\'s own schema.graphql, changing nothing of its Company', async () => {
    const result = await graphql(subgraph.url, '{ _service { sdl } }');
    const composed = composeServices([
      { name: 'mirrorgraph', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(readFileSync(resolve(__dirname, '../../schema.graphql'), 'utf8')) },
      { name: 'invoices', url: subgraph.url, typeDefs: parse((result.data!._service as { sdl: string }).sdl) },
    ]);
    expect(composed.errors?.map((error) => error.message)).toBeUndefined();
    // A hint on Company would mean this subgraph overrides something of Mirrorgraph's (a description, say).
    const companyHints = (composed.hints ?? []).map((hint) => hint.message).filter((message) => message.includes('"Company'));
    expect(companyHints).toEqual([]);
  });

  it('records the authorization header of the latest request, and its absence', async () => {
    await graphql(subgraph.url, '{ __typename }', { headers: { authorization: 'Bearer from-the-gateway' } });
    expect(subgraph.stats.lastAuthorization).toBe('Bearer from-the-gateway');
    await graphql(subgraph.url, '{ __typename }');
    expect(subgraph.stats.lastAuthorization).toBeUndefined();
  });

  it('refuses connections promptly once closed, even with a keep-alive socket open', async () => {
    const doomed = await startInvoicesSubgraph();
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    try {
      expect((await graphql(doomed.url, '{ __typename }', { dispatcher: agent })).data).toEqual({ __typename: 'Query' });
      const started = Date.now();
      await doomed.close();
      expect(Date.now() - started).toBeLessThan(1_000);
      const error = await graphql(doomed.url, '{ __typename }', { dispatcher: agent }).then(
        () => undefined,
        (failure: unknown) => failure as { code?: string },
      );
      expect(error?.code).toBe('ECONNREFUSED');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await agent.close();
    }
  });

  it('closes at once a connection whose request is still arriving', async () => {
    const doomed = await startInvoicesSubgraph();
    const { port } = new URL(doomed.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    // Headers promise a body that never comes: the request stays in flight, the socket busy.
    socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"qu`);
    // The server resetting the socket is the point; events.once would reject on that error.
    socket.on('error', () => {});
    const socketClosed = new Promise((resolveClosed) => socket.once('close', resolveClosed));
    const started = Date.now();
    await doomed.close();
    await socketClosed;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('examples/invoices/main.ts', () => {
  it('prints exactly one ready line and exits with code 0 on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../examples/invoices/main.ts'), '--port', '0'], {
      cwd: resolve(__dirname, '../..'),
      // Outside NODE_ENV=test, as in the demo: Apollo would then handle signals itself unless told not to.
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => stdout.push(line));
    child.stderr.resume();
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await once(lines, 'line');
    const { invoices } = JSON.parse(stdout[0]) as { invoices: string };
    expect((await graphql(invoices, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    child.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
    expect(stdout).toEqual([JSON.stringify({ invoices })]);
  });

  it('rejects a port that is not a number, with exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../examples/invoices/main.ts'), '--port', 'eighty'], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be an integer from 0 to 65535, got "eighty"');
  });
});

describe('spawnExampleSubgraph', () => {
  it('runs the invoices subgraph as a child process and stops it for good', async () => {
    const running = await spawnExampleSubgraph('invoices');
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const result = await graphql(running.url, `{ invoices(companyId: "${BIG_ID}") { company { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(Array.isArray(result.data!.invoices)).toBe(true);
    expect(process.kill(running.pid, 0)).toBe(true);

    const started = Date.now();
    await running.stop();
    // Well under the 3 s after which stop() resorts to SIGKILL: the child exited on SIGTERM.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(() => process.kill(running.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('does not outlive a parent that is killed outright (SIGKILL)', async () => {
    // A parent process of its own that starts the subgraph, says its pid, then waits to be killed.
    const script = `require('tsx/cjs'); require(${JSON.stringify(resolve(__dirname, '../../src/demo/example-subgraph.ts'))}).spawnExampleSubgraph('invoices').then((r) => console.log(r.pid));`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
    const childPid = Number(line);
    expect(process.kill(childPid, 0)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 5_000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        process.kill(childPid, 0);
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });

  it('fails with the child\'s stderr when it cannot start', async () => {
    const squatter = await startInvoicesSubgraph();
    try {
      const port = Number(new URL(squatter.url).port);
      await expect(spawnExampleSubgraph('invoices', { port })).rejects.toThrow(/exited before it was ready[\s\S]*EADDRINUSE/);
    } finally {
      await squatter.close();
    }
  });
});
