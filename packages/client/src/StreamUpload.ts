/**
 * Large uploads through Domo's Stream API, fast and all-or-nothing: typed rows (with a
 * `DomoTable`) or CSV bytes become a committed execution.
 *
 * - The input is split into parts of `partSize` bytes (before gzip), numbered 1, 2, 3, … with no
 *   gap, each cut at a record boundary.
 * - Each part is gzipped while it fills, on zlib's thread pool, in parallel with the encoding.
 * - Up to `concurrency` parts upload at once; encode, compress and upload overlap with bounded
 *   buffers, so memory stays about `concurrency × partSize` whatever the input size.
 * - Each part is retried on its own (a part upload is idempotent) by `DomoHttpClient`'s policy,
 *   Retry-After honoured, the token checked before every attempt.
 * - Anything failing, or the fiber being interrupted, aborts the execution: nothing is
 *   committed. The error (`StreamUploadError`) says which part and why.
 * - After the commit the row count Domo reports is checked against the rows sent.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as DomoError from "./DomoError.js"
import type * as DomoHttpClient from "./DomoHttpClient.js"
import type * as DomoTable from "./DomoTable.js"
import * as StreamSetup from "./internal/streamSetup.js"
import { blockBytesFor } from "./internal/uploadBlocks.js"
import { checkTable, gzipLevelOf, positiveInt } from "./internal/uploadChecks.js"
import type { CompressFailure } from "./internal/uploadParts.js"
import { intoParts, type Part } from "./internal/uploadParts.js"
import * as Steps from "./internal/uploadSteps.js"
import type * as StreamModels from "./StreamModels.js"
import { Streams } from "./Streams.js"

// ---------------------------------------------------------------------------------------------
// sources
// ---------------------------------------------------------------------------------------------

/**
 * What to upload: typed rows with their table (`fromRows`), or CSV bytes (`fromCsv`).
 *
 * @since 0.1.0
 * @category models
 */
export type Source<E, R> =
  | {
    readonly _tag: "Rows"
    readonly table: DomoTable.DomoTable.Any
    readonly rows: Stream.Stream<unknown, E, R>
  }
  | {
    readonly _tag: "Csv"
    readonly bytes: Stream.Stream<Uint8Array, E, R>
    readonly header: boolean
  }

/**
 * Typed rows, encoded as CSV with the table's encoder. Before uploading, the table is checked
 * against the stream's DataSet schema.
 *
 * @since 0.1.0
 * @category sources
 */
export const fromRows = <T extends DomoTable.DomoTable.Any, E, R>(
  table: T,
  rows: Stream.Stream<DomoTable.Row<T>, E, R>
): Source<E, R> => ({ _tag: "Rows", table, rows })

/**
 * UTF-8 CSV bytes, in any chunking (LF or CRLF records, RFC 4180 quoting). Domo's parts carry no
 * header: with `header: true` the first record is dropped. A leading byte order mark is dropped.
 *
 * @since 0.1.0
 * @category sources
 */
export const fromCsv = <E, R>(
  bytes: Stream.Stream<Uint8Array, E, R>,
  options?: { readonly header?: boolean | undefined }
): Source<E, R> => ({ _tag: "Csv", bytes, header: options?.header === true })

// ---------------------------------------------------------------------------------------------
// options, progress, result
// ---------------------------------------------------------------------------------------------

/**
 * What an upload reports while it runs, for progress bars. Totals are cumulative.
 *
 * @since 0.1.0
 * @category models
 */
export type Progress =
  | { readonly _tag: "Started"; readonly streamId: number; readonly executionId: number }
  | {
    readonly _tag: "PartUploaded"
    readonly partId: number
    /** rows, CSV bytes and bytes sent (gzipped) of this part */
    readonly rows: number
    readonly bytes: number
    readonly sentBytes: number
    readonly partsDone: number
    readonly rowsDone: number
    readonly bytesDone: number
    readonly sentBytesDone: number
  }
  | { readonly _tag: "Committing"; readonly parts: number; readonly rows: number }
  | { readonly _tag: "Committed"; readonly execution: StreamModels.Execution }

