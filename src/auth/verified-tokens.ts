import type { Principal } from './principal.js';

/**
 * Tokens whose signature and claims were verified lately, so that a client sending the same
 * token with every request pays for verification once a minute instead of every time. An entry
 * never outlives the token's `exp` (minus nothing: an expired token is verified again and
 * refused), nor `MAX_AGE_MS`, so a key withdrawn from the JWKS stops working within that time.
 * Bounded in entries; the oldest go first.
 */
const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;

interface Entry {
  principal: Principal;
  validUntil: number;
}

export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() >= entry.validUntil) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /** `expiresAt`: the token's `exp` in epoch seconds, if it has one. */
  remember(token: string, principal: Principal, expiresAt: number | undefined): void {
    const now = this.now();
    const validUntil = Math.min(now + MAX_AGE_MS, expiresAt === undefined ? Infinity : expiresAt * 1_000);
    if (validUntil <= now) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { principal, validUntil });
  }
}
