/**
 * The steps of `StreamUpload.upload` around its part pipeline: the source as blocks, the wait
 * for Domo's (possibly asynchronous) commit, the abort, and the failure they share before it is
 * known whether the abort worked.
 *
 * @internal
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as DomoTable from "../DomoTable.js"
import type * as StreamModels from "../StreamModels.js"
import type { Streams } from "../Streams.js"
import type { Source, Stage } from "../StreamUpload.js"
import { type Block, CsvInputFailure, encodeRows, scanCsv } from "./uploadBlocks.js"

/**
 * A failure of the upload, before it is known whether the abort worked.
 *
 * @internal
 */
export class Failure extends Data.TaggedError("@effect-domo/client/StreamUpload/Failure")<{
  readonly stage: Stage
  readonly reason: string
  readonly partId?: number | undefined
  readonly cause?: unknown
}> {}

/** @internal */
export const failure = (stage: Stage, reason: string, partId?: number, cause?: unknown): Failure =>
  new Failure({ stage, reason, partId, cause })

/** @internal */
export const describeCause = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "message" in cause && typeof cause.message === "string"
    ? cause.message
    : String(cause)

/**
 * The source as record-aligned CSV blocks; bad input is a `Failure` at stage `input`.
 *
 * @internal
 */
export const toBlocks = <E, R>(source: Source<E, R>, blockBytes: number): Stream.Stream<Block, E | Failure, R> =>
  source._tag === "Rows"
    ? source.rows.pipe(
      encodeRows(source.table, blockBytes),
      Stream.mapError((e) =>
        e instanceof DomoTable.CsvEncodeError ? failure("input", describeCause(e), undefined, e) : e
      )
    )
    : source.bytes.pipe(
      scanCsv({ header: source.header, blockBytes }),
      Stream.mapError((e) => e instanceof CsvInputFailure ? failure("input", e.reason) : e)
    )

const isFinished = (execution: StreamModels.Execution): boolean =>
  execution.currentState !== "ACTIVE" || (execution.endedAt !== undefined && execution.endedAt !== null)

// 100 ms, doubling, at most 5 s apart; its output is the execution last read
const pollSchedule = Schedule.union(Schedule.exponential("100 millis"), Schedule.spaced("5 seconds")).pipe(
  Schedule.mapInput((execution: StreamModels.Execution) => execution),
  Schedule.passthrough
)

/**
 * Domo may commit asynchronously (its docs show `ACTIVE` in the commit answer): reads the
 * execution again until it has ended, within `timeout` [10 minutes]; anything but `SUCCESS`
 * is a `Failure` at stage `commit`.
 *
 * @internal
 */
export const awaitCommit = (
  streams: Streams["Type"],
  streamId: number,
  executionId: number,
  committed: StreamModels.Execution,
  timeout: Duration.DurationInput | undefined
): Effect.Effect<StreamModels.Execution, Failure> =>
  Effect.gen(function*() {
    const done = isFinished(committed) ? committed : yield* streams.getExecution(streamId, executionId).pipe(
      Effect.delay(Duration.millis(100)),
      Effect.repeat({ schedule: pollSchedule, until: isFinished }),
      Effect.timeoutFail({
        duration: timeout ?? Duration.minutes(10),
        onTimeout: () => failure("commit", "Domo did not finish the commit in time")
      }),
      Effect.mapError((cause) =>
        cause instanceof Failure ? cause : failure("commit", describeCause(cause), undefined, cause)
      )
    )
    if (done.currentState !== "SUCCESS") {
      return yield* failure("commit", `the execution ended in state ${done.currentState}`)
    }
    return done
  })

/**
 * Aborts the execution, uninterruptibly and within a minute; `true` when Domo took the abort.
 *
 * @internal
 */
export const abortExecution = (
  streams: Streams["Type"],
  streamId: number,
  executionId: number
): Effect.Effect<boolean> =>
  streams.abort(streamId, executionId).pipe(
    Effect.timeout(Duration.minutes(1)),
    Effect.as(true),
    Effect.orElseSucceed(() => false),
    Effect.uninterruptible
  )
