/**
 * Data parts of stream executions: upload (gzip sniffed by its magic bytes, CSV checked
 * against the DataSet's schema while it streams in, stored as ~1 MiB blobs) and commit (parts
 * read back blob by blob in part id order and imported in one transaction).
 *
 * @since 0.1.0
 * @internal
 */
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import * as Zlib from "node:zlib"
import * as Csv from "../Csv.js"
import * as DataStore from "../DataStore.js"
import { badRequest, DomoFailure } from "../DomoError.js"
import * as Values from "../Values.js"
import type { StoredExecution, StoredStream } from "./streamsStore.js"
import { BATCH_ID, BATCH_LAST_RUN, nowIso, setExecutionState } from "./streamsStore.js"

/**
 * The most discontinuities tolerated among an execution's part ids at commit. Part ids sorted;
 * each step of more than 1 is one discontinuity, and so is a first id above 1 (ids may start
 * at 0, as pydomo numbers them, or 1, as Domo's docs do). Domo tolerates "some" gaps and
 * answers `Too many non-consecutive part ids…` beyond; its limit is not published.
 *
 * @internal
 */
export const MAX_PART_ID_GAPS = 10

/** @internal */
export const NON_CONSECUTIVE = "Too many non-consecutive part ids. Make consecutive or upload multiple data versions"

const BLOB_BYTES = 1024 * 1024

/**
 * The part tables (idempotent). A part's bytes are rows of `stream_part_blobs` under an
 * upload id; `stream_parts` points at the upload that won (a re-upload replaces it).
 *
 * @internal
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS stream_uploads (id INTEGER PRIMARY KEY AUTOINCREMENT)`
  yield* sql`CREATE TABLE IF NOT EXISTS stream_part_blobs (
    upload_id INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (upload_id, seq))`
  yield* sql`CREATE TABLE IF NOT EXISTS stream_parts (
    stream_id INTEGER NOT NULL, execution_id INTEGER NOT NULL, part_id INTEGER NOT NULL,
    upload_id INTEGER NOT NULL, row_count INTEGER NOT NULL, byte_count INTEGER NOT NULL,
    ends_with_newline INTEGER NOT NULL, PRIMARY KEY (stream_id, execution_id, part_id))`
})

interface PartRow {
  readonly part_id: number
  readonly upload_id: number
  readonly row_count: number
  readonly byte_count: number
  readonly ends_with_newline: number
}

const dropUploads = (where: string, params: ReadonlyArray<unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.zipRight(
      sql.unsafe(
        `DELETE FROM stream_part_blobs WHERE upload_id IN (SELECT upload_id FROM stream_parts WHERE ${where})`,
        params
      ),
      sql.unsafe(`DELETE FROM stream_parts WHERE ${where}`, params)
    ))

/** Drop the parts of one execution. @internal */
export const dropExecutionParts = (streamId: number, executionId: number) =>
  dropUploads("stream_id = ? AND execution_id = ?", [streamId, executionId])

/** Drop the parts of every execution of a stream. @internal */
export const dropStreamParts = (streamId: number): Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.asVoid(dropUploads("stream_id = ?", [streamId]))

/** Totals of the parts stored for an execution. @internal */
export const partTotals = (
  streamId: number,
  executionId: number
): Effect.Effect<{ readonly rows: number; readonly bytes: number }, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ rows: number | null; bytes: number | null }>`SELECT sum(row_count) AS rows, sum(byte_count) AS bytes
        FROM stream_parts WHERE stream_id = ${streamId} AND execution_id = ${executionId}`,
      (r) => ({ rows: r[0]?.rows ?? 0, bytes: r[0]?.bytes ?? 0 })
    ))

const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

// The first bytes of a body (at least 2 unless it is shorter) and the body again, whole.
const sniff = <E>(
  body: Stream.Stream<Uint8Array, E>
): Effect.Effect<readonly [Uint8Array, Stream.Stream<Uint8Array, E>], E, Scope.Scope> =>
  Effect.gen(function*() {
    let head = new Uint8Array(0)
    let rest = body
    while (head.length < 2) {
      const [first, tail] = yield* Stream.peel(rest, Sink.head<Uint8Array>())
      rest = tail
      if (Option.isNone(first)) return [head, Stream.empty] as const
      const joined = new Uint8Array(head.length + first.value.length)
      joined.set(head)
      joined.set(first.value, head.length)
      head = joined
    }
    return [head, Stream.concat(Stream.make(head), rest)] as const
  })

