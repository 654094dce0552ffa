import { createHash } from 'node:crypto';
import type { ExampleOperation } from './example-operations.js';

/**
 * The GraphiQL page: its HTML, its bootstrap script and its Content-Security-Policy. The page
 * runs no inline script (every script is a file from this server), so the policy allows scripts
 * from 'self' only.
 */

/** GraphiQL 3's `TabDefinition`: editor contents as strings. */
interface TabDefinition {
  query: string;
  variables: string | null;
  headers: string | null;
}

export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL's dialogs inject <style> elements; scripts stay strictly 'self'.
  "style-src 'self' 'unsafe-inline'",
  // GraphiQL's icons are data: SVGs; its fonts are inlined in the CSS as data: URLs.
  "img-src 'self' data:",
  "font-src 'self' data:",
  // 'self' also covers ws:// and wss:// of the page's own host (CSP Level 3), where subscriptions go.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

export function toTabs(examples: readonly ExampleOperation[]): TabDefinition[] {
  return examples.map((example) => ({
    query: example.query,
    variables: example.variables ? JSON.stringify(example.variables, null, 2) : null,
    headers: example.headers ? JSON.stringify(example.headers, null, 2) : null,
  }));
}

export interface BootOptions {
  endpoint: string;
  examples: readonly ExampleOperation[];
}

/**
 * The script that mounts GraphiQL. Tabs are stored in localStorage under a namespace derived
 * from the example set, so that changed examples replace the tabs a browser kept from an older
 * version; request headers (tokens) are never stored.
 */
export function bootScript({ endpoint, examples }: BootOptions): string {
  const tabs = toTabs(examples);
  const namespace = `mirrorgraph:${createHash('sha256').update(JSON.stringify(tabs)).digest('hex').slice(0, 8)}`;
  const config = JSON.stringify({ endpoint, tabs, namespace }, null, 2);
  return `(function () {
  'use strict';
  var config = ${config};
  // Subscriptions go over graphql-ws to the page's own origin (GraphiQL's bundle carries the client);
  // the Headers pane travels as connectionParams, so an Authorization header works there too.
  var subscriptionUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.endpoint;
  var props = {
    fetcher: GraphiQL.createFetcher({ url: config.endpoint, subscriptionUrl: subscriptionUrl }),
    defaultTabs: config.tabs,
    storage: GraphiQL.createLocalStorage({ namespace: config.namespace }),
    shouldPersistHeaders: false,
    visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN,
    defaultEditorToolsVisibility: 'headers'
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
`;
}

export interface PageAssets {
  styles: readonly string[];
  scripts: readonly string[];
}

export function pageHtml({ styles, scripts }: PageAssets): string {
  const links = styles.map((href) => `    <link rel="stylesheet" href="${href}">`).join('\n');
  const tags = scripts.map((src) => `    <script src="${src}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Mirrorgraph · GraphiQL</title>
    <link rel="icon" href="data:,">
${links}
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
${tags}
  </body>
</html>
`;
}
