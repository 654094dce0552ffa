/** JS model of the API's ordering: nulls lowest, `id` ascending as the final tie-breaker. */
export type SortSpec<T> = [(row: T) => string | number | Date | null, 'ASC' | 'DESC'];

const rank = (v: string | number | Date): string | number => (v instanceof Date ? v.getTime() : v);

export function sortLike<T extends { id: string }>(rows: readonly T[], keys: SortSpec<T>[]): T[] {
  return [...rows].sort((a, b) => {
    for (const [get, direction] of keys) {
      const [x, y] = [get(a), get(b)];
      if (x === null && y === null) continue;
      const sign = direction === 'ASC' ? 1 : -1;
      if (x === null) return -sign;
      if (y === null) return sign;
      if (rank(x) !== rank(y)) return rank(x) < rank(y) ? -sign : sign;
    }
    return BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;
  });
}
