import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Small node:http helpers: the simulator uses no framework so its own overhead stays out of benchmarks. */

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Reads the whole request body as UTF-8; past `limitBytes` it keeps draining but reports `tooLarge`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > limitBytes }));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  if (res.destroyed) return;
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, ...headers, 'content-length': bytes.length });
  res.end(bytes);
}

/** Waits until the response can take more data, or the client went away (then returns false). */
export function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve(!res.destroyed);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams `items` as one JSON array (or as NDJSON, one item per line), about a megabyte a write:
 * a million records would not fit in one string (V8 caps strings near 512 MB) and should not
 * sit in memory twice anyway.
 */
export async function streamJson(res: ServerResponse, items: Iterable<unknown>, format: 'array' | 'ndjson'): Promise<void> {
  res.writeHead(200, { 'content-type': format === 'array' ? JSON_CONTENT_TYPE : 'application/x-ndjson; charset=utf-8' });
  const separator = format === 'array' ? ',' : '\n';
  let parts: string[] = [];
  let size = 0;
  let written = 0;
  const flush = (last: boolean) => {
    let text = parts.join(separator);
    if (format === 'array') text = (written === 0 ? '[' : parts.length > 0 ? ',' : '') + text + (last ? ']' : '');
    else if (parts.length > 0) text += '\n';
    written += parts.length;
    parts = [];
    size = 0;
    return text;
  };
  for (const item of items) {
    const json = JSON.stringify(item);
    parts.push(json);
    size += json.length;
    if (size >= 1 << 20 && !res.write(flush(false)) && !(await drained(res))) return;
  }
  res.end(flush(true));
}
