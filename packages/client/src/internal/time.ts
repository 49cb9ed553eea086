/** @internal */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/**
 * Monotonic milliseconds. Effect's default clock reads `process.hrtime` for nanos (monotonic,
 * immune to wall-clock jumps); `TestClock` drives it in tests.
 *
 * @internal
 */
export const monotonicMillis: Effect.Effect<number> = Effect.map(
  Clock.currentTimeNanos,
  (nanos) => Number(nanos / 1_000_000n)
)
