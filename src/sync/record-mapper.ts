import type { CloseDateFormat } from '../config.js';
import { mirrorFieldsOf, type MirrorFieldSpec } from '../entities/mirror-column.js';
import { COERCIONS, coerceId } from './value-coercions.js';

/**
 * Upstream record → row of the resource's table, generic over the entity through the mirror
 * field registry (one mapper for the four resources). Every mirrored column gets a value, null
 * when the field is missing or does not fit its type, so an upsert overwrites stale values.
 * `raw` is the record exactly as received; `syncedAt` and `deletedAt` are the writer's.
 */

/** A row as TypeORM's insert takes it: properties, embedded values as nested objects. */
export type MirrorRow = Record<string, unknown> & { id: string; raw: object };

export type MappedRecord = { ok: true; row: MirrorRow } | { ok: false; reason: string };

export type RecordMapper = (record: unknown) => MappedRecord;

export function createRecordMapper(entity: abstract new () => object, options: { closeDateFormat: CloseDateFormat }): RecordMapper {
  const fields = mirrorFieldsOf(entity);
  const contexts = fields.map((field) => ({ field, closeDateFormat: options.closeDateFormat }));
  return (record) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return { ok: false, reason: `not a JSON object (got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record})` };
    }
    const source = record as Record<string, unknown>;
    const idProblem = checkId(source);
    if (idProblem) return { ok: false, reason: idProblem };
    const row: Record<string, unknown> = { id: coerceId(source.id), raw: record };
    fields.forEach((field, i) => {
      const value = COERCIONS[field.kind](read(source, field), contexts[i]);
      if (field.embeddedIn) ((row[field.embeddedIn] ??= {}) as Record<string, unknown>)[field.property] = value;
      else row[field.property] = value;
    });
    return { ok: true, row: row as MirrorRow };
  };
}

/** A page's records as rows, and those that cannot be keyed with the reason (kept as rejects, never dropped). */
export function mapRecords(mapper: RecordMapper, records: readonly unknown[]): { rows: MirrorRow[]; rejects: { reason: string; payload: unknown }[] } {
  const rows: MirrorRow[] = [];
  const rejects: { reason: string; payload: unknown }[] = [];
  for (const record of records) {
    const mapped = mapper(record);
    if (mapped.ok) rows.push(mapped.row);
    else rejects.push({ reason: mapped.reason, payload: record });
  }
  return { rows, rejects };
}

/** Why a record cannot be keyed, or undefined when its id is usable. */
function checkId(record: Record<string, unknown>): string | undefined {
  if (!('id' in record)) return 'missing id';
  if (coerceId(record.id) !== null) return undefined;
  const shown = JSON.stringify(record.id) ?? String(record.id);
  return `id ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown} is not a positive integer (a safe integer or a digit string)`;
}

function read(record: Record<string, unknown>, field: MirrorFieldSpec): unknown {
  let value: unknown = record;
  for (const key of field.upstream) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
