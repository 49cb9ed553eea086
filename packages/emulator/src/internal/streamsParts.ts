/**
 * Data parts of stream executions: upload (gzip sniffed by its magic bytes, CSV checked
 * against the DataSet's schema while it streams in and loaded into a table of its own) and
 * commit (the part tables copied in part id order into the DataSet, inside SQLite, in one
 * transaction). Rows are parsed and converted once, while the parts arrive (in parallel with a
 * client still encoding later parts), so a commit is a copy.
 *
 * @since 0.1.0
 * @internal
 */
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import * as Zlib from "node:zlib"
import * as DataStore from "../DataStore.js"
import { badRequest, DomoFailure } from "../DomoError.js"
import * as CsvLoad from "./csvLoad.js"
import type { StoredExecution, StoredStream } from "./streamsStore.js"
import { BATCH_ID, BATCH_LAST_RUN, nowIso, requireExecution, setExecutionState } from "./streamsStore.js"
import * as Tables from "./tables.js"

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

/**
 * The part table (idempotent): each uploaded part's rows are in a table of their own
 * (`table`), with the DataSet's columns at upload time (`columns_json`); a re-upload of a part
 * id replaces its table.
 *
 * @internal
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS stream_part_tables (
    stream_id INTEGER NOT NULL, execution_id INTEGER NOT NULL, part_id INTEGER NOT NULL,
    part_table TEXT NOT NULL, columns_json TEXT NOT NULL, row_count INTEGER NOT NULL,
    byte_count INTEGER NOT NULL, PRIMARY KEY (stream_id, execution_id, part_id))`
})

interface PartRow {
  readonly part_id: number
  readonly part_table: string
  readonly columns_json: string
  readonly row_count: number
  readonly byte_count: number
}

const dropParts = (where: string, params: ReadonlyArray<unknown>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const tables = yield* sql.unsafe<{ part_table: string }>(
      `SELECT part_table FROM stream_part_tables WHERE ${where}`,
      params
    )
    yield* Effect.forEach(tables, (t) => Tables.dropTable(t.part_table), { discard: true })
    yield* sql.unsafe(`DELETE FROM stream_part_tables WHERE ${where}`, params)
  })

/** Drop the parts of one execution. @internal */
export const dropExecutionParts = (streamId: number, executionId: number) =>
  dropParts("stream_id = ? AND execution_id = ?", [streamId, executionId])

/** Drop the parts of every execution of a stream. @internal */
export const dropStreamParts = (streamId: number): Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> =>
  dropParts("stream_id = ?", [streamId])

/** Totals of the parts stored for an execution. @internal */
export const partTotals = (
  streamId: number,
  executionId: number
): Effect.Effect<{ readonly rows: number; readonly bytes: number }, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ rows: number | null; bytes: number | null }>`SELECT sum(row_count) AS rows, sum(byte_count) AS bytes
        FROM stream_part_tables WHERE stream_id = ${streamId} AND execution_id = ${executionId}`,
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

/**
 * Store one part: the body (gzip or not, whatever the headers say) is inflated, checked row by
 * row against the DataSet's columns (the batch columns excepted) with Domo's messages, and
 * loaded into a table of its own. A bad part is not stored (a previous upload of the same part
 * id stays); a good one replaces any previous upload of its id.
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
    const columns = partColumns(dataset)
    const [head, whole] = yield* sniff(body)
    let bytes = 0
    const plain: Stream.Stream<Uint8Array, DomoFailure> = Stream.map(
      isGzip(head)
        ? Stream.mapError(
          // 256 KiB out per chunk (zlib's default is 16 KiB): fewer stream steps per part;
          // measured 0.3–0.4 s less for a 1,000,000-row upload in 7 parts
          NodeStream.pipeThroughSimple(whole, () => Zlib.createGunzip({ chunkSize: 256 * 1024 })),
          (e) => e instanceof DomoFailure ? e : badRequest(`Invalid gzip data in part ${partId}: ${e.message}`)
        )
        : whole,
      (chunk) => {
        bytes += chunk.length
        return chunk
      }
    )
    const table = yield* Tables.newTableName(`part_${stream.id}_${execution.id}_${partId}`)
    yield* Tables.createTable(table, columns)
    const dropPart = Effect.ignore(Tables.dropTable(table))
    const { rows } = yield* Effect.onError(CsvLoad.loadCsv(table, columns, plain, []), () => dropPart)
    yield* sql.withTransaction(Effect.gen(function*() {
      yield* dropParts("stream_id = ? AND execution_id = ? AND part_id = ?", [stream.id, execution.id, partId])
      yield* sql`INSERT INTO stream_part_tables (stream_id, execution_id, part_id, part_table, columns_json,
          row_count, byte_count)
        VALUES (${stream.id}, ${execution.id}, ${partId}, ${table}, ${JSON.stringify(columns)}, ${rows}, ${bytes})`
    })).pipe(Effect.onError(() => dropPart))
    return { rows, bytes }
  }))

/** The columns a part carries: the DataSet's, without the batch columns the commit stamps. */
const partColumns = (dataset: DataStore.StoredDataSet) =>
  dataset.columns.filter((c) => c.name !== BATCH_ID && c.name !== BATCH_LAST_RUN)

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
    // One transaction from the state check to the new state: nothing (an abort, a part upload,
    // a schema change) can come between them.
    return yield* sql.withTransaction(Effect.gen(function*() {
      const current = yield* requireExecution(stream.id, execution.id)
      if (current.state !== "ACTIVE") {
        return yield* badRequest(`Stream execution ${current.id} is not active (currentState ${current.state})`)
      }
      const target = yield* DataStore.require(dataset.id)
      const parts = yield* sql<PartRow>`SELECT part_id, part_table, columns_json, row_count, byte_count
        FROM stream_part_tables WHERE stream_id = ${stream.id} AND execution_id = ${execution.id} ORDER BY part_id`
      if (partIdGaps(parts.map((p) => p.part_id)) > MAX_PART_ID_GAPS) return yield* badRequest(NON_CONSECUTIVE)
      // parts were checked against the schema of their upload: a schema changed since cannot take them
      const columns = JSON.stringify(partColumns(target))
      if (parts.some((p) => p.columns_json !== columns)) {
        return yield* badRequest(
          "The DataSet schema changed after parts of this execution were uploaded. Upload the parts again."
        )
      }
      const now = yield* nowIso
      // Domo's docs spell upsert as APPEND plus keyColumnNames, pydomo as UPSERT: both upsert.
      const method: DataStore.ImportMethod = current.updateMethod === "REPLACE"
        ? { _tag: "REPLACE" }
        : stream.keyColumnNames.length > 0
        ? { _tag: "UPSERT", keyColumns: stream.keyColumnNames }
        : { _tag: "APPEND" }
      const bytes = parts.reduce((n, p) => n + p.byte_count, 0)
      const result = yield* DataStore.importTables(
        target,
        parts.map((p) => ({ table: p.part_table, rows: p.row_count })),
        method,
        new Map<string, string | number>([[BATCH_ID, current.id], [BATCH_LAST_RUN, now.replace(/Z$/, "")]])
      )
      yield* dropExecutionParts(stream.id, execution.id)
      return yield* setExecutionState(current, "SUCCESS", { rows: result.rows, bytes })
    }))
  })
