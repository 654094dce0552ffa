import { makeHostile } from './hostile.js';
import { rngFor } from './random.js';
import { RECORD_BUILDERS, type DatasetWorld } from './record-builders.js';
import { HeaderGenerator, timestampKey, type DataShape, type RecordHeader } from './record-header.js';
import { checkResourceKeys, RESOURCE_TRAITS, SIMULATED_RESOURCES, type ResourceName, type UpstreamRecord } from './resources.js';
import { COMPANY_SUFFIXES, COMPANY_WORDS } from './vocabulary.js';

/**
 * A deterministic, lazily built dataset: record i of a resource is a pure function of
 * (seed, resource, i, options). Nothing but this small object is kept in memory, which is how a
 * million records "generate" instantly; the store asks for headers once and bodies per page.
 */

export interface DatasetOptions {
  /** Total regular records across the four resources (split 15/45/25/15 percent). */
  records: number;
  seed: number;
  /** Damage records the way real CRM data is damaged (see hostile.ts). */
  hostile?: boolean;
  /** Append two records per resource a correct client must reject: one without `id`, one with `id: "abc"`. */
  rejects?: boolean;
  /** Exact per-resource counts, overriding the split for the resources named. */
  counts?: Partial<Record<ResourceName, number>>;
  /** Per resource: this many records get a null or missing `date_modified` (half each), spread through the data. */
  nullCursors?: Partial<Record<ResourceName, number>>;
  /** Per resource: size of the same-second tie block (0: none). Default TIE_BLOCK_SIZE in resources of 1,000+ records. */
  tieBlock?: Partial<Record<ResourceName, number>>;
  /** The tie block shares `date_created` as well as `date_modified` (default false). */
  tieBlockSharesCreated?: boolean;
}

/** The options every resource shares. */
type CommonOptions = Required<Pick<DatasetOptions, 'records' | 'seed' | 'hostile' | 'rejects'>>;

const STREAM_BODY = 21;
const STREAM_HOSTILE = 22;
const STREAM_COMPANY_NAME = 23;
const STREAM_EMPLOYER = 24;

/** The ids of the two reject records, after the regular ones. */
const REJECT_IDS: readonly (string | undefined)[] = [undefined, 'abc'];

export class ResourceDataset {
  private readonly headers: HeaderGenerator;

  constructor(
    readonly resource: ResourceName,
    /** Regular records: indices [0, count). */
    readonly count: number,
    private readonly options: CommonOptions,
    private readonly world: DatasetWorld & { danglingId(resource: ResourceName, salt: number): number },
    shape: DataShape = {},
  ) {
    try {
      this.headers = new HeaderGenerator(options.seed, RESOURCE_TRAITS[resource].streamId, count, options.hostile, shape);
    } catch (error) {
      throw error instanceof RangeError ? new RangeError(`${resource}: ${error.message}`) : error;
    }
  }

  /** How many records share the tie block's `date_modified` by construction (0: no tie block). */
  get tieBlockSize(): number {
    return this.headers.tieBlockSize;
  }

  /** All served records, rejects included: indices [0, size). */
  get size(): number {
    return this.count + (this.options.rejects ? REJECT_IDS.length : 0);
  }

  /** The id of regular record `index` (a positive safe integer). */
  idAt(index: number): number {
    return this.headers.idAt(index);
  }

  /** The record index owning this id, or undefined (rejects have no usable id and are never found). */
  indexOfId(id: number): number | undefined {
    return this.headers.indexOfId(id);
  }

  /** Largest id of a regular record: new records are numbered after it. */
  maxId(): number {
    return this.headers.maxId();
  }

  danglingId(salt: number): number {
    return this.headers.danglingId(salt);
  }

  /** The id (unknown for rejects) and the timestamp sort keys of record `index`, without building it. */
  keyAt(index: number): { id: unknown; dateModifiedKey: number; dateCreatedKey: number } {
    const header = this.headers.headerAt(index);
    return {
      id: index < this.count ? header.id : REJECT_IDS[index - this.count],
      dateModifiedKey: timestampKey(header.dateModified),
      dateCreatedKey: timestampKey(header.dateCreated),
    };
  }

  /** A fresh copy of record `index` (callers may mutate it). */
  recordAt(index: number): UpstreamRecord {
    const record = this.build(index, this.headers.headerAt(index));
    if (index >= this.count) {
      const id = REJECT_IDS[index - this.count];
      if (id === undefined) delete record.id;
      else record.id = id;
    }
    return record;
  }

