import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { shapeGatewayError, shapeSubgraphErrors } from '../../src/gateway/gateway-errors.js';

const unavailable = () =>
  new GraphQLError('connect ECONNREFUSED 10.0.3.7:4002', {
    path: ['companies', 'nodes', 'invoices'],
    extensions: { code: 'SUBREQUEST_HTTP_ERROR', serviceName: 'invoices', request: { method: 'POST', body: '{"variables":{"email":"ada@example.com"}}' } },
  });

describe('what a client sees of a supergraph error', () => {
  it('names a subgraph that did not answer, with the reason only when not masking, and never the request sent', () => {
    const open = shapeGatewayError(unavailable(), false);
    expect(open.message).toBe('Subgraph "invoices" did not answer: connect ECONNREFUSED 10.0.3.7:4002');
    expect(open.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'invoices' });
    const masked = shapeGatewayError(unavailable(), true);
    expect(masked.message).toBe('Subgraph "invoices" did not answer');
    expect(JSON.stringify(masked)).not.toMatch(/10\.0\.3\.7|ada@example/);
    expect(masked.path).toEqual(['companies', 'nodes', 'invoices']);
  });

  it('masks an unexpected error when masking, and keeps a client error as it is', () => {
    const internal = new GraphQLError('ER_LOCK_DEADLOCK at SELECT … password=hunter2', { originalError: new Error('driver') });
    expect(shapeGatewayError(internal, true)).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(shapeGatewayError(new Error('boom: secret'), true)).toMatchObject({ message: 'Internal server error' });
    const forbidden = new GraphQLError('You may not read companies: the token lacks read:companies', { extensions: { code: 'FORBIDDEN' } });
    expect(shapeGatewayError(forbidden, true)).toMatchObject({ message: forbidden.message, extensions: { code: 'FORBIDDEN' } });
  });

  it('calls a variable the gateway could not coerce BAD_USER_INPUT, with a bounded message', () => {
    const coercion = new GraphQLError(`Variable "$n" got invalid value "${'x'.repeat(5_000)}"; Int cannot represent non-integer value`);
    const shaped = shapeGatewayError(coercion, true);
    expect(shaped.extensions).toMatchObject({ code: 'BAD_USER_INPUT', http: { status: 400 } });
    expect(shaped.message.length).toBeLessThan(1_100);
    expect(shaped.message).toMatch(/more characters\)$/);
  });
});

describe('our subgraph’s errors on their way to the gateway', () => {
  it('a result without data failed on its variables: BAD_USER_INPUT', () => {
    const shaped = shapeSubgraphErrors({ errors: [new GraphQLError('Variable "$_v0_where" got invalid value "-2000-01-01"')] }, true);
    expect(shaped.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('a literal argument its scalar refuses, found while executing the field: BAD_USER_INPUT, data kept, message bounded', () => {
    const literal = `{closeDate: {notIn: ["0000-00-00", "${'9'.repeat(3_000)}"]}}`;
    // As graphql-js raises it: its own GraphQLError, wrapped with the path by locatedError.
    const refused = new GraphQLError(`Argument "where" has invalid value ${literal}.`, { path: ['opportunity'], originalError: new GraphQLError(`Argument "where" has invalid value ${literal}.`) });
    for (const mask of [true, false]) {
      const shaped = shapeSubgraphErrors({ data: { opportunity: null }, errors: [refused] }, mask);
      expect(shaped.data).toEqual({ opportunity: null });
      expect(shaped.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, path: ['opportunity'] });
      expect(shaped.errors?.[0]?.message).toMatch(/^Argument "where" has invalid value \{closeDate/);
      expect(shaped.errors?.[0]?.message.length).toBeLessThan(1_100);
    }
    // An error that merely mentions the words, raised by our code, is still ours.
    const ours = new GraphQLError('Argument "where" has invalid value {x}.', { originalError: new Error('x') });
    expect(shapeSubgraphErrors({ data: {}, errors: [ours] }, true).errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('keeps client codes, and masks the rest as INTERNAL_SERVER_ERROR when masking', () => {
    const errors = [new GraphQLError('no read:pii', { extensions: { code: 'FORBIDDEN' } }), new GraphQLError('SQLITE_BUSY: database is locked', { path: ['people'] })];
    const masked = shapeSubgraphErrors({ data: { people: null }, errors }, true);
    expect(masked.errors?.map((e) => [e.message, e.extensions.code])).toEqual([
      ['no read:pii', 'FORBIDDEN'],
      ['Internal server error', 'INTERNAL_SERVER_ERROR'],
    ]);
    const open = shapeSubgraphErrors({ data: { people: null }, errors }, false);
    expect(open.errors?.[1]).toMatchObject({ message: 'SQLITE_BUSY: database is locked', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
