import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError } from '../errors/index.js';
import type { Logger } from '../logger.js';
import { supergraphCompositions } from '../observability/metrics.js';
import { composeFromConfig } from './composition.js';
import { readSupergraphConfig, type SupergraphConfig, type SupergraphConfigDefaults } from './supergraph-config.js';

export interface SupergraphSourceOptions {
  configPath: string;
  defaults: SupergraphConfigDefaults;
  /** Our own subgraph's SDL, composed in as `config.self`. */
  selfSdl: string;
  /** Seconds between recompositions that re-fetch the remote schemas; 0: only on file changes. */
  pollIntervalSeconds: number;
  logger: Logger;
  /** Called after a new supergraph replaced the old one. */
  onChange: () => void;
  env?: NodeJS.ProcessEnv;
}

export interface ComposedSupergraph {
  readonly sdl: string;
  readonly config: SupergraphConfig;
  readonly composedAt: Date;
}

export interface CompositionFailure {
  readonly at: Date;
  readonly errors: readonly string[];
}

export type Recomposition = 'changed' | 'unchanged' | 'failed';

/** Events from an editor saving a file come in bursts (truncate, write, rename): one recomposition per burst. */
const SETTLE_MS = 150;

/**
 * The supergraph the gateway serves, and how it changes: composed from `SUPERGRAPH_CONFIG` at
 * start (a failure then stops the start, listing composition's errors), and again when the
 * file or a schema file it names changes, or on the poll interval (which re-fetches the remote
 * subgraphs' schemas). A recomposition that fails keeps the last good supergraph serving and
 * is reported (log, `/readyz`, `mirrorgraph_supergraph_compositions_total`) until one succeeds.
 */
export class SupergraphSource {
  private watchers: FSWatcher[] = [];
  /** The files watched now, sorted and joined: a file named by a config that failed to compose is watched too. */
  private watching = '';
  private pollTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private running: Promise<Recomposition> | null = null;
  private again = false;
  private failure: CompositionFailure | null = null;
  private closed = false;

  private constructor(
    private readonly options: SupergraphSourceOptions,
    private composed: ComposedSupergraph,
  ) {}

  static async start(options: SupergraphSourceOptions): Promise<SupergraphSource> {
    const config = await readSupergraphConfig(options.configPath, options.defaults, options.env);
    const result = await composeFromConfig(config, options.selfSdl);
    if (!result.ok) {
      supergraphCompositions.inc({ outcome: 'failed' });
      throw new ConfigError(`SUPERGRAPH_CONFIG: the subgraphs in ${options.configPath} do not compose:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
    }
    supergraphCompositions.inc({ outcome: 'changed' });
    const source = new SupergraphSource(options, { sdl: result.supergraphSdl, config, composedAt: new Date() });
    source.watch(config.watchedFiles);
    if (options.pollIntervalSeconds > 0) {
      source.pollTimer = setInterval(() => void source.recompose('poll'), options.pollIntervalSeconds * 1000);
      source.pollTimer.unref();
    }
    return source;
  }

  get current(): ComposedSupergraph {
    return this.composed;
  }

  /** The latest failed recomposition, or null once one succeeds again. */
  get lastFailure(): CompositionFailure | null {
    return this.failure;
  }

  /** Re-reads the file and the schemas and composes; one at a time (a request during one runs once more after it). */
  recompose(reason: 'file' | 'poll' | 'manual'): Promise<Recomposition> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.composeOnce(reason).finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.recompose(reason);
      }
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.settleTimer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  private async composeOnce(reason: string): Promise<Recomposition> {
    const { logger } = this.options;
    let errors: readonly string[];
    try {
      const config = await readSupergraphConfig(this.options.configPath, this.options.defaults, this.options.env);
      // Before composing: a fix to a schema file the failing config names must be seen too.
      this.watch(config.watchedFiles);
      const result = config.self.name === this.composed.config.self.name ? await composeFromConfig(config, this.options.selfSdl) : renamed(this.composed.config, config);
      if (result.ok) {
        this.failure = null;
        if (result.supergraphSdl === this.composed.sdl) {
          supergraphCompositions.inc({ outcome: 'unchanged' });
          this.composed = { ...this.composed, config };
          return 'unchanged';
        }
        this.composed = { sdl: result.supergraphSdl, config, composedAt: new Date() };
        supergraphCompositions.inc({ outcome: 'changed' });
        logger.info({ reason, subgraphs: [config.self.name, ...config.remotes.map((r) => r.name)] }, 'supergraph recomposed: the new one serves');
        this.options.onChange();
        return 'changed';
      }
      errors = result.errors;
    } catch (error) {
      errors = [error instanceof Error ? error.message : String(error)];
    }
    this.failure = { at: new Date(), errors };
    supergraphCompositions.inc({ outcome: 'failed' });
    logger.error({ reason, errors }, 'supergraph recomposition failed: the last good supergraph keeps serving');
    return 'failed';
  }

  /**
   * Watches each file's directory rather than the file: editors and config managers replace a
   * file by renaming a new one over it, after which a watch on the old inode sees nothing.
   */
  private watch(files: readonly string[]): void {
    const key = [...files].sort().join('\n');
    if (key === this.watching) return;
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    this.watching = key;
    const byDirectory = new Map<string, Set<string>>();
    for (const file of files) {
      const names = byDirectory.get(dirname(file)) ?? new Set<string>();
      names.add(basename(file));
      byDirectory.set(dirname(file), names);
    }
    for (const [directory, names] of byDirectory) {
      try {
        const watcher = watch(directory, { persistent: false }, (_event, filename) => {
          if (filename === null || names.has(filename.toString())) this.settleThenRecompose();
        });
        watcher.on('error', (error) => this.options.logger.warn({ err: error, directory }, 'stopped watching for supergraph config changes'));
        this.watchers.push(watcher);
      } catch (error) {
        this.options.logger.warn({ err: error, directory }, 'cannot watch for supergraph config changes: set SUPERGRAPH_POLL_INTERVAL_SECONDS to recompose on a timer');
      }
    }
  }

  private settleThenRecompose(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => void this.recompose('file'), SETTLE_MS);
    this.settleTimer.unref();
  }
}

/** The gateway's transports are set up for our subgraph's name at start; a new name needs a restart. */
function renamed(before: SupergraphConfig, after: SupergraphConfig) {
  return {
    ok: false as const,
    errors: [`our own subgraph was renamed from "${before.self.name}" to "${after.self.name}": restart Mirrorgraph to serve it under the new name`],
  };
}
