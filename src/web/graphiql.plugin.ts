import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { EXAMPLE_OPERATIONS, type ExampleOperation } from './example-operations.js';
import { bootScript, GRAPHIQL_CSP, PAGE_CSS, pageHtml } from './graphiql-page.js';
import { sendAsset, staticAsset, type StaticAsset } from './static-asset.js';

/**
 * GraphiQL, served entirely from this process: the page, GraphiQL 3.9's UMD build and React 18's
 * UMD builds from node_modules, and a bootstrap script. Nothing is loaded from another host.
 *
 * The page answers `GET /` and those `GET <endpoint>` requests a browser makes (Accept includes
 * text/html, no `query` parameter). Every other request to the endpoint, GraphQL over HTTP GET
 * included, falls through to the route the GraphQL server registers for the same path, whether
 * that route is registered before or after this plugin.
 */
export interface GraphiqlPluginOptions {
  /** The GraphQL endpoint the page posts to and is also served at; default `/graphql`. */
  endpoint?: string;
  /** The tabs opened on a first visit; default `EXAMPLE_OPERATIONS`. */
  examples?: readonly ExampleOperation[];
  /** Also serve the page at `GET /`; default true. */
  servePageAtRoot?: boolean;
}

export const ASSET_PREFIX = '/graphiql/assets';

/** Files of installed packages, in the order the page loads them. */
const VENDOR_FILES = [
  { pkg: 'graphiql', file: 'graphiql.min.css' },
  { pkg: 'react', file: 'umd/react.production.min.js' },
  { pkg: 'react-dom', file: 'umd/react-dom.production.min.js' },
  { pkg: 'graphiql', file: 'graphiql.min.js' },
] as const;

/** `umd/` is not in React's package exports: resolve the package root, then join. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

async function loadAssets(endpoint: string, examples: readonly ExampleOperation[]): Promise<StaticAsset[]> {
  const vendor = await Promise.all(
    VENDOR_FILES.map(async ({ pkg, file }) => staticAsset(ASSET_PREFIX, file.replace(/^umd\//, ''), await readFile(packageFile(pkg, file)))),
  );
  return [
    ...vendor,
    staticAsset(ASSET_PREFIX, 'page.css', PAGE_CSS),
    staticAsset(ASSET_PREFIX, 'graphiql-boot.js', bootScript({ endpoint, examples })),
  ];
}

const PAGE_CONSTRAINT = 'mirrorgraphGraphiqlPage';

/** A browser asking for a page, not a GraphQL-over-HTTP GET (which carries `query`). */
function wantsPage(req: IncomingMessage): boolean {
  if (!String(req.headers.accept ?? '').includes('text/html')) return false;
  const search = (req.url ?? '').indexOf('?');
  return search < 0 || !new URLSearchParams(req.url!.slice(search + 1)).has('query');
}

/**
 * A route constraint, so that the page and the GraphQL server can both declare `GET <endpoint>`:
 * the router picks the page route only for requests that `wantsPage`, the unconstrained one
 * otherwise. Registered on the root router, once per instance.
 */
function addPageConstraint(app: FastifyInstance): void {
  if (app.hasConstraintStrategy(PAGE_CONSTRAINT)) return;
  app.addConstraintStrategy({
    name: PAGE_CONSTRAINT,
    mustMatchWhenDerived: false,
    storage() {
      const handlers = new Map<unknown, never>();
      return {
        get: (value: unknown) => handlers.get(value) ?? null,
        set: (value: unknown, handler: never) => void handlers.set(value, handler),
      };
    },
    deriveConstraint: (req) => (wantsPage(req as IncomingMessage) ? 'page' : 'other'),
  });
}

export const graphiqlPlugin: FastifyPluginAsync<GraphiqlPluginOptions> = async (app, options) => {
  const endpoint = options.endpoint ?? '/graphql';
  const assets = await loadAssets(endpoint, options.examples ?? EXAMPLE_OPERATIONS);
  for (const asset of assets) {
    app.get(asset.url, (request, reply) => sendAsset(request, reply, asset));
  }

  const html = pageHtml({
    styles: assets.filter((a) => a.url.endsWith('.css')).map((a) => a.url),
    scripts: assets.filter((a) => a.url.endsWith('.js')).map((a) => a.url),
  });
  const sendPage = (reply: FastifyReply): FastifyReply =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', GRAPHIQL_CSP)
      .header('cache-control', 'no-cache')
      .header('vary', 'accept')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(html);

  addPageConstraint(app);
  app.get(endpoint, { constraints: { [PAGE_CONSTRAINT]: 'page' } }, (_request, reply) => sendPage(reply));
  if (options.servePageAtRoot ?? true) app.get('/', (_request, reply) => sendPage(reply));
};
