/**
 * A seeded pseudo-random generator, so that a test that injects faults by rate or creates
 * activities gets the same draws and the same ids on every run.
 *
 * Hand-written (mulberry32, a dozen lines) because no well-kept package offers a seedable
 * generator without pulling in a framework; quality needs are modest (fault draws, ids).
 */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  /** `length` bytes. */
  bytes(length: number): Uint8Array;
}

/**
 * Creates a seeded generator (mulberry32).
 *
 * @param seed Any 32-bit integer; the same seed gives the same sequence.
 * @returns The generator.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint32() / 4294967296,
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let index = 0; index < length; index++) out[index] = nextUint32() & 0xff;
      return out;
    },
  };
}

/**
 * Derives a 32-bit seed from a text (FNV-1a), so that one user seed can feed several
 * independent generators (ids, faults) that do not disturb each other.
 *
 * @param text Any text.
 * @returns A 32-bit unsigned integer.
 */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
