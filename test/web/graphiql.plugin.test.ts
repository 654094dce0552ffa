import { ApolloServer } from '@apollo/server';
import fastifyApollo from '@as-integrations/fastify';
import fastify, { type FastifyInstance } from 'fastify';
import { parse, validate, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATIONS } from '../../src/web/example-operations.js';
import { graphiqlPlugin } from '../../src/web/graphiql.plugin.js';
import { standInGraphqlPlugin, standInSchema } from './support/stand-in-graphql.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((url) => url !== 'data:,');
}

describe('graphiql plugin', () => {
  let app: FastifyInstance;
  let html: string;

  beforeAll(async () => {
    app = fastify();
    await app.register(graphiqlPlugin);
    // Registered after the page, as the real server will be.
    await app.register(standInGraphqlPlugin);
    await app.ready();
    html = (await app.inject({ method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT } })).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the page at / and to browsers at GET /graphql, with a strict CSP', async () => {
    for (const url of ['/', '/graphql']) {
      const response = await app.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('<div id="graphiql">');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    }
  });

  it('lets GraphQL-over-HTTP GET requests through to the GraphQL route', async () => {
    const json = await app.inject({ method: 'GET', url: '/graphql?query=%7BsyncStatus%7Bresource%7D%7D', headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ data: { syncStatus: expect.any(Array) } });
    // A browser following a link with a query gets the API's answer too, not the page.
    const browser = await app.inject({ method: 'GET', url: '/graphql?query=%7BsyncStatus%7Bresource%7D%7D', headers: { accept: BROWSER_ACCEPT } });
    expect(browser.json()).toMatchObject({ data: { syncStatus: expect.any(Array) } });
    const noAccept = await app.inject({ method: 'GET', url: '/graphql' });
    expect(noAccept.statusCode).toBe(400);
    const post = await app.inject({ method: 'POST', url: '/graphql', headers: { accept: BROWSER_ACCEPT }, payload: { query: '{ syncStatus { resource } }' } });
    expect(post.json()).toMatchObject({ data: { syncStatus: expect.any(Array) } });
  });

  it('runs no inline script and references only this server', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    const urls = assetUrls(html);
    expect(urls).toHaveLength(6);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/assets\/[\w.-]+\.[0-9a-f]{12}\.(js|css)$/);
  });

  it('serves GraphiQL, React and ReactDOM from node_modules with year-long caching', async () => {
    const urls = assetUrls(html);
    const names = urls.map((url) => url.split('/').pop()!.replace(/\.[0-9a-f]{12}\./, '.'));
    expect(names).toEqual(['graphiql.min.css', 'page.css', 'react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'graphiql-boot.js']);
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-type']).toMatch(url.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
    const graphiqlJs = await app.inject({ method: 'GET', url: urls[4] });
    expect(graphiqlJs.body).toContain('createFetcher');
    const react = await app.inject({ method: 'GET', url: urls[2] });
    expect(react.body).toContain('React');
  });

  it('gzips assets for clients that accept it', async () => {
    const url = assetUrls(html)[4];
    const plain = await app.inject({ method: 'GET', url });
    const gzipped = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
  });

  it('ships CSS whose fonts and images are inlined, not fetched', async () => {
    for (const url of assetUrls(html).filter((u) => u.endsWith('.css'))) {
      const css = (await app.inject({ method: 'GET', url })).body;
      const external = [...css.matchAll(/url\(\s*['"]?([^'")]+)/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
      expect(external, url).toEqual([]);
      expect(css).not.toMatch(/@import/);
    }
  });

  it('boots GraphiQL with the example tabs, the docs explorer and a JSON fetcher on /graphql', async () => {
    const boot = (await app.inject({ method: 'GET', url: assetUrls(html)[5] })).body;
    expect(boot).toContain('GraphiQL.createFetcher({ url: config.endpoint, subscriptionUrl: subscriptionUrl })');
    expect(boot).toContain("(location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.endpoint");
    expect(boot).toContain('"endpoint": "/graphql"');
    expect(boot).toContain('DOC_EXPLORER_PLUGIN');
    expect(boot).toContain('Bearer <ADMIN_TOKEN>');
    for (const name of ['CompaniesWithPeople', 'LargeOpenOpportunities', 'PeoplePage', 'OpportunitiesByStatus', 'SyncStatus', 'RecordsChanged', 'ResyncPeople']) {
      expect(boot).toContain(name);
    }
  });

  it('gives another endpoint to the page and the fetcher when asked', async () => {
    const other = fastify();
    await other.register(graphiqlPlugin, { endpoint: '/api/graphql', servePageAtRoot: false });
    try {
      const page = await other.inject({ method: 'GET', url: '/api/graphql', headers: { accept: BROWSER_ACCEPT } });
      expect(page.statusCode).toBe(200);
      expect((await other.inject({ method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT } })).statusCode).toBe(404);
      const boot = (await other.inject({ method: 'GET', url: assetUrls(page.body)[5] })).body;
      expect(boot).toContain('"endpoint": "/api/graphql"');
    } finally {
      await other.close();
    }
  });
});

describe.each(['after', 'before'] as const)('graphiql plugin with Apollo registered %s it', (order) => {
  let app: FastifyInstance;
  let apollo: ApolloServer;

  beforeAll(async () => {
    apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
    await apollo.start();
    app = fastify();
    if (order === 'before') await app.register(fastifyApollo(apollo));
    await app.register(graphiqlPlugin);
    if (order === 'after') await app.register(fastifyApollo(apollo));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await apollo?.stop();
  });

  it('shares GET /graphql: browsers get the page, GraphQL clients get Apollo', async () => {
    const page = await app.inject({ method: 'GET', url: '/graphql', headers: { accept: BROWSER_ACCEPT } });
    expect(page.body).toContain('<div id="graphiql">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const get = await app.inject({
      method: 'GET',
      url: '/graphql?query=%7Bhello%7D',
      headers: { accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true' },
    });
    expect(get.json()).toEqual({ data: { hello: 'world' } });
    const post = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ hello }' } });
    expect(post.json()).toEqual({ data: { hello: 'world' } });
  });
});

describe('example operations', () => {
  it('each parse, have one uniquely named operation and JSON-able variables and headers', () => {
    const names = EXAMPLE_OPERATIONS.map((example) => {
      const operations = parse(example.query).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      expect(operations).toHaveLength(1);
      return operations[0].name?.value;
    });
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('validate against the stand-in schema the browser test uses', () => {
    for (const example of EXAMPLE_OPERATIONS) {
      expect(validate(standInSchema, parse(example.query)).map((e) => e.message), example.query).toEqual([]);
    }
  });

  it('show the admin token placeholder in the resync tab headers', () => {
    const resync = EXAMPLE_OPERATIONS.find((e) => e.query.includes('resync('));
    expect(resync?.headers).toEqual({ Authorization: 'Bearer <ADMIN_TOKEN>' });
  });
});
