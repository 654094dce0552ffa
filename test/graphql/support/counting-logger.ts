import type { Logger } from 'typeorm';

/** A TypeORM logger that records every SQL statement sent, for N+1 checks. */
export class CountingLogger implements Logger {
  statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  reset(): void {
    this.statements = [];
  }
}
