import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://idp.test/';
export const AUDIENCE = 'mirrorgraph';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A token as an identity provider would issue it: iss, aud, sub, an hour of validity. */
export async function sign(key: SigningKey | { secret: Uint8Array; alg?: string }, claims: JWTPayload = {}, options: { kid?: string | null; expiresIn?: string | number; notBefore?: string | number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const alg = 'secret' in key ? (key.alg ?? 'HS256') : key.alg;
  const kid = options.kid === null ? undefined : (options.kid ?? ('kid' in key ? key.kid : undefined));
  const jwt = new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'user-42', iat: now, ...claims }).setProtectedHeader({ alg, ...(kid ? { kid } : {}) });
  if (!('exp' in claims)) jwt.setExpirationTime(options.expiresIn ?? now + 3600);
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign('secret' in key ? key.secret : key.privateKey);
}

/** An unsigned token (`alg: none`), the oldest trick in the book. */
export function unsigned(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** A JWKS endpoint on loopback that counts its fetches; its keys can be swapped (rotation). */
export interface JwksServer {
  url: string;
  fetches: number;
  /** Date.now() of the last fetch. */
  lastFetchAt: number;
  keys: JWK[];
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const state = { fetches: 0, lastFetchAt: 0, keys };
  const server: Server = createServer((_request, response) => {
    state.fetches += 1;
    state.lastFetchAt = Date.now();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return state.fetches;
    },
    get lastFetchAt() {
      return state.lastFetchAt;
    },
    get keys() {
      return state.keys;
    },
    set keys(value: JWK[]) {
      state.keys = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
