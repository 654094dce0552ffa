import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../src/auth/principal.js';
import { VerifiedTokens } from '../../src/auth/verified-tokens.js';

describe('VerifiedTokens: a verified JWT is trusted again only while it is valid, and a minute at most', () => {
  const principal = { ...ANONYMOUS, subject: 'ada', via: 'jwt' as const };
  const at = (start: number) => {
    const clock = { now: start };
    return { clock, tokens: new VerifiedTokens(() => clock.now) };
  };

  it('answers until the token expires, then forgets it', () => {
    const { clock, tokens } = at(1_000_000);
    tokens.remember('t', principal, 1_000 + 30); // exp 30 s ahead
    expect(tokens.get('t')).toBe(principal);
    clock.now += 29_999;
    expect(tokens.get('t')).toBe(principal);
    clock.now += 1;
    expect(tokens.get('t')).toBeUndefined();
  });

  it('forgets a long-lived token after a minute, so a withdrawn key stops working', () => {
    const { clock, tokens } = at(0);
    tokens.remember('t', principal, 86_400);
    clock.now += 59_999;
    expect(tokens.get('t')).toBe(principal);
    clock.now += 1;
    expect(tokens.get('t')).toBeUndefined();
  });

  it('never keeps an already expired token, and keeps at most 10,000', () => {
    const { tokens } = at(5_000_000);
    tokens.remember('old', principal, 4_000);
    expect(tokens.get('old')).toBeUndefined();
    for (let i = 0; i <= 10_000; i++) tokens.remember(`t${i}`, principal, undefined);
    expect(tokens.get('t0')).toBeUndefined();
    expect(tokens.get('t10000')).toBe(principal);
  });
});