const invalidCsv = (detail: string) => badRequest(`Invalid CSV provided during upload. msg=${detail}`)

/**
 * Store one part: the body (gzip or not, whatever the headers say) is inflated, checked row by
 * row against the DataSet's columns (the batch columns excepted) with Domo's messages, and
 * kept as blobs. A bad part is not stored (a previous upload of the same part id stays); a good
 * one replaces any previous upload of its id.
 *
 * @internal
 */
export const uploadPart = (
  stream: StoredStream,
  execution: StoredExecution,
  dataset: DataStore.StoredDataSet,
  partId: number,
  body: Stream.Stream<Uint8Array, DomoFailure>
): Effect.Effect<
  { readonly rows: number; readonly bytes: number },
  SqlError.SqlError | DomoFailure,
  SqlClient.SqlClient
> =>
  Effect.scoped(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const columns = dataset.columns.filter((c) => c.name !== BATCH_ID && c.name !== BATCH_LAST_RUN)
    const expected = columns.length
    const [head, whole] = yield* sniff(body)
    const plain: Stream.Stream<Uint8Array, DomoFailure> = isGzip(head)
      ? Stream.mapError(
        NodeStream.pipeThroughSimple(whole, () => Zlib.createGunzip()),
        (e) => e instanceof DomoFailure ? e : badRequest(`Invalid gzip data in part ${partId}: ${e.message}`)
      )
      : whole
    const upload = (yield* sql<{ id: number }>`INSERT INTO stream_uploads DEFAULT VALUES RETURNING id`)[0]!.id
    const parser = new Csv.Parser()
    const decoder = new TextDecoder("utf-8")
    let failure: DomoFailure | undefined
    let rows = 0
    let bytes = 0
    let lastByte = -1
    let seq = 0
    let pending: Array<Uint8Array> = []
    let pendingBytes = 0
    const check = (parsed: Array<Array<Csv.Field>>, firstRow: number) => {
      for (let r = 0; r < parsed.length; r++) {
        const fields = parsed[r]!
        const row = firstRow + r
        if (fields.length > expected) {
          throw invalidCsv(`There are too many columns. Expected ${expected}. Row ${row}, column ${expected + 1}.`)
        }
        if (fields.length < expected) {
          throw invalidCsv(
            `There are too few columns. Expected ${expected}. Row ${row}, column ${fields.length + 1}.`
          )
        }
        for (let c = 0; c < expected; c++) {
          const value = Values.fromField(columns[c]!.type, fields[c]!)
          if (value !== null && typeof value === "object") {
            throw invalidCsv(`${value.error}. Row ${row}, column ${c + 1}.`)
          }
        }
        rows++
      }
    }
    const feed = (text: string, end: boolean) => {
      if (failure !== undefined) return
      const first = parser.currentRow
      try {
        check(end ? parser.end() : parser.push(text), first)
      } catch (e) {
        failure = e instanceof Csv.CsvSyntaxError
          ? invalidCsv(e.message)
          : typeof e === "object" && e !== null && "_tag" in e && e._tag === "DomoFailure"
          ? e as DomoFailure
          : invalidCsv(String(e))
      }
    }
    const flush = Effect.suspend(() => {
      if (pendingBytes === 0 || failure !== undefined) return Effect.void
      const blob = Buffer.concat(pending, pendingBytes)
      pending = []
      pendingBytes = 0
      return Effect.asVoid(
        sql`INSERT INTO stream_part_blobs (upload_id, seq, data) VALUES (${upload}, ${seq++}, ${blob})`
      )
    })
    const load = Effect.gen(function*() {
      // After the first bad row the rest of the body is still read (and ignored): answering
      // before the client has sent everything would cut its connection.
      yield* Stream.runForEach(plain, (chunk) =>
        Effect.suspend(() => {
          if (chunk.length === 0) return Effect.void
          feed(decoder.decode(chunk, { stream: true }), false)
          if (failure !== undefined) return Effect.void
          bytes += chunk.length
          lastByte = chunk[chunk.length - 1]!
          pending.push(chunk)
          pendingBytes += chunk.length
          return pendingBytes >= BLOB_BYTES ? flush : Effect.void
        }))
      const tail = decoder.decode()
      if (tail !== "") feed(tail, false)
      feed("", true)
      if (failure !== undefined) return yield* failure
      yield* flush
    })
    const dropUpload = Effect.ignore(sql`DELETE FROM stream_part_blobs WHERE upload_id = ${upload}`)
    yield* Effect.onError(load, () => dropUpload)
    yield* sql.withTransaction(Effect.gen(function*() {
      yield* dropUploads("stream_id = ? AND execution_id = ? AND part_id = ?", [stream.id, execution.id, partId])
      yield* sql`INSERT INTO stream_parts (stream_id, execution_id, part_id, upload_id, row_count, byte_count,
          ends_with_newline)
        VALUES (${stream.id}, ${execution.id}, ${partId}, ${upload}, ${rows}, ${bytes},
          ${lastByte === -1 || lastByte === 10 || lastByte === 13 ? 1 : 0})`
    })).pipe(Effect.onError(() => dropUpload))
    return { rows, bytes }
  }))

