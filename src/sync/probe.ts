import type { CapabilityName, Findings } from './capabilities.js';
import { idOf, keyOf, type SearchBody, type SortField } from './page-check.js';
import type { ResourceSearch } from './resource-search.js';

/**
 * Finds out, with about ten cheap requests, what a resource's search honours: each sort
 * direction (is the page in that order, over at least two distinct keys?), each range bound (a
 * bound strictly inside the first page's keys must drop the records outside it), `ids` (two
 * known ids must return exactly those two), and whether ties come back in the same order from
 * two identical requests. A request that cannot tell (too few records, no ties, a page that
 * changed under it) leaves that capability null: unproven, so the assumption stands.
 */
export interface ProbeResult {
  findings: Findings;
  notes: Partial<Record<CapabilityName, string>>;
}

const BOUNDS: Record<SortField, { min: CapabilityName; max: CapabilityName; minBody: keyof SearchBody; maxBody: keyof SearchBody }> = {
  date_modified: { min: 'modifiedMin', max: 'modifiedMax', minBody: 'minimum_modified_date', maxBody: 'maximum_modified_date' },
  date_created: { min: 'createdMin', max: 'createdMax', minBody: 'minimum_created_date', maxBody: 'maximum_created_date' },
};
const SORTS: Record<SortField, { asc: CapabilityName; desc: CapabilityName }> = {
  date_modified: { asc: 'sortModifiedAsc', desc: 'sortModifiedDesc' },
  date_created: { asc: 'sortCreatedAsc', desc: 'sortCreatedDesc' },
};

export async function probeResource(search: ResourceSearch, pageSize: number): Promise<ProbeResult> {
  const result: ProbeResult = { findings: {}, notes: {} };
  const set = (name: CapabilityName, value: boolean | null, note: string) => {
    result.findings[name] = value;
    result.notes[name] = note;
  };
  const page = (body: Omit<SearchBody, 'page_number' | 'page_size'>) => search.page({ page_number: 1, page_size: pageSize, ...body }).then((r) => r.records);
  const first: FirstPage[] = [];
  for (const field of ['date_modified', 'date_created'] as const) {
    const asc = await page({ sort_by: field, sort_direction: 'asc' });
    const desc = await page({ sort_by: field, sort_direction: 'desc' });
    first.push({ field, direction: 'asc', records: asc }, { field, direction: 'desc', records: desc });
    const distinct = new Set(asc.map((r) => keyOf(r, field)).filter((k) => k !== null)).size;
    for (const [direction, records] of [['asc', asc], ['desc', desc]] as const) {
      const name = SORTS[field][direction];
      if (distinct < 2) set(name, null, `fewer than two distinct ${field} values on the first page: proves nothing`);
      else if (sorted(records, field, direction)) set(name, true, `${records.length} records in ${field} ${direction} order`);
      else set(name, false, `the first page came back out of ${field} ${direction} order`);
    }
    await probeBounds(field, asc, page, set);
  }
  await probeIds(first[0].records, search, pageSize, set);
  await probeTies(first, page, set);
  return result;
}

interface FirstPage {
  field: SortField;
  direction: 'asc' | 'desc';
  records: unknown[];
}

type PageFn = (body: Omit<SearchBody, 'page_number' | 'page_size'>) => Promise<unknown[]>;
type SetFn = (name: CapabilityName, value: boolean | null, note: string) => void;

/** A minimum above the smallest key and a maximum below the largest must each drop a record. */
async function probeBounds(field: SortField, sample: unknown[], page: PageFn, set: SetFn): Promise<void> {
  const keys = [...new Set(sample.map((r) => keyOf(r, field)).filter((k): k is number => k !== null))].sort((a, b) => a - b);
  const names = BOUNDS[field];
  if (keys.length < 2) {
    set(names.min, null, `fewer than two distinct ${field} values: proves nothing`);
    set(names.max, null, `fewer than two distinct ${field} values: proves nothing`);
    return;
  }
  const low = keys[1];
  const high = keys[keys.length - 2];
  const above = await page({ sort_by: field, sort_direction: 'asc', [names.minBody]: low });
  judge(names.min, above, (k) => k >= low, `${names.minBody} ${low}`, set, field);
  const below = await page({ sort_by: field, sort_direction: 'asc', [names.maxBody]: high });
  judge(names.max, below, (k) => k <= high, `${names.maxBody} ${high}`, set, field);
}

function judge(name: CapabilityName, records: unknown[], inside: (key: number) => boolean, sent: string, set: SetFn, field: SortField): void {
  // Null keys prove nothing either way (where an API sorts them is its own business).
  const outside = records.filter((r) => {
    const key = keyOf(r, field);
    return key !== null && !inside(key);
  }).length;
  if (outside > 0) set(name, false, `${sent} returned ${outside} records outside it`);
  else if (records.length === 0) set(name, null, `${sent} returned nothing: proves nothing`);
  else set(name, true, `${sent} returned only the ${records.length} records inside it`);
}

async function probeIds(sample: unknown[], search: ResourceSearch, pageSize: number, set: SetFn): Promise<void> {
  const ids = [...new Set(sample.map(idOf).filter((id): id is string => id !== null))];
  if (ids.length < 2 || sample.length < 3) return set('ids', null, 'too few records with ids: proves nothing');
  const asked = [ids[0], ids[ids.length - 1]];
  const { records } = await search.page({ page_number: 1, page_size: pageSize, ids: asked.map(Number) });
  const got = records.map(idOf);
  if (got.some((id) => id === null || !asked.includes(id))) set('ids', false, `ids [${asked.join(', ')}] returned ${records.length} records, others among them`);
  else if (new Set(got).size === 2) set('ids', true, `ids [${asked.join(', ')}] returned exactly those two`);
  else set('ids', null, `ids [${asked.join(', ')}] returned ${records.length} of them (one deleted meanwhile?): proves nothing`);
}

/** The same request twice (one of the first pages with a tie): records sharing a key must come back in the same order. */
async function probeTies(first: readonly FirstPage[], page: PageFn, set: SetFn): Promise<void> {
  for (const { field, direction, records } of first) {
    if (!hasTie(records, field)) continue;
    const again = await page({ sort_by: field, sort_direction: direction });
    const order = (rs: unknown[]) => rs.map(idOf).join(',');
    if (order(again) === order(records)) return set('stableTies', true, `two identical requests ordered the ties on ${field} alike`);
    const sameSet = new Set(records.map(idOf));
    if (again.length === records.length && again.every((r) => sameSet.has(idOf(r)))) {
      return set('stableTies', false, `two identical requests ordered the ties on ${field} differently`);
    }
    return set('stableTies', null, 'the page changed between two identical requests: proves nothing');
  }
  set('stableTies', null, 'no ties on the first pages: proves nothing');
}

function hasTie(records: unknown[], field: SortField): boolean {
  const seen = new Set<number>();
  for (const record of records) {
    const key = keyOf(record, field);
    if (key === null) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function sorted(records: unknown[], field: SortField, direction: 'asc' | 'desc'): boolean {
  const rank = (record: unknown) => {
    const key = keyOf(record, field);
    if (key === null) return direction === 'asc' ? -Infinity : Infinity;
    return direction === 'asc' ? key : -key;
  };
  for (let i = 1; i < records.length; i++) if (rank(records[i]) < rank(records[i - 1])) return false;
  return true;
}
