import { describe, expect, it } from 'vitest';
import { COPPER_BASE_URL, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors/index.js';
import { assumedCapabilities, capabilitiesOf, effectiveCapabilities } from '../../src/sync/capabilities.js';
import { probeResource } from '../../src/sync/probe.js';
import { ResourceSearch } from '../../src/sync/resource-search.js';
import { FakeUpstream } from './fake-upstream.js';

const base = { UPSTREAM_BASE_URL: 'http://127.0.0.1:1', UPSTREAM_API_KEY: 'k-123456', UPSTREAM_USER_EMAIL: 'a@b.c' };

describe('capability settings', () => {
  it('UPSTREAM_PROFILE=copper sets what Copper needs, and each explicit setting still wins', () => {
    const copper = loadConfig({ UPSTREAM_PROFILE: 'copper', UPSTREAM_API_KEY: 'k', UPSTREAM_USER_EMAIL: 'a@b.c' }, { upstream: true }).upstream;
    expect(copper).toMatchObject({
      baseUrl: COPPER_BASE_URL,
      apiKeyHeader: 'X-PW-AccessToken',
      userEmailHeader: 'X-PW-UserEmail',
      extraHeaders: { 'X-PW-Application': 'developer_api' },
      dataSelector: '$',
      profile: 'copper',
    });
    const mixed = loadConfig({ ...base, UPSTREAM_PROFILE: 'copper', UPSTREAM_DATA_SELECTOR: 'data' }).upstream;
    expect(mixed).toMatchObject({ baseUrl: base.UPSTREAM_BASE_URL, dataSelector: 'data', apiKeyHeader: 'X-PW-AccessToken' });
  });

  it('leaves the generic defaults as they were', () => {
    expect(loadConfig(base).upstream).toMatchObject({ apiKeyHeader: 'api_key', userEmailHeader: 'user_email', extraHeaders: {}, dataSelector: 'data', profile: 'generic' });
  });

  it('reads SYNC_CAPABILITIES per resource and rejects bad ones with every problem named', () => {
    const ok = loadConfig({ ...base, SYNC_CAPABILITIES: '{"people":{"modifiedMin":false,"ids":true}}' }).upstream.capabilities;
    expect(ok).toEqual({ people: { modifiedMin: false, ids: true } });
    const bad = () => loadConfig({ ...base, SYNC_CAPABILITIES: '{"persons":{},"people":{"modifiedMinimum":false,"ids":"yes"}}' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/SYNC_CAPABILITIES: unknown resource "persons"[\s\S]*unknown capability "modifiedMinimum"[\s\S]*people.ids: expected true or false, got "yes"/);
    expect(() => loadConfig({ ...base, SYNC_CAPABILITIES: 'people=no' })).toThrow(/SYNC_CAPABILITIES: expected a JSON object[\s\S]*not JSON/);
  });

  it('takes configuration over a probe, and a proven finding over the profile', () => {
    const effective = effectiveCapabilities(assumedCapabilities('copper', 'people'), { modifiedMin: true, ids: null, createdMin: false }, { createdMin: true });
    const bySource = Object.fromEntries(effective.map((e) => [e.name, [e.value, e.source]]));
    expect(bySource.modifiedMin).toEqual([true, 'probed']);
    expect(bySource.ids).toEqual([true, 'assumed']);
    expect(bySource.createdMin).toEqual([true, 'configured']);
    expect(bySource.modifiedMax).toEqual([false, 'assumed']);
    expect(capabilitiesOf(effective).stableTies).toBe(false);
  });
});

describe('the probe', () => {
  const probe = async (up: FakeUpstream) => {
    const search = new ResourceSearch(up.client(), 'people', '/v1/resource/people/search', 'data', { requests: 0, retries: 0, rateLimited: 0 });
    return probeResource(search, 20);
  };

  it('finds what an honest API honours', async () => {
    const up = new FakeUpstream();
    up.add(30);
    up.add(5, { modified: 5_000, created: 5_000 });
    const { findings } = await probe(up);
    expect(findings).toEqual({
      sortModifiedAsc: true,
      sortModifiedDesc: true,
      sortCreatedAsc: true,
      sortCreatedDesc: true,
      modifiedMin: true,
      modifiedMax: true,
      createdMin: true,
      createdMax: true,
      ids: true,
      stableTies: true,
    });
  });

  it('finds a Copper-like people search: modified filter ignored, ties unstable', async () => {
    const up = new FakeUpstream();
    up.add(30);
    up.add(12, { modified: 5_000, created: 5_000 });
    up.behaviour = { ...up.behaviour, modifiedFilter: false, unstableTies: true };
    const { findings, notes } = await probe(up);
    expect(findings).toMatchObject({ modifiedMin: false, modifiedMax: false, createdMin: true, createdMax: true, ids: true, sortModifiedAsc: true });
    expect(findings.stableTies).not.toBe(true);
    expect(notes.modifiedMin).toMatch(/returned \d+ records outside it/);
  });

  it('finds an ignored sort and an ignored ids filter', async () => {
    const up = new FakeUpstream();
    up.add(40);
    for (const record of up.live()) up.records.set(record.id, { ...record, name: `n${(record.id * 7) % 40}` });
    up.behaviour = { ...up.behaviour, sort: false, ids: false };
    const { findings } = await probe(up);
    expect(findings).toMatchObject({ sortModifiedAsc: false, sortModifiedDesc: false, sortCreatedAsc: false, ids: false, modifiedMin: true });
  });

  it('proves nothing on an empty resource: every finding stays unproven', async () => {
    const { findings } = await probe(new FakeUpstream());
    expect(Object.values(findings).every((value) => value === null)).toBe(true);
  });
});
