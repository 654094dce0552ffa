/**
 * @file The rules that span settings, run after the whole table is read. Each looks at the values
 * (defaults standing in for refused ones) and reports through `fail`, naming one setting.
 */
import { AUTH_MODE_EXPECTED, JWT_KEY_SETTINGS, jwtOn, resolveJwtKey } from './auth-kinds.js';
import type { Reading } from './read.js';
import type { Setting } from './setting.js';
import { SETTINGS, type SettingName } from './settings.js';
import type { ConfigNeeds } from './types.js';

export type Rule = (reading: Reading, needs: ConfigNeeds) => void;

/** Rows marked `requiredFor` a need must be set (or derived) when the command has that need. */
export const requiredForNeeds: Rule = ({ values, given, fail }, needs) => {
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]) {
    const required = setting.requiredFor;
    if (required && needs[required.need] && !given(name) && values[name] === undefined) fail(name, required.expected, undefined);
  }
};

export const defaultPageSizeWithinMax: Rule = ({ values, fail }) => {
  const { GRAPHQL_DEFAULT_PAGE_SIZE: pageSize, GRAPHQL_MAX_PAGE_SIZE: max } = values;
  if (pageSize > max) fail('GRAPHQL_DEFAULT_PAGE_SIZE', `at most GRAPHQL_MAX_PAGE_SIZE (${max})`, String(pageSize));
};

export const metricsPortNotPort: Rule = ({ values, raw, fail }) => {
  const metricsPort = values.METRICS_PORT;
  const port = raw('PORT') ?? String(SETTINGS.PORT.default);
  if (metricsPort !== undefined && String(metricsPort) === port) fail('METRICS_PORT', `a port other than PORT (${port})`, String(metricsPort));
};

/** In production `serve` must be told who may read: `none` serves everything to everyone. */
export const authModeChosenToServe: Rule = ({ values, given, fail }, needs) => {
  if (needs.serving && values.NODE_ENV === 'production' && !given('AUTH_MODE')) {
    fail('AUTH_MODE', `${AUTH_MODE_EXPECTED} (NODE_ENV=production needs it set explicitly; AUTH_MODE=none serves every record to anyone who can reach the server)`, undefined);
  }
};

export const oneJwtKeySource: Rule = ({ values, given, fail }) => {
  if (!jwtOn(values.AUTH_MODE)) return;
  const set = JWT_KEY_SETTINGS.filter((name) => given(name));
  if (set.length !== 1) {
    fail('AUTH_JWKS_URL', 'exactly one of AUTH_JWKS_URL, AUTH_JWT_PUBLIC_KEY (PEM) or AUTH_JWT_SECRET (HS256) with AUTH_MODE=jwt', set.length ? set.join(' and ') : undefined);
  }
};

/** AUTH_JWT_ALGORITHMS may only narrow what the key can verify: never `none`, never HS* with a public key. */
export const jwtAlgorithmsFitKey: Rule = ({ values, given, fail }) => {
  if (!jwtOn(values.AUTH_MODE) || JWT_KEY_SETTINGS.filter((name) => given(name)).length !== 1) return;
  const key = resolveJwtKey(values);
  if (!key) return;
  const refused = values.AUTH_JWT_ALGORITHMS.filter((alg) => !key.allowed.includes(alg));
  if (refused.length) {
    fail('AUTH_JWT_ALGORITHMS', `algorithms ${key.source} can verify: ${key.allowed.join(', ')} ("none" never; HS* only with AUTH_JWT_SECRET)`, refused.join(','));
  }
};

export const RULES: readonly Rule[] = [requiredForNeeds, defaultPageSizeWithinMax, metricsPortNotPort, authModeChosenToServe, oneJwtKeySource, jwtAlgorithmsFitKey];
