import mysql from 'mysql2/promise';
import { SIMULATED_RESOURCES } from '../../src/simulator/index.js';
import { connectionOptions } from './database.js';

/**
 * Proof that the ceiling wrote what the engine writes: for each mirror table, the rows of two
 * databases on the same server compared column by column (`<=>`, NULL-safe), `synced_at` aside.
 */
export async function diffMirrorTables(serverUrl: string, a: string, b: string): Promise<Record<string, { rowsA: number; rowsB: number; differing: number }>> {
  const connection = await mysql.createConnection(connectionOptions(new URL(serverUrl)));
  try {
    const result: Record<string, { rowsA: number; rowsB: number; differing: number }> = {};
    for (const table of SIMULATED_RESOURCES) {
      const [columns] = await connection.query(
        'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
        [a, table],
      );
      const compared = (columns as { name: string }[]).map((c) => c.name).filter((name) => name !== 'synced_at');
      const same = compared.map((c) => `x.\`${c}\` <=> y.\`${c}\``).join(' AND ');
      const [[countA]] = (await connection.query(`SELECT COUNT(*) AS n FROM \`${a}\`.\`${table}\``)) as unknown as [[{ n: number }]];
      const [[countB]] = (await connection.query(`SELECT COUNT(*) AS n FROM \`${b}\`.\`${table}\``)) as unknown as [[{ n: number }]];
      const [[diff]] = (await connection.query(
        `SELECT COUNT(*) AS n FROM \`${a}\`.\`${table}\` x LEFT JOIN \`${b}\`.\`${table}\` y ON x.id = y.id WHERE y.id IS NULL OR NOT (${same})`,
      )) as unknown as [[{ n: number }]];
      result[table] = { rowsA: Number(countA.n), rowsB: Number(countB.n), differing: Number(diff.n) };
    }
    return result;
  } finally {
    await connection.end();
  }
}
