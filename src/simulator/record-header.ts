import { rngFor } from './random.js';

/**
 * The part of a generated record the store must know for every record up front: its id and
 * its two timestamps. Computed from (seed, resource, index) alone, so the store can sort a
 * million records by `date_modified` without ever building their bodies.
 */

/** Generated data ends here (2024-01-01T00:00:00Z): fixed, so a seed means the same data on any day. */
export const DATASET_END = 1_704_067_200;
/** Generated creation dates spread over the four years before `DATASET_END`. */
export const DATASET_SPAN = 4 * 365 * 86_400;
const DATASET_START = DATASET_END - DATASET_SPAN;

/**
 * By default, in a resource of at least 1,000 records, this many consecutive records share one
 * `date_modified`: more than two pages of 200, so a client that pages by timestamp alone
 * (`minimum_modified_date = last seen`) loops or skips unless it handles ties.
 */
export const TIE_BLOCK_SIZE = 500;
export const TIE_BLOCK_MIN_RESOURCE_SIZE = 1_000;
/** The second the tie block was written in. */
export const TIE_INSTANT = DATASET_END - 45 * 86_400;

/** "Bulk update" instants shared by a few percent of records: smaller ties all over the range. */
const BULK_INSTANTS = 24;

/** Hostile ids live above 2^32 (still safe integers): they break 32-bit columns and int parsing. */
export const BIG_ID_BASE = 2 ** 32;
/** About 1% of hostile records (every 97th) get a big id. */
const BIG_ID_MODULUS = 97;
const BIG_ID_REMAINDER = 13;

const STREAM_ID = 11;
const STREAM_DATES = 12;

/** `undefined` means the field is absent from the record; `null` means present and null. */
export type Timestamp = number | null | undefined;

export interface RecordHeader {
  id: number;
  /** The creation time before hostile mode blanked it: derived dates (last contacted, ...) hang off it. */
  createdAt: number;
  dateCreated: Timestamp;
  dateModified: Timestamp;
}

