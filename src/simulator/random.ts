/**
 * A tiny seeded PRNG. The simulator must be reproducible from a seed (tests compare two runs,
 * benchmarks compare two machines), and it must be cheap enough to seed one generator per
 * record: that is what lets the dataset build any record from (seed, resource, index) alone.
 */

/** Mixes any number of integers into one 32-bit seed (murmur3-style finaliser per step). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold in both halves so values above 2^32 (seeds, big ids) still change the result.
    h = mix(h ^ (part >>> 0));
    h = mix(h ^ Math.floor(part / 0x1_0000_0000));
  }
  return h >>> 0;
}

function mix(value: number): number {
  let h = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: 32 bits of state, good enough statistically, and a few nanoseconds a draw. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct elements (fewer if the array is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
    }
    return out;
  }
}

/** A generator for one purpose of one record: independent streams never shift each other. */
export function rngFor(...parts: number[]): Rng {
  return new Rng(hashSeed(...parts));
}
