/**
 * A piece of SQL and its bound parameters. Values only ever enter a statement as `?`
 * parameters; `raw` is for identifiers escaped by the driver and fixed keywords.
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

export const raw = (text: string): Sql => new Sql(text, []);

/** Template tag: interpolated `Sql` is inlined, anything else becomes a bound parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      // A loop, not push(...): spreading a list of many thousand values overflows the stack.
      for (const param of value.params) params.push(param);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return new Sql(text, params);
}

export function join(parts: readonly Sql[], separator: string): Sql {
  return new Sql(parts.map((p) => p.text).join(separator), parts.flatMap((p) => p.params));
}

/** `?, ?, ?` for a list of values (built directly: an IN list may hold thousands). */
export const params = (values: readonly unknown[]): Sql => new Sql(values.length === 0 ? '' : `?${', ?'.repeat(values.length - 1)}`, values);

export const TRUE = raw('1=1');
export const FALSE = raw('1=0');

export function and(parts: readonly Sql[]): Sql {
  const kept = parts.filter((p) => p !== TRUE);
  if (kept.some((p) => p === FALSE)) return FALSE;
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0] : sql`(${join(kept, ' AND ')})`;
}

export function or(parts: readonly Sql[]): Sql {
  const kept = parts.filter((p) => p !== FALSE);
  if (kept.some((p) => p === TRUE)) return TRUE;
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0] : sql`(${join(kept, ' OR ')})`;
}

export function not(part: Sql): Sql {
  if (part === TRUE) return FALSE;
  if (part === FALSE) return TRUE;
  return sql`NOT (${part})`;
}
