/**
 * The project's small error tree. Every message says what was expected and what arrived,
 * and never contains a secret: callers pass values through `redact` first.
 */

/** A setting is missing or malformed. Exit code 2 from the CLI. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** The upstream API answered with something the sync cannot use. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly kind: 'http' | 'auth' | 'network' | 'body' | 'selector' = 'http',
  ) {
    super(message);
  }
}

/** A single upstream record could not be stored as a row (it goes to `sync_rejects`). */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** A sync of this resource is already running (in this process or, on MySQL, another replica). */
export class SyncBusyError extends Error {
  override name = 'SyncBusyError';
  constructor(readonly resource: string) {
    super(`a sync of ${resource} is already running`);
  }
}
