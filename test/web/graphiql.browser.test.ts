import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesOf, commitChanges } from '../changes/support/commit-changes.js';
import { startGraphiqlApp, type RunningApp } from './support/graphiql-app.js';

/**
 * GraphiQL in a real (headless) Chromium, offline: the page must load, introspect, run example
 * operations and show their results while every request stays on this machine.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The README's picture is rewritten only when asked (UPDATE_SCREENSHOT=1): a test run leaves the tree as it found it. */
const SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1' ? join(__dirname, '..', '..', 'docs', 'graphiql.png') : join(tmpdir(), 'mirrorgraph-graphiql.png');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLocal(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return LOCAL_HOSTS.has(parsed.hostname);
}

/** The little of the DOM the page functions below touch (tsconfig has no DOM lib). */
interface Dom {
  document: {
    querySelector(selector: string): { textContent: string | null; CodeMirror?: { operationName?: string | null } } | null;
    activeElement: { blur?(): void } | null;
  };
}

async function responseText(page: Page): Promise<string> {
  return (await page.locator('.graphiql-response .CodeMirror-code').textContent()) ?? '';
}

async function runTab(page: Page, operationName: string, expected: string): Promise<string> {
  await page.locator('.graphiql-tab-button', { hasText: operationName }).click();
  // GraphiQL takes the operation name from the editor a moment after a tab switch; running
  // sooner sends the previous tab's name ("Unknown operation named ...").
  await page.waitForFunction(
    (name) => (globalThis as unknown as Dom).document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.operationName === name,
    operationName,
  );
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(
    (text) => (globalThis as unknown as Dom).document.querySelector('.graphiql-response .CodeMirror-code')?.textContent?.includes(text),
    expected,
    { timeout: 15_000 },
  );
  return responseText(page);
}

describe('GraphiQL in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const sockets: string[] = [];
  const blocked: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}. The browser test needs Debian's Chromium: apt-get install -y chromium ` +
          '(or set CHROMIUM_PATH). Never `npx playwright install`.',
      );
    }
    app = await startGraphiqlApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (socket) => sockets.push(socket.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    // A request elsewhere is aborted (and fails the test below) rather than left to the network.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('loads from this server only, runs example operations and shows their results', async () => {
    await page.goto(`${app.origin}/graphql`);
    // The docs explorer fills in once the schema has been introspected over the fetcher.
    await page.locator('.graphiql-doc-explorer', { hasText: 'Query' }).waitFor({ timeout: 15_000 });

    // The first tab: CRM data joined with the invoices service's, through the gateway.
    const joined = await runTab(page, 'CompanyAcrossSubgraphs', '"invoices"');
    expect(joined).toContain('"companies"');
    expect(joined).not.toContain('"errors"');

    const status = await runTab(page, 'SyncStatus', '"recordCount"');
    expect(status).toContain('"syncStatus"');
    expect(status).not.toContain('"errors"');

    const relations = await runTab(page, 'CompaniesWithPeople', '"opportunities"');
    expect(relations).toContain('"companies"');
    expect(relations).not.toContain('"errors"');

    // A subscription over graphql-ws to the page's own origin: the event of a change committed meanwhile shows.
    await page.locator('.graphiql-tab-button', { hasText: 'RecordsChanged' }).click();
    await page.waitForFunction(() => (globalThis as unknown as Dom).document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.operationName === 'RecordsChanged');
    await page.locator('.graphiql-execute-button').click();
    const deadline = Date.now() + 10_000;
    while (app.app.changeFeed.liveSize < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await commitChanges(app.app.dataSource, changesOf('people', ['4242424242']), 'webhook');
    await page.locator('.graphiql-response .CodeMirror-code', { hasText: '4242424242' }).waitFor({ timeout: 10_000 });
    const event = await responseText(page);
    expect(event).toContain('"recordsChanged"');
    expect(event).toContain('"WEBHOOK"');
    // Stops the subscription (the button toggles while it runs).
    await page.locator('.graphiql-execute-button').click();
    expect(sockets).toEqual([`${app.origin.replace(/^http/, 'ws')}/graphql`]);

    // Not run (against the real server it would start a sync): its tab brings the token header.
    await page.locator('.graphiql-tab-button', { hasText: 'ResyncPeople' }).click();
    await page.locator('.graphiql-editor-tool .CodeMirror-code', { hasText: 'Bearer <ADMIN_TOKEN>' }).waitFor();

    await page.locator('.graphiql-tab-button', { hasText: 'CompanyAcrossSubgraphs' }).click();
    await page.locator('.graphiql-response .CodeMirror-code', { hasText: '"invoices"' }).waitFor();
    // Without the focus ring of the last click.
    await page.evaluate(() => (globalThis as unknown as Dom).document.activeElement?.blur?.());
    await page.mouse.move(1200, 860);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    expect(blocked).toEqual([]);
    expect(requested.filter((url) => !isLocal(url))).toEqual([]);
    expect(requested.some((url) => url.includes('/graphiql/assets/graphiql.min.'))).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});
