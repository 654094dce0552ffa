/**
 * @file The README's configuration table, printed from the settings table. The README holds it
 * between two markers; scripts/config-table.ts rewrites it there and a test fails when they differ.
 */
import type { Setting } from './setting.js';
import { SETTING_NAMES, SETTINGS } from './settings.js';

export const TABLE_START = '<!-- config-table: generated from src/config/settings.ts by `node --import tsx scripts/config-table.ts`; edit the table there -->';
export const TABLE_END = '<!-- /config-table -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** What the default column says: a derived default's own words, `—` for none. */
export function defaultText(setting: Setting<unknown>): string {
  if (setting.derive) return setting.derive.text;
  if (setting.requiredFor) return setting.requiredFor.text;
  const shown = setting.default === undefined ? '' : setting.kind.format(setting.default);
  return shown === '' ? '—' : `\`${shown}\``;
}

function meaning(setting: Setting<unknown>): string {
  const notes = [setting.description];
  if (setting.when) notes.push(setting.when.text);
  if (setting.secret === true) notes.push('secret: never printed');
  return notes.join('; ');
}

/** The markdown table, one row per setting in table order, without the markers. */
export function renderConfigTable(): string {
  const rows = SETTING_NAMES.map((name) => {
    const setting: Setting<unknown> = SETTINGS[name];
    return `| \`${name}\` | ${cell(setting.kind.type)} | ${cell(defaultText(setting))} | ${cell(meaning(setting))} |`;
  });
  return ['| variable | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the table; throws when a marker is missing. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md: the configuration table's markers are missing (${TABLE_START} … ${TABLE_END})`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderConfigTable()}\n${readme.slice(end)}`;
}
