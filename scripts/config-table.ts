/**
 * Rewrites the configuration table in README.md from src/config/settings.ts
 * (`node --import tsx scripts/config-table.ts`). test/unit/config-readme.test.ts fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConfigTable } from '../src/config/readme.js';

const README = join(__dirname, '..', 'README.md');

const before = readFileSync(README, 'utf8');
const after = withConfigTable(before);
if (after !== before) writeFileSync(README, after);
process.stdout.write(after === before ? `${README}: configuration table already up to date\n` : `rewrote the configuration table in ${README}\n`);
