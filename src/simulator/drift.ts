import { Rng } from './random.js';
import { SIMULATED_RESOURCES, type ResourceName } from './resources.js';
import type { UpstreamStore } from './store.js';

/**
 * Drift: the upstream changing while a client pages through it. After every K-th search (or
 * with a probability per search) some records are modified (they move to the end of the
 * date_modified order), some removed (later pages shift back: offset paging skips records) and
 * some created. Victims are drawn from a seeded generator, so a run is repeatable.
 */

export interface DriftOptions {
  /** Drift after every K-th search request (default 10). Ignored when `probability` is set. */
  everyRequests?: number;
  /** Drift after each search with this probability instead. */
  probability?: number;
  /** Per drift event: how many records to modify, remove and create (defaults 2, 1, 1). */
  modify?: number;
  remove?: number;
  create?: number;
  /** `searched` (default): the resource that was just searched; `any`: a random resource per event. */
  scope?: 'searched' | 'any';
  seed?: number;
}

export interface DriftEvent {
  /** The search count (since drift was configured) after which this event happened. */
  afterSearch: number;
  resource: ResourceName;
  modified: number[];
  removed: number[];
  created: number[];
}

const KEPT_EVENTS = 1_000;

export class DriftController {
  private options: Required<Omit<DriftOptions, 'probability'>> & { probability?: number } | null = null;
  private rng = new Rng(1);
  private searches = 0;
  /** The most recent events (up to 1,000), oldest first. */
  readonly events: DriftEvent[] = [];
  readonly totals = { events: 0, modified: 0, removed: 0, created: 0 };

  constructor(
    private readonly store: UpstreamStore,
    options: DriftOptions | false = false,
  ) {
    this.configure(options);
  }

  get enabled(): boolean {
    return this.options !== null;
  }

  /** Replaces the drift settings (false turns drift off) and restarts the search count and the generator. */
  configure(options: DriftOptions | false): void {
    this.searches = 0;
    if (options === false) {
      this.options = null;
      return;
    }
    const everyRequests = options.everyRequests ?? 10;
    if (!Number.isInteger(everyRequests) || everyRequests < 1) throw new RangeError('drift.everyRequests must be a positive integer');
    this.options = {
      everyRequests,
      probability: options.probability,
      modify: options.modify ?? 2,
      remove: options.remove ?? 1,
      create: options.create ?? 1,
      scope: options.scope ?? 'searched',
      seed: options.seed ?? 1,
    };
    this.rng = new Rng(this.options.seed);
  }

  /** Called once a search has been answered: drifts if this search is due. */
  afterSearch(resource: ResourceName): DriftEvent | undefined {
    if (!this.options) return undefined;
    this.searches++;
    const due = this.options.probability === undefined
      ? this.searches % this.options.everyRequests === 0
      : this.rng.chance(this.options.probability);
    return due ? this.driftNow(resource) : undefined;
  }

  /** One drift event now, whatever the schedule (with the configured counts, or 2/1/1 if drift is off). */
  driftNow(searched: ResourceName): DriftEvent {
    const counts = this.options ?? { modify: 2, remove: 1, create: 1, scope: 'searched' };
    const resource = counts.scope === 'any' ? this.rng.pick(SIMULATED_RESOURCES) : searched;
    const table = this.store.table(resource);
    const event: DriftEvent = { afterSearch: this.searches, resource, modified: [], removed: [], created: [] };
    for (let i = 0; i < counts.modify; i++) {
      const id = table.randomLiveId(this.rng);
      if (id !== undefined && table.modify(id)) event.modified.push(id);
    }
    for (let i = 0; i < counts.remove; i++) {
      const id = table.randomLiveId(this.rng);
      if (id !== undefined && table.remove(id)) event.removed.push(id);
    }
    for (let i = 0; i < counts.create; i++) event.created.push(table.create().id as number);
    this.record(event);
    return event;
  }

  private record(event: DriftEvent): void {
    this.events.push(event);
    if (this.events.length > KEPT_EVENTS) this.events.shift();
    this.totals.events++;
    this.totals.modified += event.modified.length;
    this.totals.removed += event.removed.length;
    this.totals.created += event.created.length;
  }
}

/** Parses a command-line drift spec such as `every=20,modify=2,remove=1,create=1,scope=any,seed=7` (or `off`). */
export function parseDriftSpec(text: string): DriftOptions | false {
  if (text.trim() === 'off') return false;
  const options: DriftOptions = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=').map((part) => part.trim());
    if (key === 'scope') {
      if (value !== 'searched' && value !== 'any') throw new RangeError('drift scope must be searched or any');
      options.scope = value;
      continue;
    }
    const number = Number(value);
    if (!Number.isFinite(number)) throw new RangeError(`drift ${key} must be a number`);
    if (key === 'every') options.everyRequests = number;
    else if (key === 'probability' || key === 'modify' || key === 'remove' || key === 'create' || key === 'seed') options[key] = number;
    else throw new RangeError(`unknown drift setting "${key}" (known: every, probability, modify, remove, create, scope, seed)`);
  }
  return options;
}
