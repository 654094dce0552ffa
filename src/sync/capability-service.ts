import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { syncCapability, syncStrategy } from '../observability/metrics.js';
import { assumedCapabilities, CAPABILITY_NAMES, capabilitiesOf, effectiveCapabilities, type Capabilities, type CapabilitySource, type EffectiveCapability } from './capabilities.js';
import { probeResource } from './probe.js';
import { ProbeStore, type StoredProbe } from './probe.store.js';
import type { ResourceSearch } from './resource-search.js';
import type { RecordResourceName } from '../resources/resource-table.js';
import { strategyNameFor } from './strategies/choose.js';
import { STRATEGY_NAMES, type StrategyName } from './strategies/strategy.js';

const SOURCES: readonly CapabilitySource[] = ['configured', 'probed', 'assumed'];

/** What a resource is believed to honour, where each belief came from, and the strategy it leads to. */
export interface CapabilityView {
  resource: RecordResourceName;
  capabilities: Capabilities;
  effective: EffectiveCapability[];
  strategy: StrategyName;
  probe: StoredProbe | null;
}

/**
 * Joins the profile's assumption, the stored probe and configuration into the capabilities a
 * run uses; probes a resource that was never probed (or whose findings a failed page check put
 * in doubt) before its crawl.
 */
export class CapabilityService {
  readonly store: ProbeStore;

  constructor(
    dataSource: ConstructorParameters<typeof ProbeStore>[0],
    private readonly config: Readonly<AppConfig>,
    private readonly logger: Logger,
  ) {
    this.store = new ProbeStore(dataSource);
  }

  /** The view without probing (for status). */
  async view(resource: RecordResourceName): Promise<CapabilityView> {
    return this.viewOf(resource, await this.store.load(resource));
  }

  /**
   * The view, probing first when there is no usable probe, when `force`, or when `retryUnproven`
   * and the last probe proved nothing about a capability configuration leaves open (a resource
   * that was empty then may not be now; full runs ask for this, at about ten requests).
   */
  async resolve(resource: RecordResourceName, search: ResourceSearch, force = false, retryUnproven = false): Promise<CapabilityView> {
    let probe = await this.store.load(resource);
    // Configuration that fixes every capability leaves a probe nothing to decide.
    const configured = this.config.upstream.capabilities[resource] ?? {};
    const open = CAPABILITY_NAMES.filter((name) => typeof configured[name] !== 'boolean');
    const unproven = probe !== null && open.some((name) => typeof probe!.findings[name] !== 'boolean');
    if (force || (open.length > 0 && (!probe || probe.stale || (retryUnproven && unproven)))) probe = await this.probe(resource, search, probe);
    return this.viewOf(resource, probe);
  }

  async markStale(resource: RecordResourceName, reason: string): Promise<void> {
    await this.store.markStale(resource, reason);
  }

  private async probe(resource: RecordResourceName, search: ResourceSearch, previous: StoredProbe | null): Promise<StoredProbe | null> {
    const before = search.requests;
    const result = await probeResource(search, this.config.upstream.pageSize);
    await this.store.save(resource, result, search.requests - before);
    this.logger.info({ resource, findings: result.findings, reprobe: previous !== null, requests: search.requests - before }, 'probed what the search honours');
    return this.store.load(resource);
  }

  private viewOf(resource: RecordResourceName, probe: StoredProbe | null): CapabilityView {
    const { profile, capabilities: configured } = this.config.upstream;
    const effective = effectiveCapabilities(assumedCapabilities(profile, resource), probe?.findings ?? {}, configured[resource] ?? {});
    const capabilities = capabilitiesOf(effective);
    for (const entry of effective) {
      // One series per capability: the one of its current source.
      for (const source of SOURCES) if (source !== entry.source) syncCapability.remove({ resource, capability: entry.name, source });
      syncCapability.set({ resource, capability: entry.name, source: entry.source }, entry.value ? 1 : 0);
    }
    const strategy = strategyNameFor(capabilities);
    for (const name of STRATEGY_NAMES) syncStrategy.set({ resource, strategy: name }, name === strategy ? 1 : 0);
    return { resource, capabilities, effective, strategy, probe };
  }
}
