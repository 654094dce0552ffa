import { redactUrlPassword } from '../config.js';

/** An error as stored and logged: bounded, with the upstream API key and database passwords blanked. */
export function safeMessage(error: unknown, apiKey: string | undefined, max: number): string {
  let message = error instanceof Error ? error.message : String(error);
  if (apiKey && apiKey.length >= 4) message = message.split(apiKey).join('***');
  message = redactUrlPassword(message);
  return message.length > max ? `${message.slice(0, max)}...` : message;
}
