/**
 * Streams and their executions in SQLite, and how Domo renders them.
 *
 * Tables: `streams` (one row per stream, over a DataSet made with it), `stream_executions`
 * (per-stream id sequence from 1). Parts live in `streamsParts.ts`.
 *
 * @since 0.1.0
 * @internal
 */
import type { StreamModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DataStore from "../DataStore.js"
import type { DomoFailure } from "../DomoError.js"
import { notFound } from "../DomoError.js"

/** @internal */
export const BATCH_ID = "_BATCH_ID_"
/** @internal */
export const BATCH_LAST_RUN = "_BATCH_LAST_RUN_"

/** @internal */
export interface StoredStream {
  readonly id: number
  readonly datasetId: string
  readonly updateMethod: StreamModels.UpdateMethod
  readonly keyColumnNames: ReadonlyArray<string>
  readonly createdAt: string
  readonly modifiedAt: string
}

/** @internal */
export interface StoredExecution {
  readonly streamId: number
  readonly id: number
  readonly state: StreamModels.KnownExecutionState
  readonly updateMethod: StreamModels.UpdateMethod
  readonly startedAt: string
  readonly endedAt: string | null
  readonly createdAt: string
  readonly modifiedAt: string
  readonly rows: number
  readonly bytes: number
}

interface StreamRow {
  readonly id: number
  readonly dataset_id: string
  readonly update_method: string
  readonly key_columns: string
  readonly created_at: string
  readonly modified_at: string
}

interface ExecutionRow {
  readonly stream_id: number
  readonly id: number
  readonly state: string
  readonly update_method: string
  readonly started_at: string
  readonly ended_at: string | null
  readonly created_at: string
  readonly modified_at: string
  readonly row_count: number
  readonly byte_count: number
}

const fromStreamRow = (row: StreamRow): StoredStream => ({
  id: row.id,
  datasetId: row.dataset_id,
  updateMethod: row.update_method as StreamModels.UpdateMethod,
  keyColumnNames: JSON.parse(row.key_columns) as Array<string>,
  createdAt: row.created_at,
  modifiedAt: row.modified_at
})

const fromExecutionRow = (row: ExecutionRow): StoredExecution => ({
  streamId: row.stream_id,
  id: row.id,
  state: row.state as StreamModels.KnownExecutionState,
  updateMethod: row.update_method as StreamModels.UpdateMethod,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  createdAt: row.created_at,
  modifiedAt: row.modified_at,
  rows: row.row_count,
  bytes: row.byte_count
})

/**
 * The stream tables (idempotent).
 *
 * @internal
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS streams (
    id INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id TEXT NOT NULL, update_method TEXT NOT NULL,
    key_columns TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL, modified_at TEXT NOT NULL)`
  yield* sql`CREATE INDEX IF NOT EXISTS streams_dataset ON streams (dataset_id)`
  yield* sql`CREATE TABLE IF NOT EXISTS stream_executions (
    stream_id INTEGER NOT NULL, id INTEGER NOT NULL, state TEXT NOT NULL, update_method TEXT NOT NULL,
    started_at TEXT NOT NULL, ended_at TEXT, created_at TEXT NOT NULL, modified_at TEXT NOT NULL,
    row_count INTEGER NOT NULL DEFAULT 0, byte_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stream_id, id))`
})

/**
 * Domo's timestamps: ISO-8601 UTC, second precision.
 *
 * @internal
 */
export const nowIso: Effect.Effect<string> = Effect.map(
  Clock.currentTimeMillis,
  (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")
)

/** @internal */
export const streamNotFound = (id: string | number): DomoFailure => notFound(`Stream ${id} not found`)

/** @internal */
export const executionNotFound = (streamId: number, id: string | number): DomoFailure =>
  notFound(`Stream execution ${id} not found for stream ${streamId}`)

/** A path id as an integer, or the 404 of `missing`. @internal */
export const intId = (raw: string, missing: DomoFailure): Effect.Effect<number, DomoFailure> =>
  /^\d{1,15}$/.test(raw) ? Effect.succeed(Number(raw)) : Effect.fail(missing)

/** @internal */
export const insertStream = (input: {
  readonly datasetId: string
  readonly updateMethod: StreamModels.UpdateMethod
  readonly keyColumnNames: ReadonlyArray<string>
}): Effect.Effect<StoredStream, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const now = yield* nowIso
    const rows = yield* sql<StreamRow>`INSERT INTO streams (dataset_id, update_method, key_columns, created_at,
        modified_at)
      VALUES (${input.datasetId}, ${input.updateMethod}, ${JSON.stringify(input.keyColumnNames)}, ${now}, ${now})
      RETURNING *`
    return fromStreamRow(rows[0]!)
  })

