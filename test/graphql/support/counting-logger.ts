import { StatementCounter } from '../../../src/db/statement-counter.js';

/** The shared statement counter, keeping every statement so N+1 tests can show what ran. */
export class CountingLogger extends StatementCounter {
  constructor() {
    super();
    this.keep = true;
  }

  get statements(): readonly string[] {
    return this.kept;
  }
}
