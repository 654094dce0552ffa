import { request } from 'undici';
import type { RemoteSubgraph } from './supergraph-config.js';
import { readAtMost } from './subgraph-sdl.js';
import type { SubgraphOutcome } from './subgraph-outcome.js';
import type { SupergraphSource } from './supergraph-source.js';

export interface SubgraphState {
  name: string;
  state: 'up' | 'down';
  /** Why it is down: the kind of failure, never a response body or a header. */
  reason?: string;
  /** Our own subgraph: served in this process, up whenever the database is. */
  inProcess?: true;
}

export interface GatewayReadiness {
  supergraph: { composedAt: string; lastFailure: { at: string; errors: readonly string[] } | null };
  subgraphs: SubgraphState[];
}

/** A probe's answer is reused this long: orchestrators probe every few seconds, often several at once. */
const FRESH_MS = 2_000;
const PROBE_BODY_BYTES = 65_536;
/** A readiness probe must answer quickly even when a subgraph hangs. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Each subgraph's state for `/readyz`: every remote subgraph is asked `{ __typename }` at its
 * routing URL (at most one probe in flight per subgraph; answers reused for two seconds), so a
 * subgraph that stopped shows as down at the next probe whether or not a query reached it, and
 * at once after a query found it unavailable.
 */
export class SubgraphHealth {
  private readonly probes = new Map<string, { at: number; state: Promise<SubgraphState> }>();

  constructor(private readonly source: SupergraphSource) {}

  /** A query found a subgraph unavailable: the next `/readyz` asks it afresh rather than trust an older probe. */
  observed(subgraph: string, outcome: SubgraphOutcome): void {
    if (outcome !== 'unavailable') return;
    for (const key of this.probes.keys()) if (key.startsWith(`${subgraph} `)) this.probes.delete(key);
  }

  async readiness(): Promise<GatewayReadiness> {
    const { config, composedAt } = this.source.current;
    const failure = this.source.lastFailure;
    const remotes = await Promise.all(config.remotes.map((remote) => this.stateOf(remote)));
    return {
      supergraph: { composedAt: composedAt.toISOString(), lastFailure: failure && { at: failure.at.toISOString(), errors: failure.errors } },
      subgraphs: [{ name: config.self.name, state: 'up', inProcess: true }, ...remotes],
    };
  }

  private stateOf(remote: RemoteSubgraph): Promise<SubgraphState> {
    const key = `${remote.name} ${remote.routingUrl}`;
    const known = this.probes.get(key);
    if (known && Date.now() - known.at < FRESH_MS) return known.state;
    const state = probe(remote);
    this.probes.set(key, { at: Date.now(), state });
    return state;
  }
}

async function probe(remote: RemoteSubgraph): Promise<SubgraphState> {
  const timeout = Math.min(remote.timeoutMs, PROBE_TIMEOUT_MS);
  try {
    const response = await request(remote.routingUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout),
    });
    // `{ __typename }` answers in a few dozen bytes; a probe never holds more than this.
    const body = (await readAtMost(response.body, PROBE_BODY_BYTES)) ?? '';
    if (response.statusCode >= 500) return { name: remote.name, state: 'down', reason: `HTTP ${response.statusCode}` };
    const answered = /"__typename"\s*:\s*"/.test(body);
    // A subgraph that refuses an anonymous probe (401/403) still answered: it is up.
    return answered || response.statusCode === 401 || response.statusCode === 403
      ? { name: remote.name, state: 'up' }
      : { name: remote.name, state: 'down', reason: `HTTP ${response.statusCode}, not a GraphQL answer` };
  } catch (error) {
    return { name: remote.name, state: 'down', reason: failureKind(error, timeout) };
  }
}

function failureKind(error: unknown, timeoutMs: number): string {
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT')) return `no answer within ${timeoutMs} ms`;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return `unreachable (${code})`;
  return 'unreachable';
}