/** @internal */
export const getStream = (
  id: number
): Effect.Effect<Option.Option<StoredStream>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<StreamRow>`SELECT * FROM streams WHERE id = ${id}`,
      (rows) => Option.map(Option.fromNullable(rows[0]), fromStreamRow)
    ))

/** @internal */
export const requireStream = (
  id: number
): Effect.Effect<StoredStream, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.flatMap(
    getStream(id),
    (found) => Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(streamNotFound(id))
  )

/** @internal */
export const listStreams = (options: {
  readonly limit: number
  readonly offset: number
}): Effect.Effect<ReadonlyArray<StoredStream>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<StreamRow>`SELECT * FROM streams ORDER BY id LIMIT ${options.limit} OFFSET ${options.offset}`,
      (rows) => rows.map(fromStreamRow)
    ))

/** Every stream (search filters them with their DataSets). @internal */
export const allStreams: Effect.Effect<ReadonlyArray<StoredStream>, SqlError.SqlError, SqlClient.SqlClient> = Effect
  .flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql<StreamRow>`SELECT * FROM streams ORDER BY id`, (rows) => rows.map(fromStreamRow))
  )

/** @internal */
export const updateStream = (
  id: number,
  patch: {
    readonly updateMethod?: StreamModels.UpdateMethod | undefined
    readonly keyColumnNames?: ReadonlyArray<string> | undefined
  }
): Effect.Effect<StoredStream, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const current = yield* requireStream(id)
    const now = yield* nowIso
    yield* sql`UPDATE streams SET update_method = ${patch.updateMethod ?? current.updateMethod},
      key_columns = ${JSON.stringify(patch.keyColumnNames ?? current.keyColumnNames)}, modified_at = ${now}
      WHERE id = ${id}`
    return yield* requireStream(id)
  })

/** Delete a stream, its executions and their parts (never its DataSet). @internal */
export const deleteStream = (
  id: number,
  dropParts: (streamId: number) => Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient>
): Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(Effect.gen(function*() {
      yield* dropParts(id)
      yield* sql`DELETE FROM stream_executions WHERE stream_id = ${id}`
      yield* sql`DELETE FROM streams WHERE id = ${id}`
    })))

/** @internal */
export const insertExecution = (
  stream: StoredStream,
  updateMethod: StreamModels.UpdateMethod
): Effect.Effect<StoredExecution, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const now = yield* nowIso
    const rows = yield* sql<ExecutionRow>`INSERT INTO stream_executions (stream_id, id, state, update_method,
        started_at, created_at, modified_at)
      VALUES (${stream.id}, (SELECT coalesce(max(id), 0) + 1 FROM stream_executions WHERE stream_id = ${stream.id}),
        'ACTIVE', ${updateMethod}, ${now}, ${now}, ${now})
      RETURNING *`
    return fromExecutionRow(rows[0]!)
  })

/** @internal */
export const getExecution = (
  streamId: number,
  id: number
): Effect.Effect<Option.Option<StoredExecution>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<ExecutionRow>`SELECT * FROM stream_executions WHERE stream_id = ${streamId} AND id = ${id}`,
      (rows) => Option.map(Option.fromNullable(rows[0]), fromExecutionRow)
    ))

/** @internal */
export const requireExecution = (
  streamId: number,
  id: number
): Effect.Effect<StoredExecution, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.flatMap(
    getExecution(streamId, id),
    (found) => Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(executionNotFound(streamId, id))
  )

/** @internal */
export const listExecutions = (
  streamId: number,
  options: { readonly limit: number; readonly offset: number }
): Effect.Effect<ReadonlyArray<StoredExecution>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<ExecutionRow>`SELECT * FROM stream_executions WHERE stream_id = ${streamId} ORDER BY id
        LIMIT ${options.limit} OFFSET ${options.offset}`,
      (rows) => rows.map(fromExecutionRow)
    ))

/** The latest execution, and the latest successful one. @internal */
export const lastExecutions = (
  streamId: number
): Effect.Effect<
  { readonly last: StoredExecution | undefined; readonly lastSuccessful: StoredExecution | undefined },
  SqlError.SqlError,
  SqlClient.SqlClient
> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      Effect.all([
        sql<ExecutionRow>`SELECT * FROM stream_executions WHERE stream_id = ${streamId} ORDER BY id DESC LIMIT 1`,
        sql<ExecutionRow>`SELECT * FROM stream_executions WHERE stream_id = ${streamId} AND state = 'SUCCESS'
          ORDER BY id DESC LIMIT 1`
      ]),
      ([last, ok]) => ({
        last: last[0] === undefined ? undefined : fromExecutionRow(last[0]),
        lastSuccessful: ok[0] === undefined ? undefined : fromExecutionRow(ok[0])
      })
    ))

