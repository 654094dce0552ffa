import { Logger as HiveLogger, type LogLevel as HiveLevel } from '@graphql-hive/gateway-runtime';
import type { LogLevel } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * Keys whose values the gateway's own log lines may carry and ours never do: a subgraph
 * request's body holds the client's variables and entity representations; headers hold tokens.
 */
const UNLOGGED_KEYS = new Set(['body', 'variables', 'headers', 'authorization', 'request']);
const MAX_DEPTH = 4;

function withoutUnlogged(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => withoutUnlogged(item, depth + 1));
  return Object.fromEntries(Object.entries(value).filter(([key]) => !UNLOGGED_KEYS.has(key.toLowerCase())).map(([key, item]) => [key, withoutUnlogged(item, depth + 1)]));
}

const HIVE_LEVEL: Record<LogLevel, HiveLevel | false> = { fatal: 'error', error: 'error', warn: 'warn', info: 'info', debug: 'debug', trace: 'trace', silent: false };

/** The gateway's log lines in our log (pino, same level), marked `component: "gateway"`, without request bodies or headers. */
export function hiveLogger(logger: Logger, level: LogLevel): HiveLogger {
  const child = logger.child({ component: 'gateway' });
  return new HiveLogger({
    level: HIVE_LEVEL[level],
    writers: [
      {
        write(hiveLevel, attrs, message) {
          const fields = attrs ? (withoutUnlogged(attrs) as object) : {};
          child[hiveLevel](Array.isArray(fields) ? { attrs: fields } : fields, message ?? '');
        },
      },
    ],
  });
}
