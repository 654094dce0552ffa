import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { ConfigError } from '../errors/index.js';
import { composeFromConfig } from '../gateway/composition.js';
import { readSupergraphConfig, supergraphDefaultsOf } from '../gateway/supergraph-config.js';
import { printMirrorSchema } from '../schema/build-schema.js';

/**
 * `mirrorgraph compose [--config PATH] [--out FILE]`: our subgraph composed with the ones a
 * supergraph.yaml lists, printed (or written) as a supergraph SDL for any federation router.
 * Opens no database: our SDL comes from the schema alone. Exit code 0 composed, 1 composition
 * (or loading a remote's schema) failed, 2 bad configuration or usage.
 */
export function registerComposeCommand(program: Command): void {
  program
    .command('compose')
    .description('compose our subgraph with the ones a supergraph.yaml lists and print the supergraph SDL')
    .option('--config <path>', 'the supergraph.yaml (default: SUPERGRAPH_CONFIG)')
    .option('--out <file>', 'write the supergraph SDL to this file instead of stdout')
    .action(async (options: { config?: string; out?: string }) => {
      const config = loadConfig(process.env);
      const path = options.config ?? config.gateway.supergraphConfig;
      if (path === undefined) throw new ConfigError('mirrorgraph compose: no supergraph config; set SUPERGRAPH_CONFIG or pass --config <path>');
      const supergraph = await readSupergraphConfig(path, supergraphDefaultsOf(config));
      const result = await composeFromConfig(supergraph, await printMirrorSchema());
      if (!result.ok) {
        process.stderr.write(`composition failed:\n${result.errors.map((error) => `  - ${error}`).join('\n')}\n`);
        process.exitCode = 1;
        return;
      }
      if (options.out === undefined) {
        process.stdout.write(result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`);
        return;
      }
      await writeFile(options.out, `${result.supergraphSdl.trimEnd()}\n`);
      process.stderr.write(`supergraph of ${result.subgraphs.map((subgraph) => subgraph.name).join(', ')} written to ${options.out}\n`);
    });
}