/** Move an execution to a state (ending it unless `ACTIVE`), with its row and byte counts. @internal */
export const setExecutionState = (
  execution: StoredExecution,
  state: StreamModels.KnownExecutionState,
  counts?: { readonly rows: number; readonly bytes: number } | undefined
): Effect.Effect<StoredExecution, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const now = yield* nowIso
    const ended = state === "ACTIVE" ? null : now
    yield* sql`UPDATE stream_executions SET state = ${state}, ended_at = ${ended}, modified_at = ${now},
      row_count = ${counts?.rows ?? execution.rows}, byte_count = ${counts?.bytes ?? execution.bytes}
      WHERE stream_id = ${execution.streamId} AND id = ${execution.id}`
    return yield* requireExecution(execution.streamId, execution.id)
  })

/** Record the counts of the parts uploaded so far. @internal */
export const touchExecution = (
  execution: StoredExecution,
  counts: { readonly rows: number; readonly bytes: number }
): Effect.Effect<StoredExecution, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  setExecutionState(execution, execution.state, counts)

/** The ACTIVE executions of a stream. @internal */
export const activeExecutions = (
  streamId: number
): Effect.Effect<ReadonlyArray<StoredExecution>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<ExecutionRow>`SELECT * FROM stream_executions WHERE stream_id = ${streamId} AND state = 'ACTIVE'
        ORDER BY id`,
      (rows) => rows.map(fromExecutionRow)
    ))

/**
 * An execution as Domo answers it. `endedAt` only once it ended.
 *
 * @internal
 */
export const executionJson = (execution: StoredExecution): Record<string, unknown> => ({
  id: execution.id,
  startedAt: execution.startedAt,
  ...(execution.endedAt === null ? {} : { endedAt: execution.endedAt }),
  currentState: execution.state,
  createdAt: execution.createdAt,
  modifiedAt: execution.modifiedAt,
  updateMethod: execution.updateMethod,
  rows: execution.rows,
  bytes: execution.bytes
})

/**
 * A stream as `GET /v1/streams/{id}?fields=all` answers. A stream whose DataSet was deleted
 * answers a subset with `deleted: true`.
 *
 * @internal
 */
export const streamJson = (
  stream: StoredStream
): Effect.Effect<Record<string, unknown>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const dataset = yield* DataStore.get(stream.datasetId)
    if (Option.isNone(dataset) || dataset.value.deleted) {
      return {
        id: stream.id,
        dataSet: { id: stream.datasetId },
        updateMethod: stream.updateMethod,
        createdAt: stream.createdAt,
        modifiedAt: stream.modifiedAt,
        deleted: true
      }
    }
    const { last, lastSuccessful } = yield* lastExecutions(stream.id)
    return {
      id: stream.id,
      dataSet: DataStore.summaryJson(dataset.value),
      updateMethod: stream.updateMethod,
      ...(stream.keyColumnNames.length === 0 ? {} : { keyColumnNames: stream.keyColumnNames }),
      createdAt: stream.createdAt,
      modifiedAt: stream.modifiedAt,
      ...(last === undefined ? {} : { lastExecution: executionJson(last) }),
      ...(lastSuccessful === undefined ? {} : { lastSuccessfulExecution: executionJson(lastSuccessful) })
    }
  })

/** A list or search item without `fields=all`: the DataSet is only `{ id, pdpEnabled }`. @internal */
export const summaryJson = (full: Record<string, unknown>): Record<string, unknown> => {
  const dataSet = full.dataSet as Record<string, unknown>
  return {
    id: full.id,
    dataSet: { id: dataSet.id, pdpEnabled: dataSet.pdpEnabled ?? false },
    updateMethod: full.updateMethod,
    createdAt: full.createdAt,
    modifiedAt: full.modifiedAt,
    ...(full.deleted === true ? { deleted: true } : {})
  }
}

const FIELD_KEYS: Record<string, ReadonlyArray<string>> = {
  id: ["id"],
  dataset: ["dataSet"],
  updatemethod: ["updateMethod"],
  createdat: ["createdAt"],
  modifiedat: ["modifiedAt"],
  keycolumnnames: ["keyColumnNames"],
  lastexecution: ["lastExecution"],
  lastsuccessfulexecution: ["lastSuccessfulExecution"]
}

/**
 * Apply `fields`: `all` (or absent, for a single stream) is everything; else `id` plus the
 * named fields (`id, dataset, updateMethod, createdAt, modifiedAt`, case-insensitive).
 *
 * @internal
 */
export const pickFields = (full: Record<string, unknown>, fields: string | null): Record<string, unknown> => {
  if (fields === null || fields.trim() === "") return full
  const names = fields.split(",").map((f) => f.trim().toLowerCase()).filter((f) => f !== "")
  if (names.includes("all")) return full
  const out: Record<string, unknown> = { id: full.id }
  for (const name of names) {
    for (const key of FIELD_KEYS[name] ?? []) if (key in full) out[key] = full[key]
  }
  if (full.deleted === true) out.deleted = true
  return out
}
