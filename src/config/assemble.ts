/**
 * @file Builds AppConfig from the values read: each row's value goes where its `fills` says;
 * `auth` alone is composed (the JWT part exists only in jwt mode, its key from one of three rows).
 */
import { jwtOn, resolveJwtKey } from './auth-kinds.js';
import type { Values } from './read.js';
import type { ConfigPath } from './setting.js';
import { SETTING_NAMES, SETTINGS, type SettingName } from './settings.js';
import type { AppConfig, AuthConfig } from './types.js';

type At<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<NonNullable<T[Head]>, Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;
type Fills<K extends SettingName> = (typeof SETTINGS)[K]['fills'];
/** Rows whose value does not fit the AppConfig field they fill: must stay `never` (checked below). */
type Misfits = {
  [K in SettingName]: Fills<K> extends `auth.${string}` | null ? never : Values[K] extends At<AppConfig, Fills<K> & string> ? never : K;
}[SettingName];
const everyRowFitsItsField: [Misfits] extends [never] ? true : Misfits = true;
void everyRowFitsItsField;

function place(target: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

function auth(values: Values): AuthConfig {
  const mode = values.AUTH_MODE;
  const key = jwtOn(mode) ? resolveJwtKey(values) : null;
  const configured = values.AUTH_JWT_ALGORITHMS;
  return {
    mode,
    apiKeys: mode === 'api-key' || mode === 'api-key,jwt',
    jwt: key && {
      key: key.key,
      issuer: values.AUTH_JWT_ISSUER,
      audience: values.AUTH_JWT_AUDIENCE,
      algorithms: configured.length ? configured : key.defaults,
      clockToleranceSeconds: values.AUTH_JWT_CLOCK_TOLERANCE_SECONDS,
      scopesClaim: values.AUTH_SCOPES_CLAIM,
    },
  };
}

/** The configuration the values describe; call only when reading and the rules found no problem. */
export function assemble(values: Values): AppConfig {
  const config: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const fills: ConfigPath | null = SETTINGS[name].fills;
    if (fills && !fills.startsWith('auth.')) place(config, fills, values[name]);
  }
  config.auth = auth(values);
  return config as unknown as AppConfig;
}
