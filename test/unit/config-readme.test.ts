import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultText, renderConfigTable, TABLE_END, TABLE_START, withConfigTable } from '../../src/config/readme.js';
import { SETTINGS } from '../../src/config/settings.js';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const FIX = 'run `node --import tsx scripts/config-table.ts` after changing src/config/settings.ts';

/** The README's configuration table as variable → default, read from the markdown itself. */
function readmeRows(): Map<string, string> {
  const section = README.slice(README.indexOf('## Configuration'), README.indexOf('\n## ', README.indexOf('## Configuration') + 1));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? '')?.[1];
    if (name) rows.set(name, cells[3].replace(/\\\|/g, '|'));
  }
  return rows;
}

describe('the README configuration table', () => {
  it('lists every setting of the table with the same default', () => {
    const rows = readmeRows();
    for (const [name, setting] of Object.entries(SETTINGS)) {
      expect(rows.has(name), `${name} is missing from README.md: ${FIX}`).toBe(true);
      expect(rows.get(name), `${name}'s default differs in README.md: ${FIX}`).toBe(defaultText(setting));
    }
  });

  it('names no setting the table does not know', () => {
    const unknown = [...readmeRows().keys()].filter((name) => !(name in SETTINGS));
    expect(unknown, `README.md documents settings the code never reads: ${FIX}`).toEqual([]);
  });

  it('is exactly what the table prints, between its markers', () => {
    expect(README).toContain(TABLE_START);
    expect(README).toContain(TABLE_END);
    expect(withConfigTable(README) === README, FIX).toBe(true);
  });

  it('notices a row that went stale', () => {
    const stale = README.replace('| `UPSTREAM_PAGE_SIZE` | integer, 1 to 200 | `200` |', '| `UPSTREAM_PAGE_SIZE` | integer, 1 to 200 | `100` |');
    expect(stale).not.toBe(README);
    expect(withConfigTable(stale)).toBe(README);
    expect(renderConfigTable()).toContain('| `UPSTREAM_PAGE_SIZE` | integer, 1 to 200 | `200` |');
  });
});
