/**
 * @file What one row of the settings table says. The table (settings.ts) drives reading and
 * checking (load.ts), where each value lands in AppConfig (assemble.ts) and the README's table
 * (readme.ts).
 */
import type { Kind } from './kinds.js';
import type { Secrecy } from './redact.js';
import type { AppConfig, ConfigNeeds, EdgeConfig, JwtConfig, UpstreamConfig } from './types.js';

type Dotted<Prefix extends string, T> = `${Prefix}.${Extract<keyof T, string>}`;

/** Where in AppConfig a setting's value lands; `auth.*` is composed by assemble.ts's auth builder. */
export type ConfigPath =
  | 'database'
  | 'closeDateFormat'
  | 'logLevel'
  | Dotted<'reads', AppConfig['reads']>
  | Dotted<'upstream', UpstreamConfig>
  | Dotted<'sync', AppConfig['sync']>
  | Dotted<'webhooks', AppConfig['webhooks']>
  | Dotted<'server', AppConfig['server']>
  | Dotted<'changes', AppConfig['changes']>
  | Dotted<'subscriptions', AppConfig['subscriptions']>
  | 'edge.trustedDocuments'
  | Dotted<'edge.rateLimit', EdgeConfig['rateLimit']>
  | Dotted<'edge.metrics', EdgeConfig['metrics']>
  | Dotted<'gateway', AppConfig['gateway']>
  | 'auth.mode'
  | Dotted<'auth.jwt', JwtConfig>
  | 'auth.jwt.key.refreshSeconds';

/** The value of a setting earlier in the table (derived defaults and conditions look back only). */
export type Earlier = (name: string) => unknown;

export interface Setting<T> {
  kind: Kind<T>;
  /** The value when unset; absent: undefined. */
  default?: T;
  /** A default that depends on earlier settings; `text` is what the README's default column says. */
  derive?: { from: (earlier: Earlier) => T | undefined; text: string };
  /** `true`: never shown (`***`); `url-password`: shown with the password in it masked. */
  secret?: Secrecy;
  /** One line for the README; markdown. */
  description: string;
  /** Where the value lands; null: it only shapes other settings' defaults. */
  fills: ConfigPath | null;
  /** Read only when this holds; otherwise the default stands and a bad value goes unremarked. */
  when?: { test: (earlier: Earlier) => boolean; text: string };
  /** Required by commands with this need; `expected` is what the error asks for. */
  requiredFor?: { need: keyof ConfigNeeds; expected: string; text: string };
}
