import type { DataSource } from 'typeorm';

/**
 * Whether the database can build a whole answer as JSON in one statement the way the compiler
 * writes it: MariaDB 10.6 or later (JSON_ARRAYAGG with ORDER BY and LIMIT arrived in 10.5; 10.6
 * is the oldest release we hold to embedding JSON columns as JSON, and the suite runs on 10.11).
 * MySQL 8 has JSON_ARRAYAGG without ORDER BY or LIMIT: it would need LATERAL derived tables, a
 * different compiler this project has no MySQL server to test against, so MySQL and SQLite stay
 * on the loaders. The version is the one TypeORM read when it connected.
 */
export const MIN_MARIADB = [10, 6] as const;

const known = new WeakMap<DataSource, boolean>();

export function buildsJsonAnswers(dataSource: DataSource): boolean {
  let answer = known.get(dataSource);
  if (answer === undefined) known.set(dataSource, (answer = readVersion(dataSource)));
  return answer;
}

function readVersion(dataSource: DataSource): boolean {
  if (dataSource.options.type !== 'mariadb') return false;
  const version = (dataSource.driver as { version?: string }).version ?? '';
  const [major, minor] = (/^(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  if (major === undefined || minor === undefined) return false;
  return major > MIN_MARIADB[0] || (major === MIN_MARIADB[0] && minor >= MIN_MARIADB[1]);
}
