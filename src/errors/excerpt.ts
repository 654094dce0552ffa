/**
 * At most `max` characters of a text that came from outside (a client's operation name, an
 * upstream body), for error messages and log lines: a 900 KB input must not come back as a
 * 900 KB error, every time it is sent.
 */
export const EXCERPT_LENGTH = 200;

export function excerpt(text: string, max = EXCERPT_LENGTH): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
