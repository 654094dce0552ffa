import { IsNull, LessThan, Or, type DataSource, type Repository } from 'typeorm';
import { ApiKey } from '../entities/api-key.entity.js';
import { generateApiKey, keyMatchesHash, parseApiKey, API_KEY_SHAPE } from './api-key-format.js';
import { AuthenticationUnavailableError } from './errors.js';
import { AuthenticationError, type Principal } from './principal.js';
import { isScope, type Scope } from './scopes.js';

/**
 * API keys in the database. Every check reads the key's row, so a revocation made by any
 * process (the CLI, another replica) holds from the next request on: there is no cache to
 * outlive it. `last_used_at` is written at most once a minute per key.
 */

/** How stale `last_used_at` may get: it is a hint for operators, not an audit log. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Names appear in logs as the caller's subject: no spaces, quotes or control characters. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

export const KEY_NAME_RULE = 'a name of 1 to 100 letters, digits and ._:@- (starting with a letter or digit)';

export const isValidKeyName = (name: string): boolean => NAME_PATTERN.test(name);

export interface ApiKeySummary {
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** `keys create` with a name some key (revoked or not) already has. */
export class ApiKeyNameTakenError extends Error {
  override name = 'ApiKeyNameTakenError';
}

export interface ApiKeyStoreOptions {
  now?: () => Date;
  /** Told when a `last_used_at` write fails; the request it came from goes on regardless. */
  onTouchError?: (error: unknown) => void;
}

export class ApiKeyStore {
  private readonly repo: Repository<ApiKey>;
  private readonly now: () => Date;
  /** Last write attempt per key id: a burst of requests triggers one write, not one each. */
  private readonly touched = new Map<number, number>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    dataSource: DataSource,
    private readonly options: ApiKeyStoreOptions = {},
  ) {
    this.repo = dataSource.getRepository(ApiKey);
    this.now = options.now ?? (() => new Date());
  }

  /** Creates a key; the key itself is returned here and never again. */
  async create(name: string, scopes: readonly Scope[]): Promise<{ key: string; summary: ApiKeySummary }> {
    if (!isValidKeyName(name)) throw new Error(`--name: expected ${KEY_NAME_RULE}`);
    const existing = await this.repo.findOneBy({ name });
    if (existing) throw new ApiKeyNameTakenError(nameTaken(existing));
    const { key, prefix, hash } = generateApiKey();
    const row = this.repo.create({ name, keyPrefix: prefix, keyHash: hash, scopes: [...scopes], createdAt: this.now(), lastUsedAt: null, revokedAt: null });
    try {
      await this.repo.insert(row);
    } catch (error) {
      // Two `keys create` of one name at once: the unique index decides.
      const raced = await this.repo.findOneBy({ name });
      if (raced) throw new ApiKeyNameTakenError(nameTaken(raced));
      throw error;
    }
    return { key, summary: summarise(row) };
  }

  async list(): Promise<ApiKeySummary[]> {
    return (await this.repo.find({ order: { name: 'ASC' } })).map(summarise);
  }

  /** Revokes the key of that name; null when there is none. Revoking twice keeps the first time. */
  async revoke(name: string): Promise<{ alreadyRevoked: boolean; revokedAt: Date } | null> {
    const row = await this.repo.findOneBy({ name });
    if (!row) return null;
    if (row.revokedAt) return { alreadyRevoked: true, revokedAt: row.revokedAt };
    const revokedAt = this.now();
    await this.repo.update({ id: row.id, revokedAt: IsNull() }, { revokedAt });
    return { alreadyRevoked: false, revokedAt };
  }

  /** The principal of a presented key; an AuthenticationError that never quotes it otherwise. */
  async verify(key: string): Promise<Principal> {
    const parsed = parseApiKey(key);
    if (!parsed) throw new AuthenticationError(`malformed API key: expected ${API_KEY_SHAPE}`);
    let row: ApiKey | null;
    try {
      row = await this.repo.findOneBy({ keyPrefix: parsed.prefix });
    } catch (error) {
      throw new AuthenticationUnavailableError('the API key store could not be read', { cause: error });
    }
    // An unknown prefix and a wrong secret answer alike: the prefix is no hint to a guesser.
    if (!row || !keyMatchesHash(key, row.keyHash)) throw new AuthenticationError('unknown API key');
    if (row.revokedAt) throw new AuthenticationError(`the API key "${row.name}" has been revoked`);
    this.touch(row);
    const scopes = new Set(row.scopes.filter(isScope));
    return Object.freeze({ subject: row.name, via: 'api-key', scopes });
  }

  /** Resolves when the `last_used_at` writes in flight are done (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private touch(row: ApiKey): void {
    const now = this.now();
    const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    if (row.lastUsedAt && row.lastUsedAt > cutoff) return;
    if ((this.touched.get(row.id) ?? -Infinity) > cutoff.getTime()) return;
    this.touched.set(row.id, now.getTime());
    // Conditional, so replicas that all saw a stale value write it once between them.
    const write = this.repo
      .update({ id: row.id, lastUsedAt: Or(IsNull(), LessThan(cutoff)) }, { lastUsedAt: now })
      .then(
        () => undefined,
        (error: unknown) => this.options.onTouchError?.(error),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}

function nameTaken(row: ApiKey): string {
  const state = row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : `created ${row.createdAt.toISOString()}`;
  return `an API key named "${row.name}" already exists (${state}); names stay taken after revocation, so pick another`;
}

const summarise = (row: ApiKey): ApiKeySummary => ({
  name: row.name,
  scopes: [...row.scopes],
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
});
