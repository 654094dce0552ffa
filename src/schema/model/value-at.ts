/** The value at a property path (`address.city`) of an object; undefined when a step is missing. */
export function valueAt(value: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined), value);
}
