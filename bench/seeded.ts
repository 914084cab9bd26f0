/**
 * What the bench's generators share: a seeded PRNG (same seed, same text, so runs compare) and the code
 * vocabulary their generated plans and code files name.
 */

/** mulberry32: a small seeded PRNG, good enough to vary generated text. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Class names of generated code. */
export const CLASSES = ['Runner', 'Dispatcher', 'Writer', 'Reader', 'Planner', 'Registry', 'Session', 'Pool', 'Cache', 'Router'];
/** Method names of generated code. */
export const METHODS = ['run', 'flush', 'submit', 'close', 'resolve', 'register', 'open', 'drain', 'retry', 'encode'];
/** What generated plan items change. */
export const NOUNS = ['batch writer', 'retry policy', 'session table', 'codec registry', 'queue consumer', 'metrics hook', 'config loader', 'error mapping', 'lease renewal', 'index builder'];
