/**
 * @file How a refused value may appear in an error message: never a secret, never a password.
 */

/**
 * `mysql://user:secret@host/db` → `mysql://user:***@host/db`, in any text. The password runs to
 * the last `@` of the word, so one that holds `@` or `/` itself is masked whole.
 */
export function redactUrlPassword(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)\S*@/gi, '$1***@');
}

/**
 * A database URL that was refused, as an error may show it. One that parses cleanly (a wrong
 * scheme, a missing database) is shown with its password masked; where parsing broke, nobody
 * can tell which part is the password (`mysql:/user:pw@host/db`, `mysql:pw`, a raw `@` in the
 * password), so only the scheme is shown. An SQLite URL holds no credentials and is shown whole.
 */
export function maskUnparsedUrl(value: string): string {
  if (value.startsWith('sqlite:')) return value;
  if (singleAuthority(value)) return redactUrlPassword(value);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0] ?? '';
  return `${scheme}*** (${value.length - scheme.length} characters hidden: they may hold a password)`;
}

/** `scheme://[user[:password]@]host/...` with at most one `@` before the path: nothing ambiguous. */
export function singleAuthority(value: string): boolean {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value);
  if (!match) return false;
  try {
    new URL(value);
  } catch {
    return false;
  }
  return (match[1].match(/@/g) ?? []).length <= 1 && !value.slice(match[0].length).includes('@');
}

/** What a setting's secrecy allows an error to show: `true` hides it whole, `url-password` the password in it. */
export type Secrecy = boolean | 'url-password';

export function show(value: string | undefined, secret: Secrecy): string {
  if (value === undefined) return 'nothing (unset)';
  if (secret === true) return '***';
  if (secret === 'url-password') return JSON.stringify(maskUnparsedUrl(value));
  return JSON.stringify(redactUrlPassword(value));
}
