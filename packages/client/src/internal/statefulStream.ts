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

/**
 * With `perElement`, each element of an input chunk is pushed (and its output written) on its
 * own: a chunk holding many large elements (byte buffers) never turns into one huge output chunk.
 *
 * @internal
 */
export const transform =
  <A, B, Err>(make: () => Machine<A, B, Err>, options?: { readonly perElement?: boolean }) =>
  <E, R>(self: Stream.Stream<A, E, R>): Stream.Stream<B, E | Err, R> =>
    Stream.suspend(() => {
      const machine = make()
      type Out = Channel.Channel<Chunk.Chunk<B>, Chunk.Chunk<A>, E | Err, E, unknown, unknown>
      const emit = (step: Step<B, Err>, next: () => Out): Out => {
        const write = step.out.length > 0 ? Channel.write(Chunk.unsafeFromArray(step.out)) : Channel.void
        return Channel.zipRight(write, step.error === undefined ? next() : Channel.fail(step.error))
      }
      const each = (input: Chunk.Chunk<A>, index: number): Out =>
        index >= Chunk.size(input)
          ? loop()
          : emit(
            machine.push(Chunk.of(Chunk.unsafeGet(input, index))),
            () => Channel.suspend(() => each(input, index + 1))
          )
      const loop = (): Out =>
        Channel.readWithCause({
          onInput: (input: Chunk.Chunk<A>) =>
            options?.perElement === true && Chunk.size(input) > 1 ? each(input, 0) : emit(machine.push(input), loop),
          onFailure: (cause: Cause.Cause<E>) => Channel.failCause(cause),
          onDone: () => emit(machine.end(), () => Channel.void)
        })
      return Stream.pipeThroughChannelOrFail(self, loop())
    })
