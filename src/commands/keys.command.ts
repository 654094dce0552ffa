import type { Command } from 'commander';
import { ApiKeyNameTakenError, ApiKeyStore, isValidKeyName, KEY_NAME_RULE, type ApiKeySummary } from '../auth/api-key-store.js';
import { parseScopes, SCOPES } from '../auth/scopes.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/data-source.js';

/**
 * `mirrorgraph keys create|list|revoke`: API keys for the GraphQL API. `create` prints the key
 * once, alone on the last line of stdout (everything else goes to stderr), so that
 * `KEY=$(mirrorgraph keys create ... | tail -n1)` works. Usage errors exit 2, failures 1.
 */

async function withStore<T>(work: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataSource = await openDatabase(config.database);
  try {
    return await work(new ApiKeyStore(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

const when = (date: Date | null): string => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function table(keys: readonly ApiKeySummary[]): string {
  const rows = [['NAME', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'], ...keys.map((k) => [k.name, k.scopes.join(','), when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys for the GraphQL API (AUTH_MODE=api-key)');

  keys
    .command('create')
    .description('create an API key and print it once, alone on the last line of stdout')
    .requiredOption('--name <name>', 'unique name: shown in logs and `keys list`, used by `keys revoke`')
    .requiredOption('--scopes <list>', `comma-separated scopes: ${SCOPES.join(', ')}`)
    .action(async (options: { name: string; scopes: string }, command: Command) => {
      const usage = (message: string) => command.error(`error: ${message}`, { exitCode: 2, code: 'mirrorgraph.usage' });
      if (!isValidKeyName(options.name)) usage(`--name: expected ${KEY_NAME_RULE}, got ${JSON.stringify(options.name.slice(0, 120))}`);
      const { scopes, unknown } = parseScopes(options.scopes);
      if (unknown.length) usage(`--scopes: unknown scope${unknown.length === 1 ? '' : 's'} ${unknown.map((s) => JSON.stringify(s.slice(0, 60))).join(', ')}; valid scopes are ${SCOPES.join(', ')}`);
      if (scopes.size === 0) usage(`--scopes: expected at least one of ${SCOPES.join(', ')}`);
      try {
        const { key, summary } = await withStore((store) => store.create(options.name, [...scopes]));
        process.stderr.write(`created API key "${summary.name}" with scopes ${summary.scopes.join(', ')}\nit is shown once, on the next line: store it now (only its hash is kept)\n`);
        process.stdout.write(`${key}\n`);
      } catch (error) {
        if (error instanceof ApiKeyNameTakenError) {
          process.stderr.write(`mirrorgraph: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });

  keys
    .command('list')
    .description('list API keys: name, scopes, created, last used, revoked (never the key)')
    .option('--json', 'one JSON array instead of a table')
    .action(async (options: { json?: boolean }) => {
      const list = await withStore((store) => store.list());
      if (options.json) process.stdout.write(`${JSON.stringify(list)}\n`);
      else if (list.length === 0) process.stderr.write('no API keys yet: create one with `mirrorgraph keys create --name NAME --scopes ...`\n');
      else process.stdout.write(`${table(list)}\n`);
    });

  keys
    .command('revoke')
    .description('revoke an API key at once, on every replica (idempotent)')
    .argument('<name>', 'the key\'s name, as `keys list` shows it')
    .action(async (name: string) => {
      const result = await withStore((store) => store.revoke(name));
      if (!result) {
        process.stderr.write(`mirrorgraph: no API key named ${JSON.stringify(name.slice(0, 120))} (\`mirrorgraph keys list\` shows them)\n`);
        process.exitCode = 1;
      } else if (result.alreadyRevoked) {
        process.stderr.write(`API key "${name}" was already revoked at ${when(result.revokedAt)}; nothing changed\n`);
      } else {
        process.stderr.write(`revoked API key "${name}" at ${when(result.revokedAt)}: requests with it are refused from now on\n`);
      }
    });
}
