/**
 * Domo's "thread of execution" ids (`toe`), the support reference in every error body.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

const group = (length: number): Effect.Effect<string> =>
  Effect.map(
    Effect.all(Array.from({ length }, () => Random.nextIntBetween(0, ALPHABET.length))),
    (indexes) => indexes.map((i) => ALPHABET[i]).join("")
  )

/**
 * A new toe in Domo's observed format: 10-5-5 uppercase alphanumerics, e.g.
 * `CA6JIHTO46-28C5D-UEQ7I`. Drawn from Effect's `Random`, so a seeded emulator is reproducible.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<string> = Effect.map(
  Effect.all([group(10), group(5), group(5)]),
  (parts) => parts.join("-")
)

/**
 * Whether a string has the shape of a Domo toe.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isToe = (value: string): boolean => /^[A-Z0-9]{10}-[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(value)
