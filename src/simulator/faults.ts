import { Rng } from './random.js';

/**
 * A fault plan, switchable at runtime: what goes wrong with the next API requests. An explicit
 * queue (consumed one fault per request, in order) wins over the random mode, so a test can say
 * "503, 503, reset, then normal" and know exactly what the client saw.
 */

export const FAULT_KINDS = [
  '429', // Retry-After in seconds
  '429-date', // Retry-After as an HTTP date
  '429-bare', // no Retry-After at all
  '500',
  '502',
  '503',
  '504',
  'reset', // the socket is destroyed without a response
  'slow', // the normal response, delayed
  'non-json', // 200 with an HTML body
  'truncated', // 200 with the JSON cut in half
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** For the 429 kinds (default: the plan's retryAfterSeconds). */
  retryAfterSeconds?: number;
  /** For `slow` (default: the plan's slowMs). */
  delayMs?: number;
}

export type FaultSpec = FaultKind | Fault;

export interface RandomFaults {
  /** Probability that a request gets a fault, 0 to 1. */
  rate: number;
  /** Drawn uniformly for each faulted request. */
  kinds: readonly FaultSpec[];
  /** Seed of the draws (default 1), so a random run is repeatable. */
  seed?: number;
}

export interface FaultPlanOptions {
  queue?: readonly FaultSpec[];
  random?: RandomFaults | null;
  /** Default Retry-After for 429s (default 1 s: keeps tests quick). */
  retryAfterSeconds?: number;
  /** Default delay of `slow` (default 1,000 ms). */
  slowMs?: number;
}

export class FaultPlan {
  private readonly queue: Fault[] = [];
  private random: { rate: number; kinds: Fault[]; rng: Rng } | null = null;
  private readonly retryAfterSeconds: number;
  private readonly slowMs: number;
  /** How many faults of each kind were handed out. */
  readonly injected: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

  constructor(options: FaultPlanOptions = {}) {
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.slowMs = options.slowMs ?? 1_000;
    if (options.queue) this.enqueue(options.queue);
    if (options.random) this.setRandom(options.random);
  }

  /** Appends faults for the next requests, one each, after any still queued. */
  enqueue(faults: readonly FaultSpec[]): void {
    this.queue.push(...faults.map((spec) => this.normalise(spec)));
  }

  /** Turns random faults on (or off with null); queued faults still come first. */
  setRandom(random: RandomFaults | null): void {
    if (random === null) {
      this.random = null;
      return;
    }
    if (!(random.rate >= 0 && random.rate <= 1)) throw new RangeError('random fault rate must be between 0 and 1');
    if (random.kinds.length === 0 && random.rate > 0) throw new RangeError('random faults need at least one kind');
    this.random = { rate: random.rate, kinds: random.kinds.map((spec) => this.normalise(spec)), rng: new Rng(random.seed ?? 1) };
  }

  /** No queued and no random faults: every request behaves. */
  clear(): void {
    this.queue.length = 0;
    this.random = null;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The fault for the request being handled now, if any (consumes it). */
  take(): Fault | undefined {
    const fault = this.queue.shift() ?? this.drawRandom();
    if (fault) this.injected[fault.kind]++;
    return fault;
  }

  private drawRandom(): Fault | undefined {
    if (!this.random || !this.random.rng.chance(this.random.rate)) return undefined;
    return this.random.rng.pick(this.random.kinds);
  }

  private normalise(spec: FaultSpec): Fault {
    const fault = typeof spec === 'string' ? { kind: spec } : { ...spec };
    if (!FAULT_KINDS.includes(fault.kind)) throw new RangeError(`unknown fault kind "${String(fault.kind)}" (known: ${FAULT_KINDS.join(', ')})`);
    if (fault.kind.startsWith('429')) fault.retryAfterSeconds ??= this.retryAfterSeconds;
    if (fault.kind === 'slow') fault.delayMs ??= this.slowMs;
    return fault;
  }
}

/**
 * Parses a command-line fault spec: a comma-separated queue (`503,503,reset`) or random faults
 * (`random:0.05:503,429,reset`, optionally `random:0.05:503,reset:SEED`).
 */
export function parseFaultSpec(text: string): FaultPlanOptions {
  const parts = text.split(':');
  if (parts[0] !== 'random') return { queue: splitKinds(text) };
  const rate = Number(parts[1]);
  const seed = parts[3] === undefined ? undefined : Number(parts[3]);
  return { random: { rate, kinds: splitKinds(parts[2] ?? ''), seed } };
}

function splitKinds(list: string): FaultKind[] {
  return list.split(',').map((kind) => kind.trim()).filter(Boolean) as FaultKind[];
}
