/**
 * @file Reads every setting of the table from an environment: each value parsed by its kind,
 * each refusal kept as a problem, so that all of them can be reported at once.
 */
import type { Kind } from './kinds.js';
import { show } from './redact.js';
import type { Setting } from './setting.js';
import { SETTING_NAMES, SETTINGS, type SettingName } from './settings.js';

export type Env = Readonly<Record<string, string | undefined>>;

type ValueOf<S> = S extends { kind: Kind<infer T> }
  ? S extends { default: unknown }
    ? T
    : S extends { derive: { from: (...args: never[]) => infer R } }
      ? R
      : T | undefined
  : never;

/** Each setting's value: as given, or its default when unset, refused or not read. */
export type Values = { -readonly [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };

export interface Problem {
  setting: SettingName;
  message: string;
}

export interface Reading {
  values: Values;
  /** Set to something other than blanks (whether accepted or not). */
  given(name: SettingName): boolean;
  raw(name: SettingName): string | undefined;
  problems: Problem[];
  /** Records "NAME: expected X, got Y", Y shown as the setting's secrecy allows. */
  fail(name: SettingName, expected: string, got: string | undefined): void;
}

const table = SETTINGS as Readonly<Record<SettingName, Setting<unknown>>>;

export function readSettings(env: Env): Reading {
  const values: Partial<Record<SettingName, unknown>> = {};
  const problems: Problem[] = [];
  const raw = (name: SettingName): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const fail = (name: SettingName, expected: string, got: string | undefined): void => {
    problems.push({ setting: name, message: `${name}: expected ${expected}, got ${show(got, table[name].secret ?? false)}` });
  };
  // Derived defaults and conditions look back only: a forward reference is a bug in the table.
  const earlier = (name: string): unknown => {
    if (!(name in values)) throw new Error(`config table: a setting refers to ${name}, which is not above it`);
    return values[name as SettingName];
  };
  for (const name of SETTING_NAMES) {
    const setting = table[name];
    const fallback = (): unknown => (setting.derive ? setting.derive.from(earlier) : setting.default);
    const value = setting.when && !setting.when.test(earlier) ? undefined : raw(name);
    if (value === undefined) {
      values[name] = fallback();
      continue;
    }
    const parsed = setting.kind.parse(value);
    if (parsed.ok) values[name] = parsed.value;
    else {
      values[name] = fallback();
      if ('messages' in parsed) problems.push(...parsed.messages.map((message) => ({ setting: name, message: `${name}: ${message}` })));
      else fail(name, parsed.expected, parsed.got ?? value);
    }
  }
  return { values: values as Values, given: (name) => raw(name) !== undefined, raw, problems, fail };
}
