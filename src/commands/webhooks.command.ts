import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/data-source.js';
import type { WebhookEvent } from '../entities/index.js';
import { RECORD_RESOURCE_NAMES, type RecordResourceName } from '../resources/resource-table.js';
import { WebhookSubscriptionStore } from '../webhooks/subscription.store.js';
import {
  checkTargetUrl,
  currentSubscriptions,
  subscribe,
  SubscriptionLimitError,
  unsubscribe,
  type SubscribeOutcome,
  type SubscriptionView,
  type UnsubscribeOutcome,
} from '../webhooks/subscriptions.service.js';
import { createUpstreamWebhooksClient, WEBHOOK_EVENTS, WEBHOOK_TYPES, type UpstreamWebhooksClient } from '../webhooks/upstream-webhooks.client.js';

/**
 * `mirrorgraph webhooks subscribe|list|unsubscribe`: the upstream's webhook subscriptions that
 * notify the serve process (`POST /webhooks/upstream`) of changes. Tables go to stdout, notes to
 * stderr; secrets are never printed. Usage errors exit 2, failures 1.
 */

async function withWebhooks<T>(work: (client: UpstreamWebhooksClient, store: WebhookSubscriptionStore) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { upstream: true });
  const dataSource = await openDatabase(config.database);
  const client = createUpstreamWebhooksClient(config.upstream);
  try {
    return await work(client, new WebhookSubscriptionStore(dataSource));
  } finally {
    await client.close();
    await dataSource.destroy();
  }
}