  /** A new record for index `index` (beyond the generated ones) with the given id and timestamps. */
  synthesize(index: number, id: number, timestamp: number): UpstreamRecord {
    return this.build(index, { id, createdAt: timestamp, dateCreated: timestamp, dateModified: timestamp });
  }

  *records(): Generator<UpstreamRecord> {
    for (let i = 0; i < this.size; i++) yield this.recordAt(i);
  }

  private build(index: number, header: RecordHeader): UpstreamRecord {
    const { seed, hostile } = this.options;
    const streamId = RESOURCE_TRAITS[this.resource].streamId;
    const record = RECORD_BUILDERS[this.resource]({
      index,
      header,
      createdAt: header.createdAt,
      rng: rngFor(seed, streamId, index, STREAM_BODY),
      world: this.world,
    });
    if (hostile) {
      makeHostile(record, {
        resource: this.resource,
        index,
        rng: rngFor(seed, streamId, index, STREAM_HOSTILE),
        danglingId: (resource) => this.world.danglingId(resource, index),
      });
    }
    // An absent timestamp must be absent from the JSON, not `undefined` in a copy.
    if (header.dateCreated === undefined) delete record.date_created;
    if (header.dateModified === undefined) delete record.date_modified;
    return record;
  }
}

export class Dataset implements DatasetWorld {
  readonly resources: Record<ResourceName, ResourceDataset>;
  readonly options: CommonOptions;

  constructor(options: DatasetOptions) {
    if (!Number.isSafeInteger(options.records) || options.records < 0) throw new RangeError('records must be a non-negative integer');
    this.options = { records: options.records, seed: options.seed, hostile: options.hostile ?? false, rejects: options.rejects ?? false };
    checkResourceKeys('nullCursors', options.nullCursors ?? {});
    checkResourceKeys('tieBlock', options.tieBlock ?? {});
    const counts = splitCounts(options.records, options.counts ?? {});
    const world = {
      count: (resource: ResourceName) => this.count(resource),
      idAt: (resource: ResourceName, index: number) => this.idAt(resource, index),
      companyNameAt: (index: number) => this.companyNameAt(index),
      personCompanyIndexAt: (index: number) => this.personCompanyIndexAt(index),
      danglingId: (resource: ResourceName, salt: number) => this.resources[resource].danglingId(salt),
    };
    this.resources = Object.fromEntries(
      SIMULATED_RESOURCES.map((resource) => [resource, new ResourceDataset(resource, counts[resource], this.options, world, shapeOf(options, resource))]),
    ) as Record<ResourceName, ResourceDataset>;
  }

  resource(name: ResourceName): ResourceDataset {
    return this.resources[name];
  }

  count(resource: ResourceName): number {
    return this.resources[resource].count;
  }

  idAt(resource: ResourceName, index: number): number {
    return this.resources[resource].idAt(index);
  }

  /** Company names come from their own stream so people and opportunities can denormalise them cheaply. */
  companyNameAt(index: number): string {
    const rng = rngFor(this.options.seed, RESOURCE_TRAITS.companies.streamId, index, STREAM_COMPANY_NAME);
    return `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_SUFFIXES)}`;
  }

  personCompanyIndexAt(index: number): number | null {
    const companies = this.count('companies');
    const rng = rngFor(this.options.seed, RESOURCE_TRAITS.people.streamId, index, STREAM_EMPLOYER);
    return companies === 0 || rng.chance(0.1) ? null : rng.int(0, companies - 1);
  }
}

/** Builds the deterministic dataset for these options (records are generated on demand). */
export function generateDataset(options: DatasetOptions): Dataset {
  return new Dataset(options);
}

function shapeOf(options: DatasetOptions, resource: ResourceName): DataShape {
  return {
    tieBlock: options.tieBlock?.[resource],
    tieBlockSharesCreated: options.tieBlockSharesCreated,
    nullCursors: options.nullCursors?.[resource],
  };
}

function splitCounts(total: number, fixed: Partial<Record<ResourceName, number>>): Record<ResourceName, number> {
  const counts = {} as Record<ResourceName, number>;
  for (const resource of SIMULATED_RESOURCES) counts[resource] = Math.floor(total * RESOURCE_TRAITS[resource].share);
  // Rounding leftovers go to people, the largest resource.
  counts.people += total - SIMULATED_RESOURCES.reduce((sum, resource) => sum + counts[resource], 0);
  return { ...counts, ...fixed } as Record<ResourceName, number>;
}
