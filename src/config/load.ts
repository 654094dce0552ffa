/**
 * @file loadConfig: the table read, the cross-setting rules run, every problem reported at once
 * (in table order), the result frozen.
 */
import dotenv from 'dotenv';
import { ConfigError } from '../errors/index.js';
import { assemble } from './assemble.js';
import { readSettings, type Env, type Problem } from './read.js';
import { RULES } from './rules.js';
import { SETTING_NAMES } from './settings.js';
import type { AppConfig, ConfigNeeds } from './types.js';

/** Reads and validates the whole configuration; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, needs: ConfigNeeds = {}): Readonly<AppConfig> {
  // A .env file fills only what the real environment leaves unset.
  if (env === process.env) dotenv.config({ quiet: true });
  const reading = readSettings(env);
  for (const rule of RULES) rule(reading, needs);
  if (reading.problems.length > 0) {
    // Stable: a setting's own refusal comes before what a rule says about it.
    const order = (p: Problem) => SETTING_NAMES.indexOf(p.setting);
    const problems = [...reading.problems].sort((a, b) => order(a) - order(b)).map((p) => p.message);
    const n = problems.length;
    throw new ConfigError(`Invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  return deepFreeze(assemble(reading.values));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
