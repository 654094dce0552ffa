import autocannon from 'autocannon';

/** One GraphQL operation as sent by the load generator. */
export interface Operation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Extra request headers (a bearer token). */
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  socketErrors: number;
  /** 2xx responses whose body carries GraphQL `errors`. */
  graphqlErrors: number;
}

export const bodyOf = (operation: Operation): string => JSON.stringify({ query: operation.query, variables: operation.variables ?? {} });

/**
 * Loads `url` (127.0.0.1 only) with the operations, round robin per connection, for `seconds`
 * with `connections` connections and no pipelining; bounded in time and in count.
 */
export async function loadTest(url: string, operations: readonly Operation[], options: { seconds: number; connections: number }): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`load tests run against 127.0.0.1 only, got ${url}`);
  const result = await autocannon({
    url,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    // A hard cap besides the duration: no run can grow without bound.
    maxOverallRequests: 2_000_000,
    timeout: 30,
    requests: operations.map((operation) => ({ method: 'POST', path: new URL(url).pathname, headers: { 'content-type': 'application/json', ...operation.headers }, body: bodyOf(operation) })),
    // Apollo and graphql-http put errors in the body of a 200: count them.
    verifyBody: (body) => typeof body === 'string' && !body.includes('"errors":['),
  });
  const requests = result.requests.total;
  return {
    requests,
    seconds: result.duration,
    requestsPerSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    graphqlErrors: result.mismatches,
  };
}

/** POSTs one operation and returns the parsed body (throws on a non-2xx or GraphQL errors). */
export async function queryOnce<T = unknown>(url: string, operation: Operation): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...operation.headers }, body: bodyOf(operation) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${operation.name}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`${operation.name}: GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body as T;
}