function table(rows: readonly string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const resourceCell = (view: Pick<SubscriptionView, 'resource' | 'type'>): string => view.resource ?? `(${view.type})`;

/** A comma-separated list of `allowed` values (repeats dropped), or the usage problem. */
function parseList<T extends string>(text: string, allowed: readonly T[], option: string): { values: T[] } | { problem: string } {
  const values = [...new Set(text.split(',').map((part) => part.trim()).filter(Boolean))];
  const unknown = values.filter((value) => !allowed.includes(value as T));
  if (unknown.length) return { problem: `${option}: unknown ${unknown.map((value) => JSON.stringify(value.slice(0, 40))).join(', ')}; expected a comma-separated list of ${allowed.join(', ')}` };
  if (values.length === 0) return { problem: `${option}: expected at least one of ${allowed.join(', ')}` };
  return { values: values as T[] };
}

export function registerWebhooksCommand(program: Command): void {
  const webhooks = program.command('webhooks').description("manage the upstream's webhook subscriptions that notify `serve` of changes (POST /webhooks/upstream)");

  webhooks
    .command('subscribe')
    .description('subscribe the receiver URL to new, update and delete of each resource (one subscription each; existing ones of ours are kept)')
    .requiredOption('--url <url>', 'the public https:// URL of the receiver, e.g. https://mirror.example.com/webhooks/upstream')
    .option('--resource <list>', `comma-separated resources (default: all): ${RECORD_RESOURCE_NAMES.join(', ')}`)
    .option('--events <list>', `comma-separated events (default: all): ${WEBHOOK_EVENTS.join(', ')}`)
    .action(async (options: { url: string; resource?: string; events?: string }, command: Command) => {
      const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: 2, code: 'mirrorgraph.usage' });
      const target = checkTargetUrl(options.url);
      if (!target.ok) return usage(`--url: ${target.message}`);
      const resources = options.resource === undefined ? { values: [...RECORD_RESOURCE_NAMES] } : parseList<RecordResourceName>(options.resource, RECORD_RESOURCE_NAMES, '--resource');
      if ('problem' in resources) return usage(resources.problem);
      const events = options.events === undefined ? { values: [...WEBHOOK_EVENTS] } : parseList<WebhookEvent>(options.events, WEBHOOK_EVENTS, '--events');
      if ('problem' in events) return usage(events.problem);

      const outcomes: SubscribeOutcome[] = [];
      try {
        await withWebhooks((client, store) =>
          subscribe(client, store, { target: target.url, resources: resources.values, events: events.values }, (outcome) => {
            outcomes.push(outcome);
            if (outcome.status === 'exists') process.stderr.write(`skipped ${outcome.resource} ${outcome.event}: subscription ${outcome.id} of ours already sends it to this URL\n`);
            for (const id of outcome.replaced) process.stderr.write(`forgot subscription ${id} (${outcome.resource} ${outcome.event}): the upstream no longer had it; ${outcome.id} replaces it\n`);
          }),
        );
      } catch (error) {
        if (error instanceof SubscriptionLimitError) {
          process.stderr.write(`mirrorgraph: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        if (outcomes.length) process.stderr.write(`stopped after ${outcomes.length} of ${resources.values.length * events.values.length}; the ones created are recorded:\n${subscribeTable(outcomes, target.url)}\n`);
        throw error;
      }
      process.stdout.write(`${subscribeTable(outcomes, target.url)}\n`);
      const created = outcomes.filter((outcome) => outcome.status === 'created').length;
      process.stderr.write(`${created} created, ${outcomes.length - created} already there; notifications go to ${target.url}\n`);
    });

  webhooks
    .command('list')
    .description("the upstream's subscriptions, with whether each is ours (its secret is recorded), and ours the upstream no longer has; never a secret")
    .option('--json', 'one JSON array instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { views } = await withWebhooks((client, store) => currentSubscriptions(client, store));
      if (options.json) process.stdout.write(`${JSON.stringify(views)}\n`);
      else if (views.length === 0) process.stderr.write('no webhook subscriptions upstream or recorded: create them with `mirrorgraph webhooks subscribe --url https://...`\n');
      else process.stdout.write(`${listTable(views)}\n`);
    });

  webhooks
    .command('unsubscribe')
    .description('delete subscriptions of ours upstream and from the database (never a foreign one)')
    .option('--id <id...>', 'these subscriptions, by id as `webhooks list` shows them')
    .option('--all', 'every subscription of ours')
    .action(async (options: { id?: string[]; all?: boolean }, command: Command) => {
      const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: 2, code: 'mirrorgraph.usage' });
      if (!options.all && !options.id?.length) return usage('say which subscriptions: --id <id...> or --all');
      if (options.all && options.id?.length) return usage('--all and --id exclude each other');
      const outcomes: UnsubscribeOutcome[] = [];
      await withWebhooks((client, store) => unsubscribe(client, store, options.all ? 'all' : (options.id ?? []), (outcome) => outcomes.push(outcome)));
      for (const outcome of outcomes) process.stderr.write(`${unsubscribeNote(outcome)}\n`);
      if (options.all && outcomes.length === 0) process.stderr.write('no subscriptions of ours: nothing to remove\n');
      if (outcomes.some((outcome) => outcome.status === 'foreign' || outcome.status === 'unknown')) process.exitCode = 1;
    });
}

function subscribeTable(outcomes: readonly SubscribeOutcome[], target: string): string {
  return table([['ID', 'RESOURCE', 'TYPE', 'EVENT', 'STATUS', 'TARGET'], ...outcomes.map((o) => [o.id, o.resource, WEBHOOK_TYPES[o.resource], o.event, o.status, target])]);
}

function listTable(views: readonly SubscriptionView[]): string {
  const state = (view: SubscriptionView): string => (!view.upstream ? 'missing upstream' : view.ours ? 'active' : '-');
  return table([['ID', 'RESOURCE', 'EVENT', 'OURS', 'STATE', 'TARGET'], ...views.map((view) => [view.id, resourceCell(view), view.event, view.ours ? 'yes' : 'no', state(view), view.target])]);
}

function unsubscribeNote({ id, view, status }: UnsubscribeOutcome): string {
  const what = view ? `subscription ${id} (${resourceCell(view)} ${view.event} to ${view.target})` : `subscription ${id}`;
  switch (status) {
    case 'deleted':
      return `deleted ${what} upstream and locally`;
    case 'gone':
      return `forgot ${what}: the upstream no longer had it (removed locally only)`;
    case 'foreign':
      return `mirrorgraph: ${what} was not created by this mirror (no secret recorded): left alone`;
    case 'unknown':
      return `mirrorgraph: no subscription ${JSON.stringify(id.slice(0, 64))} upstream or recorded (\`mirrorgraph webhooks list\` shows them)`;
  }
}
