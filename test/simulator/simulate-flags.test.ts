import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSimulateCommand, simulatorOptionsFrom, type SimulateFlags } from '../../src/commands/simulate.command.js';
import { parseBehaviourSpec, parseResourceCounts, parseWebhookSpec, type SimulatorCliOptions } from '../../src/simulator/index.js';

/** Parses `mirrorgraph simulate ...` without starting anything: the action only captures what it was given. */
async function parse(args: string[]): Promise<{ options?: SimulatorCliOptions; error?: string }> {
  const program = new Command().exitOverride();
  let error = '';
  program.configureOutput({ writeErr: (text) => (error += text), writeOut: () => undefined });
  registerSimulateCommand(program);
  const simulate = program.commands.find((command) => command.name() === 'simulate')!;
  simulate.exitOverride().configureOutput({ writeErr: (text) => (error += text), writeOut: () => undefined });
  let options: SimulatorCliOptions | undefined;
  simulate.action((flags: SimulateFlags) => {
    options = simulatorOptionsFrom(flags);
  });
  try {
    await program.parseAsync(['simulate', ...args], { from: 'user' });
  } catch {
    return { error };
  }
  return { options };
}

describe('mirrorgraph simulate flags', () => {
  it('parses every behaviour word of one resource', () => {
    expect(parseBehaviourSpec('people:sort=ignored,ties=unstable,modified=ignored,created=ignored,ids=ignored,cap=empty')).toEqual({
      resource: 'people',
      behaviour: { sort: 'ignored', unstableTies: true, modifiedFilter: false, createdFilter: false, idsFilter: false, pastCap: 'empty' },
    });
    expect(parseBehaviourSpec('projects: ties=stable, modified=honoured').behaviour).toEqual({ unstableTies: false, modifiedFilter: true });
    expect(parseResourceCounts('people=450,companies=0')).toEqual({ people: 450, companies: 0 });
  });

  it('passes the profile, repeated behaviours, null cursors and tie blocks to the simulator', async () => {
    const { options, error } = await parse([
      '--profile', 'copper', '--port', '0',
      '--behaviour', 'people:sort=ignored', '--behaviour', 'companies:cap=empty', '--behaviour', 'people:ties=stable',
      '--null-cursors', 'people=450', '--null-cursors', 'projects=3', '--tie-block', 'people=1200', '--tie-block-shares-created',
    ]);
    expect(error).toBeUndefined();
    expect(options).toMatchObject({
      profile: 'copper',
      behaviour: { people: { sort: 'ignored', unstableTies: false }, companies: { pastCap: 'empty' } },
      nullCursors: { people: 450, projects: 3 },
      tieBlock: { people: 1200 },
      tieBlockSharesCreated: true,
    });
    const defaults = (await parse([])).options!;
    expect(defaults).toMatchObject({ profile: 'honest', tieBlockSharesCreated: false });
    expect([defaults.behaviour, defaults.nullCursors, defaults.tieBlock]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    [['--behaviour', 'people'], '--behaviour', /expected <resource>:<setting>=<value>.*got "people"/],
    [['--behaviour', 'leads:sort=ignored'], '--behaviour', /resource one of companies, people, opportunities, projects.*got "leads:sort=ignored"/],
    [['--behaviour', 'people:ties=maybe'], '--behaviour', /expected ties=stable\|unstable, got "ties=maybe"/],
    [['--behaviour', 'people:colour=red'], '--behaviour', /settings modified\|created\|ids\|sort=honoured\|ignored.*got "colour=red"/],
    [['--null-cursors', 'people=many'], '--null-cursors', /expected <resource>=<count>.*a whole number, got "people=many"/],
    [['--tie-block', 'leads=3'], '--tie-block', /expected <resource>=<count>.*got "leads=3"/],
    [['--profile', 'kind'], '--profile', /Allowed choices are honest, copper/],
  ])('refuses %j naming the flag, what it expects and what arrived', async (args, flag, message) => {
    const { options, error } = await parse(args);
    expect(options).toBeUndefined();
    expect(error).toContain(flag);
    expect(error).toMatch(message);
  });

  it('passes webhook delivery settings, and names the known ones for a setting it does not know', async () => {
    const { options } = await parse(['--webhooks', 'http,loss=0.1,duplicates=0.05,delay=10-900000,reorder,wrong-secret,seed=7']);
    expect(options?.webhooks).toEqual({ allowHttpTargets: true, loss: 0.1, duplicates: 0.05, delayMs: [10, 900000], reorder: true, wrongSecret: true, seed: 7 });
    expect(parseWebhookSpec('delay=250')).toEqual({ delayMs: 250 });
    expect(() => parseWebhookSpec('loss')).toThrow(/webhooks loss needs a number, got ""/);
    expect(() => parseWebhookSpec('lose=0.1')).toThrow(/unknown webhooks setting "lose" \(known: http, loss, duplicates, delay, reorder, wrong-secret, batch, seed\)/);
  });
});