/**
 * Upload options. Defaults in brackets.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** this execution's update method; the stream's own when absent */
  readonly updateMethod?: StreamModels.UpdateMethod | undefined
  /** bytes of CSV per part, before gzip; Domo advises 10–100 MB [10 MiB] */
  readonly partSize?: number | undefined
  /** parts uploading at once [4] */
  readonly concurrency?: number | undefined
  /** gzip level 1–9, or `"none"` to send plain CSV [1: 3× faster than 6 for 12 % more bytes] */
  readonly gzipLevel?: number | "none" | undefined
  /** called (in order) with every progress event; a failure of the callback fails the upload */
  readonly onProgress?: ((event: Progress) => Effect.Effect<void>) | undefined
  /** how long to wait for Domo to finish an asynchronous commit [10 minutes] */
  readonly commitTimeout?: Duration.DurationInput | undefined
  /** check the table against the stream's DataSet schema before uploading rows [true] */
  readonly checkSchema?: boolean | undefined
}

/**
 * The default part size: 10 MiB of CSV (before gzip, 10.5 MB), at the low end of Domo's advised
 * 10–100 MB: more parts in flight for a given upload and a shorter tail after the last row is
 * encoded (measured with 1,000,000 rows: 1.86 s against 2.41 s with 32 MiB parts to a server that
 * discards them; 2.7 s against 3.3 s over a 12.5 MB/s, 30 ms link), and less memory
 * (`concurrency` × part size).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPartSize = 10 * 1024 * 1024

/**
 * The default number of parts uploading at once.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultConcurrency = 4

/**
 * The default gzip level: level 1 compresses about 3× faster than level 6 for about 12 % more
 * bytes, and compression is the slowest stage of an upload.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultGzipLevel = 1

/**
 * What a finished upload did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  readonly streamId: number
  readonly executionId: number
  readonly parts: number
  readonly rows: number
  /** CSV bytes before compression */
  readonly bytes: number
  /** bytes sent (after gzip) */
  readonly sentBytes: number
  /** the committed execution as Domo reports it */
  readonly execution: StreamModels.Execution
  /** whether Domo reported a row count to check against (it matched: a mismatch is an error) */
  readonly rowCountChecked: boolean
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * Where an upload failed: `execution` (starting it), `schema` (the table does not match the
 * DataSet), `input` (rows that cannot be encoded, CSV that cannot be split), `compress`, `part`
 * (a part upload, after its retries), `commit`, `verify` (Domo committed a different number of
 * rows than were sent).
 *
 * @since 0.1.0
 * @category models
 */
export const Stage = Schema.Literal("execution", "schema", "input", "compress", "part", "commit", "verify")

/**
 * @since 0.1.0
 * @category models
 */
export type Stage = typeof Stage.Type

/**
 * An upload that did not complete. Unless `stage` is `verify`, nothing was committed: `aborted`
 * says whether the execution was aborted on Domo (when false, Domo drops it when the next one
 * starts). `cause` is the underlying error (a `DomoError`, `CsvEncodeError`, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class StreamUploadError extends Schema.TaggedError<StreamUploadError>("@effect-domo/client/StreamUploadError")(
  "StreamUploadError",
  {
    streamId: Schema.Number,
    executionId: Schema.optional(Schema.Number),
    stage: Stage,
    partId: Schema.optional(Schema.Number),
    reason: Schema.String,
    aborted: Schema.Boolean,
    cause: Schema.optional(Schema.Defect)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const where = `stream ${this.streamId}${this.executionId === undefined ? "" : `, execution ${this.executionId}`}`
    const what = this.partId === undefined ? this.stage : `part ${this.partId}`
    const outcome = this.stage === "verify"
      ? ""
      : this.executionId === undefined
      ? "; nothing was uploaded"
      : this.aborted
      ? "; the execution was aborted, nothing was committed"
      : "; nothing was committed (the abort call failed too)"
    return `${where}: ${what} failed: ${this.reason}${outcome}`
  }
}

/**
 * Uploads a source to a stream as one execution and commits it; see the module description. The
 * source's own errors `E` pass through unchanged (after the execution is aborted).
 *
 * @example
 * import { DomoTable, StreamUpload } from "@effect-domo/client"
 * import * as Stream from "effect/Stream"
 *
 * const Sales = DomoTable.make("Sales", { region: DomoTable.string, units: DomoTable.long })
 * const rows = Stream.make({ region: "West", units: 3 }, { region: "East", units: 5 })
 * // needs Streams and DomoHttpClient: Streams.layer + Domo.layer
 * const program = StreamUpload.upload(42, StreamUpload.fromRows(Sales, rows), { updateMethod: "REPLACE" })
 *
 * @since 0.1.0
 * @category upload
 */
