import type { DataSource } from 'typeorm';
import { SyncProbe } from '../entities/index.js';
import { CAPABILITY_NAMES, type CapabilityName, type Findings } from './capabilities.js';
import { wholeSecond } from './clock.js';
import type { ProbeResult } from './probe.js';
import { serialWrite } from './write-gate.js';

/** A stored probe, parsed. */
export interface StoredProbe {
  findings: Findings;
  notes: Partial<Record<CapabilityName, string>>;
  probedAt: Date;
  stale: boolean;
  staleReason: string | null;
  requests: number;
}

/** `sync_probes`: one row per resource, so findings survive a restart. */
export class ProbeStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(resource: string): Promise<StoredProbe | null> {
    const row = await this.dataSource.getRepository(SyncProbe).findOneBy({ resource });
    if (!row) return null;
    return {
      findings: pick(parseObject(row.findings), (v) => v === true || v === false || v === null) as Findings,
      notes: pick(parseObject(row.notes), (v) => typeof v === 'string') as Partial<Record<CapabilityName, string>>,
      probedAt: row.probedAt,
      stale: Boolean(row.stale),
      staleReason: row.staleReason,
      requests: row.requests,
    };
  }

  async save(resource: string, result: ProbeResult, requests: number): Promise<void> {
    const values = {
      resource,
      findings: JSON.stringify(result.findings),
      notes: JSON.stringify(result.notes),
      probedAt: wholeSecond(Date.now()),
      stale: false,
      staleReason: null,
      requests,
    };
    await serialWrite(this.dataSource, () =>
      this.dataSource.getRepository(SyncProbe).createQueryBuilder().insert().values(values).orUpdate(['findings', 'notes', 'probed_at', 'stale', 'stale_reason', 'requests'], ['resource']).updateEntity(false).execute(),
    );
  }

  /** Asks the next run to probe again, saying why (a page check that tripped). */
  async markStale(resource: string, reason: string): Promise<void> {
    await serialWrite(this.dataSource, () => this.dataSource.getRepository(SyncProbe).update({ resource }, { stale: true, staleReason: reason.slice(0, 2_000) }));
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Keeps only known capability names with values that pass `valid`: a hand-edited row cannot smuggle in anything else. */
function pick(source: Record<string, unknown>, valid: (value: unknown) => boolean): Record<string, unknown> {
  return Object.fromEntries(CAPABILITY_NAMES.filter((name) => name in source && valid(source[name])).map((name) => [name, source[name]]));
}
