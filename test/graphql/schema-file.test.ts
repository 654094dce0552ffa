import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildMirrorSchema, printMirrorSchema } from '../../src/schema/build-schema.js';

const SCHEMA_FILE = join(__dirname, '..', '..', 'schema.graphql');

describe('schema.graphql', () => {
  it('is what the code builds (run `npm run schema:emit` after changing the schema)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printMirrorSchema());
  });

  it('keeps the public contract: names of types, root fields, enums and arguments', async () => {
    const sdl = await printMirrorSchema();
    const schema = await buildMirrorSchema();
    const query = schema.getQueryType()!.getFields();
    for (const name of ['person', 'company', 'opportunity', 'project', 'people', 'companies', 'opportunities', 'projects', 'opportunityStats', 'syncStatus', 'syncRuns']) {
      expect(query[name], name).toBeDefined();
    }
    expect(query.people.args.map((a) => a.name)).toEqual(['first', 'after', 'last', 'before', 'where', 'orderBy', 'includeDeleted']);
    const resync = schema.getMutationType()!.getFields().resync;
    expect(resync.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['resources: [Resource!]', 'mode: SyncMode', 'wait: Boolean']);
    expect(String(resync.type)).toBe('[SyncRun!]!');
    expect(sdl).toMatch(/enum Resource {\s+COMPANIES\s+PEOPLE\s+OPPORTUNITIES\s+PROJECTS\s+}/);
    expect(sdl).toMatch(/enum SyncMode {\s+INCREMENTAL\s+FULL\s+}/);
    expect(sdl).toContain('union RelatedRecord = Company | Person | Opportunity');
    const connection = schema.getType('PersonConnection');
    expect(isObjectType(connection) && Object.keys(connection.getFields())).toEqual(['edges', 'nodes', 'pageInfo', 'totalCount']);
  });
});
