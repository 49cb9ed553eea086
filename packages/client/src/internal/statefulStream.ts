/**
 * A stream transformer over a mutable, per-run state machine: everything produced before a
 * failure is emitted, then the stream fails, and upstream is not pulled any further.
 *
 * @internal
 */
import type * as Cause from "effect/Cause"
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Stream from "effect/Stream"

/** @internal */
export interface Step<B, Err> {
  readonly out: Array<B>
  readonly error?: Err | undefined
}

/** @internal */
export interface Machine<A, B, Err> {
  readonly push: (input: Chunk.Chunk<A>) => Step<B, Err>
  readonly end: () => Step<B, Err>
}

/** @internal */
export const transform =
  <A, B, Err>(make: () => Machine<A, B, Err>) => <E, R>(self: Stream.Stream<A, E, R>): Stream.Stream<B, E | Err, R> =>
    Stream.suspend(() => {
      const machine = make()
      const emit = (step: Step<B, Err>, next: () => Channel.Channel<Chunk.Chunk<B>, Chunk.Chunk<A>, E | Err, E>) => {
        const write = step.out.length > 0 ? Channel.write(Chunk.unsafeFromArray(step.out)) : Channel.void
        return Channel.zipRight(write, step.error === undefined ? next() : Channel.fail(step.error))
      }
      const loop = (): Channel.Channel<Chunk.Chunk<B>, Chunk.Chunk<A>, E | Err, E, unknown, unknown> =>
        Channel.readWithCause({
          onInput: (input: Chunk.Chunk<A>) => emit(machine.push(input), loop),
          onFailure: (cause: Cause.Cause<E>) => Channel.failCause(cause),
          onDone: () => emit(machine.end(), () => Channel.void)
        })
      return Stream.pipeThroughChannelOrFail(self, loop())
    })
