import type { Logger } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements sent (by their first keyword), without
 * keeping them: a million-record sync sends tens of thousands.
 */
export class StatementCounter implements Logger {
  total = 0;
  readonly byKind = new Map<string, number>();
  /** When set, statements are also kept (for a single request). */
  keep = false;
  readonly kept: string[] = [];

  logQuery(query: string): void {
    this.total++;
    const kind = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? '?';
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (this.keep) this.kept.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  reset(): void {
    this.total = 0;
    this.byKind.clear();
    this.kept.length = 0;
  }

  snapshot(): { total: number; byKind: Record<string, number> } {
    return { total: this.total, byKind: Object.fromEntries(this.byKind) };
  }
}