export const upload = <E, R>(
  streamId: number,
  source: Source<E, R>,
  options?: Options
): Effect.Effect<Result, StreamUploadError | E, Streams | DomoHttpClient.DomoHttpClient | R> =>
  Effect.gen(function*() {
    const streams = yield* Streams
    const invalid = (reason: string) =>
      new StreamUploadError({ streamId, stage: "execution", reason: `invalid options: ${reason}`, aborted: false })
    const settings = Either.all({
      partSize: positiveInt("partSize", options?.partSize, defaultPartSize),
      concurrency: positiveInt("concurrency", options?.concurrency, defaultConcurrency),
      gzipLevel: gzipLevelOf(options?.gzipLevel, defaultGzipLevel)
    })
    if (Either.isLeft(settings)) return yield* invalid(settings.left)
    const { concurrency, gzipLevel, partSize } = settings.right
    const report = options?.onProgress ?? (() => Effect.void)

    // a failure before any execution exists: nothing to abort
    const beforeExecution = (cause: unknown) =>
      new StreamUploadError({ streamId, stage: "execution", reason: Steps.describeCause(cause), aborted: false, cause })

    if (source._tag === "Rows" && options?.checkSchema !== false) {
      const checked = yield* checkTable(streamId, source.table).pipe(
        Effect.mapError(beforeExecution)
      )
      if (Either.isLeft(checked)) {
        return yield* new StreamUploadError({
          streamId,
          stage: "schema",
          reason: checked.left.message,
          aborted: false,
          cause: checked.left
        })
      }
    }

    const execution = yield* streams.createExecution(
      streamId,
      options?.updateMethod === undefined ? {} : { updateMethod: options.updateMethod }
    ).pipe(
      Effect.mapError(beforeExecution)
    )
    const executionId = execution.id
    yield* Effect.annotateCurrentSpan("domo.execution.id", executionId)

    // every part is held until uploaded: the upload stage's concurrency bounds memory
    const totals = { parts: 0, rows: 0, bytes: 0, sentBytes: 0 }
    const sendPart = (part: Part) =>
      Effect.gen(function*() {
        const body = yield* Effect.mapError(
          part.body,
          (e: CompressFailure) => Steps.failure("compress", `gzip failed: ${e.reason}`, part.id)
        )
        yield* streams.uploadPart(streamId, executionId, part.id, body, { gzip: part.gzip }).pipe(
          Effect.mapError((cause) => Steps.failure("part", Steps.describeCause(cause), part.id, cause))
        )
        return { part, sent: body.length }
      })

    const run = Effect.gen(function*() {
      yield* report({ _tag: "Started", streamId, executionId })
      yield* Steps.toBlocks(source, blockBytesFor(partSize)).pipe(
        intoParts({ partSize, gzipLevel, compressorBacklog: Math.min(partSize, 8 * 1024 * 1024) }),
        Stream.mapEffect(sendPart, { concurrency }),
        Stream.runForEach(({ part, sent }) => {
          totals.parts++
          totals.rows += part.rows
          totals.bytes += part.bytes
          totals.sentBytes += sent
          return report({
            _tag: "PartUploaded",
            partId: part.id,
            rows: part.rows,
            bytes: part.bytes,
            sentBytes: sent,
            partsDone: totals.parts,
            rowsDone: totals.rows,
            bytesDone: totals.bytes,
            sentBytesDone: totals.sentBytes
          })
        })
      )
      yield* report({ _tag: "Committing", parts: totals.parts, rows: totals.rows })
      const committed = yield* streams.commit(streamId, executionId).pipe(
        Effect.mapError((cause) => Steps.failure("commit", Steps.describeCause(cause), undefined, cause))
      )
      return yield* Steps.awaitCommit(streams, streamId, executionId, committed, options?.commitTimeout)
    })

    const abort = Steps.abortExecution(streams, streamId, executionId)

    const committed = yield* run.pipe(
      // a plain failure is aborted below (so the error can say whether the abort worked);
      // interruption and defects are aborted here
      Effect.onError((cause) => Cause.isInterrupted(cause) || Cause.isDie(cause) ? abort : Effect.void),
      Effect.catchAll((error: E | Steps.Failure) =>
        Effect.flatMap(abort, (aborted): Effect.Effect<never, E | StreamUploadError> =>
          error instanceof Steps.Failure
            ? Effect.fail(
              new StreamUploadError({
                streamId,
                executionId,
                stage: error.stage,
                partId: error.partId,
                reason: error.reason,
                aborted,
                cause: error.cause
              })
            )
            : Effect.fail(error))
      )
    )
    yield* report({ _tag: "Committed", execution: committed })

    const rowCountChecked = committed.rows !== undefined
    if (committed.rows !== undefined && committed.rows !== totals.rows) {
      return yield* new StreamUploadError({
        streamId,
        executionId,
        stage: "verify",
        reason: `Domo committed ${committed.rows} rows, ${totals.rows} were sent`,
        aborted: false
      })
    }
    return {
      streamId,
      executionId,
      parts: totals.parts,
      rows: totals.rows,
      bytes: totals.bytes,
      sentBytes: totals.sentBytes,
      execution: committed,
      rowCountChecked
    }
  }).pipe(Effect.withSpan("StreamUpload.upload", { attributes: { "domo.stream.id": streamId } }))