/**
 * Whether part ids are consecutive enough (see {@link MAX_PART_ID_GAPS}).
 *
 * @internal
 */
export const partIdGaps = (ids: ReadonlyArray<number>): number => {
  if (ids.length === 0) return 0
  const sorted = [...ids].sort((a, b) => a - b)
  let gaps = sorted[0]! > 1 ? 1 : 0
  for (let i = 1; i < sorted.length; i++) if (sorted[i]! - sorted[i - 1]! > 1) gaps++
  return gaps
}

const NEWLINE = new Uint8Array([10])

// One part's bytes, blob by blob (one blob in memory at a time).
const partBytes = (part: PartRow): Stream.Stream<Uint8Array, SqlError.SqlError, SqlClient.SqlClient> => {
  const blobs = Stream.paginateChunkEffect(0, (seq: number) =>
    Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.map(
        sql<{ data: Uint8Array }>`SELECT data FROM stream_part_blobs WHERE upload_id = ${part.upload_id}
          AND seq = ${seq}`,
        (rows) =>
          rows[0] === undefined
            ? [Chunk.empty<Uint8Array>(), Option.none<number>()] as const
            : [Chunk.of(rows[0].data), Option.some(seq + 1)] as const
      )))
  return part.ends_with_newline === 1 ? blobs : Stream.concat(blobs, Stream.make(NEWLINE))
}

/**
 * Commit an execution: its parts, in part id order, join the DataSet as the execution's update
 * method says (REPLACE, APPEND, or UPSERT on the stream's key columns), each row stamped with
 * `_BATCH_ID_` (the execution id) and `_BATCH_LAST_RUN_` (now). All or nothing: one
 * transaction covers the rows, the DataSet's counters and the execution's new state.
 *
 * @internal
 */
export const commit = (
  stream: StoredStream,
  execution: StoredExecution,
  dataset: DataStore.StoredDataSet
): Effect.Effect<StoredExecution, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const parts = yield* sql<PartRow>`SELECT part_id, upload_id, row_count, byte_count, ends_with_newline
      FROM stream_parts WHERE stream_id = ${stream.id} AND execution_id = ${execution.id} ORDER BY part_id`
    if (partIdGaps(parts.map((p) => p.part_id)) > MAX_PART_ID_GAPS) return yield* badRequest(NON_CONSECUTIVE)
    const now = yield* nowIso
    const body = Stream.flatMap(Stream.fromIterable(parts), partBytes, { concurrency: 1 })
    // Domo's docs spell upsert as APPEND plus keyColumnNames, pydomo as UPSERT: both upsert.
    const method: DataStore.ImportMethod = execution.updateMethod === "REPLACE"
      ? { _tag: "REPLACE" }
      : stream.keyColumnNames.length > 0
      ? { _tag: "UPSERT", keyColumns: stream.keyColumnNames }
      : { _tag: "APPEND" }
    const bytes = parts.reduce((n, p) => n + p.byte_count, 0)
    return yield* sql.withTransaction(Effect.gen(function*() {
      // captured inside the transaction: the part reads must use its connection
      const context = yield* Effect.context<SqlClient.SqlClient>()
      const result = yield* DataStore.importCsv(dataset, Stream.provideContext(body, context), method, {
        fixedValues: [execution.id, now.replace(/Z$/, "")]
      })
      yield* dropExecutionParts(stream.id, execution.id)
      return yield* setExecutionState(execution, "SUCCESS", { rows: result.rows, bytes })
    }))
  })