/** The sort and filter key of a timestamp: a null or missing `date_modified` counts as 0. */
export function timestampKey(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Shapes of one resource's data a sync must survive, beyond hostile values. */
export interface DataShape {
  /** Size of the same-second tie block; undefined: TIE_BLOCK_SIZE in a resource of 1,000+ records, else none. */
  tieBlock?: number;
  /** The tie block shares `date_created` too (a bulk import writes both in one second). */
  tieBlockSharesCreated?: boolean;
  /** This many records (outside the tie block) get a null or missing `date_modified`, half each. */
  nullCursors?: number;
}

export class HeaderGenerator {
  private readonly tieStart: number;
  private readonly tieSize: number;
  /** Records whose `date_modified` is blanked: null, or absent from the record. */
  private readonly nullCursors = new Map<number, 'null' | 'missing'>();

  constructor(
    private readonly seed: number,
    private readonly streamId: number,
    /** Number of regular records: spreads creation dates and sizes the tie block. */
    private readonly count: number,
    private readonly hostile: boolean,
    private readonly shape: DataShape = {},
  ) {
    if (shape.tieBlock !== undefined && (!Number.isSafeInteger(shape.tieBlock) || shape.tieBlock < 0)) {
      throw new RangeError(`tieBlock must be a non-negative integer, got ${shape.tieBlock}`);
    }
    this.tieSize = Math.min(shape.tieBlock ?? (count >= TIE_BLOCK_MIN_RESOURCE_SIZE ? TIE_BLOCK_SIZE : 0), count);
    this.tieStart = Math.min(Math.floor(count * 0.3), count - this.tieSize);
    this.spreadNullCursors(shape.nullCursors ?? 0);
  }

  /** How many records share the tie instant by construction. */
  get tieBlockSize(): number {
    return this.tieSize;
  }

  /**
   * Ids grow with the index (like creation order) with random gaps; record i owns the id
   * slot [3i+1, 3i+3], which keeps ids unique and lets `indexOfId` invert them.
   */
  idAt(index: number): number {
    const jitter = rngFor(this.seed, this.streamId, index, STREAM_ID).int(0, 2);
    return (this.isBigId(index) ? BIG_ID_BASE : 1) + 3 * index + jitter;
  }

  /** The index of the regular record with this id, or undefined. */
  indexOfId(id: number): number | undefined {
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    const base = id >= BIG_ID_BASE ? BIG_ID_BASE : 1;
    const index = Math.floor((id - base) / 3);
    return index < this.count && this.idAt(index) === id ? index : undefined;
  }

  /** Largest regular id: ids grow with the index within each range, so only each range's last record counts. */
  maxId(): number {
    if (this.count === 0) return 0;
    let max = this.idAt(this.count - 1);
    if (this.hostile && this.count > BIG_ID_REMAINDER) {
      max = Math.max(max, this.idAt(BIG_ID_REMAINDER + BIG_ID_MODULUS * Math.floor((this.count - 1 - BIG_ID_REMAINDER) / BIG_ID_MODULUS)));
    }
    return max;
  }

  /** An id no regular record has (nor will, unless ~millions of records are created later). */
  danglingId(salt: number): number {
    return 3 * this.count + 1_000 + salt;
  }

  headerAt(index: number): RecordHeader {
    const rng = rngFor(this.seed, this.streamId, index, STREAM_DATES);
    const share = this.count > 0 ? Math.min(index / this.count, 1) : 0;
    let created = Math.min(DATASET_START + Math.floor(share * DATASET_SPAN) + rng.int(0, 3_599), DATASET_END - 1);
    let modified: number;
    const roll = rng.next();
    if (this.inTieBlock(index)) {
      modified = TIE_INSTANT;
      // Never created after it was modified; a bulk import writes both in its one second.
      created = this.shape.tieBlockSharesCreated ? TIE_INSTANT : Math.min(created, TIE_INSTANT);
    } else if (roll < 0.3) modified = created; // never edited since creation
    else if (roll < 0.36) modified = nextBulkInstant(created) ?? created;
    else modified = created + rng.int(0, DATASET_END - created);
    return {
      id: this.idAt(index),
      createdAt: created,
      dateCreated: this.hostile ? hostileTimestamp(created, index, 503, 5, 9) : created,
      dateModified: this.modifiedAsServed(index, modified),
    };
  }

  private modifiedAsServed(index: number, modified: number): Timestamp {
    const blanked = this.nullCursors.get(index);
    if (blanked === 'null') return null;
    if (blanked === 'missing') return undefined;
    return this.hostile ? hostileTimestamp(modified, index, 499, 7, 11) : modified;
  }

  private inTieBlock(index: number): boolean {
    return index >= this.tieStart && index < this.tieStart + this.tieSize;
  }

  /** Evenly over the records outside the tie block, so null cursors sit all through the data, not in one run. */
  private spreadNullCursors(wanted: number): void {
    const outside = this.count - this.tieSize;
    if (!Number.isSafeInteger(wanted) || wanted < 0 || wanted > outside) {
      throw new RangeError(`nullCursors must be an integer from 0 to ${outside} (the records outside the tie block), got ${wanted}`);
    }
    for (let k = 0; k < wanted; k++) {
      const position = Math.floor(((k + 0.5) * outside) / wanted);
      const index = position < this.tieStart ? position : position + this.tieSize;
      this.nullCursors.set(index, k % 2 === 0 ? 'null' : 'missing');
    }
  }

  private isBigId(index: number): boolean {
    return this.hostile && index % BIG_ID_MODULUS === BIG_ID_REMAINDER;
  }
}

function nextBulkInstant(after: number): number | undefined {
  const step = DATASET_SPAN / BULK_INSTANTS;
  const k = Math.ceil((after - DATASET_START) / step);
  return k <= BULK_INSTANTS ? DATASET_START + Math.round(k * step) : undefined;
}

/** Index-based (not random) so that even a small hostile dataset has a few null and missing timestamps. */
function hostileTimestamp(value: number, index: number, modulus: number, nullAt: number, missingAt: number): Timestamp {
  const r = index % modulus;
  if (r === nullAt) return null;
  if (r === missingAt) return undefined;
  return value;
}
