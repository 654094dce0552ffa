import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import type { BenchDatabase } from '../lib/database.js';
import { poolOptions } from '../lib/database.js';

/**
 * The ceiling of the nested query
 *   companies(first: 50) { nodes { people(first: 20) { nodes { opportunities { nodes { company { name } } } } } } }
 * answered by hand: four statements (the page of companies, each company's first 20 people and
 * each person's first 50 opportunities with ROW_NUMBER() over IN lists, the companies' names by
 * id), the response built as plain objects and JSON.stringify'd. No GraphQL, no ORM. It answers
 * that one query (whatever the body) at `POST /graphql`.
 */
const COMPANIES = 50;
const PEOPLE = 20;
const OPPORTUNITIES = 50;
export const CEILING_STATEMENTS_PER_REQUEST = 4;

type Row = RowDataPacket & Record<string, string | null>;

async function rows(pool: Pool, sql: string, params: unknown[]): Promise<Row[]> {
  const [result] = await pool.query<Row[]>(sql, params);
  return result;
}

export async function nestedResponse(pool: Pool): Promise<string> {
  const companies = await rows(pool, 'SELECT id FROM companies WHERE deleted_at IS NULL ORDER BY id LIMIT ?', [COMPANIES]);
  const companyIds = companies.map((c) => c.id!);
  const people = companyIds.length
    ? await rows(
        pool,
        'SELECT company_id, id FROM (SELECT company_id, id, ROW_NUMBER() OVER (PARTITION BY company_id ORDER BY id) AS rn FROM people WHERE company_id IN (?) AND deleted_at IS NULL) w WHERE rn <= ? ORDER BY company_id, rn',
        [companyIds, PEOPLE],
      )
    : [];
  const personIds = people.map((p) => p.id!);
  const opportunities = personIds.length
    ? await rows(
        pool,
        'SELECT primary_contact_id, company_id FROM (SELECT primary_contact_id, company_id, ROW_NUMBER() OVER (PARTITION BY primary_contact_id ORDER BY id) AS rn FROM opportunities WHERE primary_contact_id IN (?) AND deleted_at IS NULL) w WHERE rn <= ? ORDER BY primary_contact_id, rn',
        [personIds, OPPORTUNITIES],
      )
    : [];
  const referenced = [...new Set(opportunities.map((o) => o.company_id).filter((id): id is string => id !== null))];
  const names = referenced.length ? await rows(pool, 'SELECT id, name FROM companies WHERE id IN (?) AND deleted_at IS NULL', [referenced]) : [];

  const nameById = new Map(names.map((c) => [c.id!, c.name]));
  const opportunitiesOf = group(opportunities, 'primary_contact_id', (o) => ({ company: o.company_id !== null && nameById.has(o.company_id) ? { name: nameById.get(o.company_id) ?? null } : null }));
  const peopleOf = group(people, 'company_id', (p) => ({ opportunities: { nodes: opportunitiesOf.get(p.id!) ?? [] } }));
  const nodes = companyIds.map((id) => ({ people: { nodes: peopleOf.get(id) ?? [] } }));
  return JSON.stringify({ data: { companies: { nodes } } });
}

function group<T>(list: Row[], key: string, build: (row: Row) => T): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (const row of list) {
    const k = row[key]!;
    const bucket = byKey.get(k);
    if (bucket) bucket.push(build(row));
    else byKey.set(k, [build(row)]);
  }
  return byKey;
}

export async function startCeilingServer(database: BenchDatabase['config']): Promise<{ url: string; server: Server; pool: Pool }> {
  const pool = mysql.createPool(poolOptions(database, 10));
  const server = createServer((req, res) => {
    // The body is drained, not parsed: this server knows one query.
    req.resume();
    req.on('end', () => {
      nestedResponse(pool).then(
        (body) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body),
        (error: unknown) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server, pool };
}