/**
 * `upload` as a `Stream` of its progress events (for progress bars): `Started`, one
 * `PartUploaded` per part, `Committing`, `Committed`, then the stream ends; it fails with the
 * upload's error. Stopping the stream early interrupts the upload, which aborts the execution.
 *
 * @since 0.1.0
 * @category upload
 */
export const uploadWithProgress = <E, R>(
  streamId: number,
  source: Source<E, R>,
  options?: Omit<Options, "onProgress">
): Stream.Stream<Progress, StreamUploadError | E, Streams | DomoHttpClient.DomoHttpClient | R> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    // a handful of events per upload (one per part): an unbounded queue never holds much
    const queue = yield* Queue.unbounded<Exit.Exit<Progress | undefined, StreamUploadError | E>>()
    yield* upload(streamId, source, { ...options, onProgress: (event) => Queue.offer(queue, Exit.succeed(event)) })
      .pipe(
        Effect.exit,
        Effect.flatMap((exit) =>
          Queue.offer(queue, Exit.isSuccess(exit) ? Exit.succeed(undefined) : Exit.failCause(exit.cause))
        ),
        Effect.forkScoped
      )
    return Stream.fromQueue(queue).pipe(
      Stream.mapEffect((message) => message),
      Stream.takeWhile((event): event is Progress => event !== undefined)
    )
  }))

/** `upload` with the update method fixed. */
const withUpdateMethod = (updateMethod: NonNullable<Options["updateMethod"]>) =>
<E, R>(
  streamId: number,
  source: Source<E, R>,
  options?: Omit<Options, "updateMethod">
): Effect.Effect<Result, StreamUploadError | E, Streams | DomoHttpClient.DomoHttpClient | R> =>
  upload(streamId, source, { ...options, updateMethod })

/**
 * `upload` replacing the DataSet's rows with the source.
 *
 * @since 0.1.0
 * @category upload
 */
export const replace = withUpdateMethod("REPLACE")

/**
 * `upload` appending the source's rows to the DataSet.
 *
 * @since 0.1.0
 * @category upload
 */
export const append = withUpdateMethod("APPEND")

/**
 * `upload` upserting the source's rows by the stream's `keyColumnNames` (set when the stream was
 * created, see `createForTable`).
 *
 * @since 0.1.0
 * @category upload
 */
export const upsert = withUpdateMethod("UPSERT")

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/**
 * How a stream made from a table lands its data: `REPLACE` [default], `APPEND`, or `UPSERT` by
 * key columns.
 *
 * @since 0.1.0
 * @category models
 */
export type Mode = StreamSetup.Mode

/**
 * Creates a stream and its DataSet from a table: the DataSet's schema is the table's columns.
 * Upsert keys must be columns of the table (else a `BadRequestError`, nothing sent).
 *
 * @since 0.1.0
 * @category helpers
 */
export const createForTable: (
  table: DomoTable.DomoTable.Any,
  options?: {
    readonly name?: string | undefined
    readonly description?: string | undefined
    readonly mode?: Mode | undefined
  }
) => Effect.Effect<StreamModels.Stream, DomoError.DomoError, Streams> = StreamSetup.createForTable

/**
 * The stream feeding a DataSet, if there is one.
 *
 * @since 0.1.0
 * @category helpers
 */
export const findByDatasetId = (
  datasetId: string
): Effect.Effect<Option.Option<StreamModels.Stream>, DomoError.DomoError, Streams> =>
  Effect.flatMap(Streams, (streams) => streams.findByDatasetId(datasetId))
