/** Driving the TestClock while real I/O is in flight (see the cheatsheet). */
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as TestServices from "effect/TestServices"

/** real (wall-clock) sleep, even inside it.effect where Effect.sleep uses the TestClock */
export const liveSleep = (ms: number) => TestServices.provideLive(Effect.sleep(Duration.millis(ms)))

/** wait (in real time) until some condition holds */
export const eventually = <A>(check: Effect.Effect<Option.Option<A>>, timeoutMs = 5000): Effect.Effect<A> =>
  Effect.gen(function*() {
    for (let waited = 0; waited < timeoutMs; waited += 5) {
      const result = yield* check
      if (Option.isSome(result)) return result.value
      yield* liveSleep(5)
    }
    return yield* Effect.dieMessage("eventually: timed out")
  })

export const until = (predicate: () => boolean, timeoutMs = 5000): Effect.Effect<void> =>
  eventually(Effect.sync(() => predicate() ? Option.some(undefined) : Option.none()), timeoutMs)

/** pending TestClock sleeps due within `withinMs`, relative to now */
export const pendingSleeps = (withinMs: number): Effect.Effect<Array<number>> =>
  Effect.gen(function*() {
    const now = yield* TestClock.currentTimeMillis
    return Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((d) => d > now && d <= now + withinMs).map((d) =>
      d - now
    )
  })

/** the earliest TestClock sleep due within `withinMs`, once one is registered */
export const nextSleepWithin = (withinMs: number): Effect.Effect<number> =>
  eventually(
    Effect.map(pendingSleeps(withinMs), (due) => due.length === 0 ? Option.none() : Option.some(Math.min(...due)))
  )

/** advance the TestClock sleep by sleep until `fiber` completes */
export const driveUntilDone = <A, E>(
  fiber: Fiber.RuntimeFiber<A, E>,
  withinMs = 600_000
): Effect.Effect<Exit.Exit<A, E>> =>
  Effect.gen(function*() {
    for (let i = 0; i < 20_000; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return done.value
      const due = yield* pendingSleeps(withinMs)
      if (due.length > 0) yield* TestClock.adjust(Math.min(...due))
      else yield* liveSleep(2)
    }
    return yield* Effect.dieMessage("driveUntilDone: gave up")
  })
