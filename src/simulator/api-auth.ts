import type { IncomingMessage } from 'node:http';
import type { ApiSettings } from './search-handler.js';

/** What is wrong with the credentials, naming the header but never echoing a value; undefined if they are fine. */
export function checkAuth(req: IncomingMessage, settings: ApiSettings): string | undefined {
  const key = header(req, settings.apiKeyHeader);
  const email = header(req, settings.userEmailHeader);
  if (key === undefined) return `missing API key header ${settings.apiKeyHeader}`;
  if (email === undefined) return `missing user email header ${settings.userEmailHeader}`;
  if (key !== settings.apiKey) return `invalid API key (header ${settings.apiKeyHeader})`;
  if (email.toLowerCase() !== settings.userEmail.toLowerCase()) return `the user email (header ${settings.userEmailHeader}) does not match the API key`;
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** The API's error body: `{"message": ...}`. */
export function message(text: string): string {
  return JSON.stringify({ message: text });
}
