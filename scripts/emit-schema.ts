/**
 * Writes the subgraph SDL to schema.graphql at the repository root (`npm run schema:emit`).
 * A test fails when the committed file and the code disagree.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printMirrorSchema } from '../src/schema/build-schema.js';

const SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');

async function main(): Promise<void> {
  writeFileSync(SCHEMA_FILE, await printMirrorSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
