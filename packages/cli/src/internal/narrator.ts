/** @internal */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Progress from "../Progress.js"

/**
 * Prints the demo's narrative and records how long each step took.
 *
 * @internal
 */
export interface Narrator {
  readonly say: (line: string) => Effect.Effect<void>
  readonly step: <A, E, R>(title: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly timings: Effect.Effect<ReadonlyArray<{ readonly title: string; readonly duration: Duration.Duration }>>
}

const write = (text: string) =>
  Effect.sync(() => {
    // a progress bar may be on the current line of a terminal: clear it first
    process.stdout.write(`${process.stdout.isTTY === true ? "\r\x1b[2K" : ""}${text}\n`)
  })

/** @internal */
export const make = (totalSteps: number): Effect.Effect<Narrator> =>
  Effect.gen(function*() {
    const timings = yield* Ref.make<ReadonlyArray<{ readonly title: string; readonly duration: Duration.Duration }>>(
      []
    )
    const counter = yield* Ref.make(0)
    return {
      say: (line) => write(`  ${line}`),
      step: (title, effect) =>
        Effect.gen(function*() {
          const n = yield* Ref.updateAndGet(counter, (k) => k + 1)
          yield* write(`\n▸ ${n}/${totalSteps}  ${title}`)
          const [duration, value] = yield* Effect.timed(effect)
          yield* Ref.update(timings, (ts) => [...ts, { title, duration }])
          yield* write(`  ✓ ${Progress.formatDuration(duration)}`)
          return value
        }),
      timings: Ref.get(timings)
    }
  })
