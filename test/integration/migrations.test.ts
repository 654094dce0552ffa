import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type MirrorDataSource } from '../../src/db/data-source.js';
import { Person } from '../../src/entities/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let db: TestDatabase;
  let ds: MirrorDataSource;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ds = await openDatabase(db.config);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('leave no difference between the migrated schema and the entities', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('are idempotent: running them again applies nothing', async () => {
    const applied = await ds.runMigrations();
    expect(applied).toEqual([]);
    expect(await ds.showMigrations()).toBe(false);
  });

  it('create the four mirror tables and the sync tables', async () => {
    const runner = ds.createQueryRunner();
    try {
      for (const table of ['people', 'companies', 'opportunities', 'projects', 'sync_state', 'sync_runs', 'sync_rejects']) {
        expect(await runner.hasTable(table), table).toBe(true);
      }
      const people = await runner.getTable('people');
      const columns = new Map(people!.columns.map((c) => [c.name, c]));
      for (const name of ['id', 'company_id', 'assignee_id', 'address_street', 'address_postal_code', 'emails', 'raw', 'synced_at', 'deleted_at']) {
        expect(columns.has(name), name).toBe(true);
      }
      expect(columns.get('id')!.type).toBe(dialect === 'mysql' ? 'bigint' : 'bigint');
      const indexed = people!.indices.flatMap((i) => i.columnNames);
      expect(indexed).toEqual(expect.arrayContaining(['company_id', 'date_modified']));
      const opportunities = await runner.getTable('opportunities');
      expect(opportunities!.indices.flatMap((i) => i.columnNames)).toEqual(
        expect.arrayContaining(['company_id', 'primary_contact_id', 'date_modified']),
      );
      const projects = await runner.getTable('projects');
      expect(projects!.indices.flatMap((i) => i.columnNames)).toEqual(
        expect.arrayContaining(['related_resource_id', 'related_resource_type', 'date_modified']),
      );
    } finally {
      await runner.release();
    }
  });

  it('store 70 KB details, 4-byte characters and ids above 2^53 / 2^32 without loss', async () => {
    const details = '🦄 détails '.repeat(7_000); // ~84 KB of UTF-8
    const id = '9007199254740993'; // 2^53 + 1: only exact as a string
    await ds.getRepository(Person).insert({
      id,
      name: 'Zoë 🚀 𝒜',
      details,
      companyId: '4294967297',
      raw: { id: 1, name: 'Zoë 🚀 𝒜' },
      syncedAt: new Date('2026-01-02T03:04:05Z'),
      deletedAt: null,
    });
    const row = await ds.getRepository(Person).findOneByOrFail({ id });
    expect(row.details).toBe(details);
    expect(row.name).toBe('Zoë 🚀 𝒜');
    expect(row.companyId).toBe('4294967297');
    expect(row.syncedAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    if (dialect === 'mysql') expect(row.id).toBe(id);
  });
});

describe('MySQL column types', () => {
  it('are BIGINT ids, utf8mb4 text and MEDIUMTEXT details', async () => {
    const db = await createTestDatabase('mysql');
    const ds = await openDatabase(db.config);
    try {
      const rows: { COLUMN_NAME: string; DATA_TYPE: string; CHARACTER_SET_NAME: string | null; TABLE_NAME: string }[] =
        await ds.query(
          `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()`,
        );
      const type = (table: string, column: string) =>
        rows.find((r) => r.TABLE_NAME === table && r.COLUMN_NAME === column)?.DATA_TYPE;
      for (const table of ['people', 'companies', 'opportunities', 'projects']) {
        expect(type(table, 'id')).toBe('bigint');
        expect(type(table, 'details')).toBe('mediumtext');
        expect(type(table, 'date_modified')).toBe('datetime');
      }
      expect(type('people', 'company_id')).toBe('bigint');
      expect(type('opportunities', 'primary_contact_id')).toBe('bigint');
      expect(type('opportunities', 'monetary_value')).toBe('decimal');
      expect(type('opportunities', 'close_date')).toBe('date');
      const charsets = new Set(rows.map((r) => r.CHARACTER_SET_NAME).filter(Boolean));
      expect([...charsets]).toEqual(['utf8mb4']);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
