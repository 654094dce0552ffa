import { request } from 'undici';
import type { Simulator } from '../../src/simulator/index.js';

/** Real HTTP calls to a running simulator, the way a client would make them. */

export const AUTH = { api_key: 'test-key', user_email: 'test@example.com' };

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export async function post(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = AUTH): Promise<Reply> {
  const response = await request(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return toReply(response);
}

export async function get(sim: Simulator, path: string): Promise<Reply> {
  return toReply(await request(`${sim.url}${path}`));
}

/** POST /v1/resource/{resource}/search with the default credentials. */
export function search(sim: Simulator, resource: string, body: unknown, headers?: Record<string, string>): Promise<Reply> {
  return post(sim, `/v1/resource/${resource}/search`, body, headers);
}

/** The records of a 200 reply in the `data` envelope. */
export function dataOf(reply: Reply): Record<string, unknown>[] {
  if (reply.status !== 200) throw new Error(`expected 200, got ${reply.status}: ${reply.text.slice(0, 200)}`);
  return (reply.json as { data: Record<string, unknown>[] }).data;
}

async function toReply(response: Awaited<ReturnType<typeof request>>): Promise<Reply> {
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}
