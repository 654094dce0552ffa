import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { excerpt } from './errors/excerpt.js';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets also never reach a log
 * message because errors are built from redacted values, but this is the second line of defence.
 */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'adminToken',
  '*.adminToken',
  'headers.authorization',
  'req.headers.authorization',
  'headers.api_key',
  '*.headers.api_key',
  'req.headers["x-pw-accesstoken"]',
  'headers["x-pw-accesstoken"]',
  // Our own API's credentials: API keys, JWTs and the JWT verification key of the auth config.
  'headers["x-api-key"]',
  'req.headers["x-api-key"]',
  'secret',
  '*.secret',
  '*.*.secret',
  '*.*.*.secret',
  'publicKey',
  '*.publicKey',
  '*.*.publicKey',
  '*.*.*.publicKey',
];

/** An HTTP request as an access log line shows it: the URL is the client's and is cut to an excerpt. */
function requestSerializer(request: { method?: string; url?: string; host?: string; ip?: string; socket?: { remoteAddress?: string } }) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? excerpt(request.url, 300) : request.url,
    host: typeof request.host === 'string' ? excerpt(request.host, 100) : undefined,
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
  };
}

/** JSON lines to stdout; pretty-printed when stdout is a terminal and not in production. */
export function createLogger(level: LogLevel = 'info', options: { pretty?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY && process.env.NODE_ENV !== 'production');
  const base: pino.LoggerOptions = {
    level,
    base: { service: 'mirrorgraph' },
    redact: { paths: REDACTED_PATHS, censor: '***' },
    serializers: { req: requestSerializer },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(base);
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
