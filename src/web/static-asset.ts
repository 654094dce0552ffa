import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A file held in memory and served under a URL that contains a hash of its content, so that it
 * can be cached for a year: a new version is a new URL. A gzip copy is kept for clients that
 * accept it.
 */
export interface StaticAsset {
  /** `<prefix>/<stem>.<hash>.<ext>`, e.g. `/graphiql/assets/react.production.min.1a2b3c4d5e6f.js`. */
  url: string;
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** `fileName` gives the URL's stem and extension; only .js and .css are served. */
export function staticAsset(prefix: string, fileName: string, body: Buffer | string): StaticAsset {
  const extension = extname(fileName);
  const contentType = CONTENT_TYPES[extension];
  if (!contentType) throw new Error(`static asset ${fileName}: expected a .js or .css file`);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const stem = fileName.slice(0, -extension.length);
  return { url: `${prefix}/${stem}.${hash}${extension}`, contentType, body: bytes, gzipped: gzipSync(bytes) };
}

export function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: StaticAsset): FastifyReply {
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  reply
    .header('content-type', asset.contentType)
    .header('cache-control', IMMUTABLE)
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? asset.gzipped : asset.body);
}
