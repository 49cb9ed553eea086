/**
 * The benchmarks' seeded random numbers: every side of a benchmark sees the same data.
 *
 * @internal
 */

/** A seeded mulberry32: numbers in [0, 1), the same sequence for the same seed. @internal */
export const mulberry32 = (seed: number): () => number => {
  let state = seed
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Words the benchmark strings are made of. @internal */
export const WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma"]
