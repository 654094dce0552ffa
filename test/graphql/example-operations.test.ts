import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildMirrorSchema } from '../../src/schema/build-schema.js';
import { EXAMPLE_OPERATIONS } from '../../src/web/example-operations.js';

describe('GraphiQL example operations', () => {
  it('are valid against the real schema', async () => {
    const schema = await buildMirrorSchema();
    expect(EXAMPLE_OPERATIONS.length).toBeGreaterThanOrEqual(6);
    for (const operation of EXAMPLE_OPERATIONS) {
      const errors = validate(schema, parse(operation.query)).map((e) => e.message);
      expect(errors, operation.query.split('\n').find((l) => l.startsWith('query') || l.startsWith('mutation') || l.startsWith('subscription'))).toEqual([]);
    }
  });
});
