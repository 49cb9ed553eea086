/**
 * DataSets in SQLite: the `datasets` table (metadata) and one data table per DataSet version
 * with typed columns named as the DataSet's columns. Used by the DataSet, Simple and Stream
 * routes.
 *
 * Imports go to a staging table first; only a complete, valid import replaces or joins the
 * current rows (in one transaction), so a bad CSV leaves the DataSet as it was. Exports read
 * the rows page by page (constant memory).
 *
 * @since 0.1.0
 */
import type { DataSetModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import { randomUuid } from "./Auth.js"
import { badRequest, DomoFailure, notFound } from "./DomoError.js"
import * as CsvLoad from "./internal/csvLoad.js"
import * as DataExport from "./internal/dataExport.js"
import * as Tables from "./internal/tables.js"
import { createTable, dropTable, newTableName, retireTable } from "./internal/tables.js"

/**
 * A stored DataSet.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredDataSet {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly columns: ReadonlyArray<DataSetModels.Column>
  readonly ownerId: number
  readonly ownerName: string
  readonly rows: number
  readonly createdAt: string
  readonly updatedAt: string
  readonly dataCurrentAt: string | null
  readonly pdpEnabled: boolean
  readonly deleted: boolean
  readonly dataTable: string
  /** who made it: `api` (DataSet API), `json` (Simple API), `stream` (Stream API) */
  readonly origin: string
  readonly seq: number
}

interface Row {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly schema_json: string
  readonly owner_id: number
  readonly owner_name: string
  readonly row_count: number
  readonly created_at: string
  readonly updated_at: string
  readonly data_current_at: string | null
  readonly pdp_enabled: number
  readonly deleted: number
  readonly data_table: string
  readonly origin: string
  readonly seq: number
}

const fromRow = (row: Row): StoredDataSet => ({
  id: row.id,
  name: row.name,
  description: row.description,
  columns: JSON.parse(row.schema_json) as Array<DataSetModels.Column>,
  ownerId: row.owner_id,
  ownerName: row.owner_name,
  rows: row.row_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  dataCurrentAt: row.data_current_at,
  pdpEnabled: row.pdp_enabled !== 0,
  deleted: row.deleted !== 0,
  dataTable: row.data_table,
  origin: row.origin,
  seq: row.seq
})

/**
 * A DataSet as a list item (no schema, no policies).
 *
 * @since 0.1.0
 * @category rendering
 */
export const summaryJson = (dataset: StoredDataSet): Record<string, unknown> => ({
  id: dataset.id,
  name: dataset.name,
  description: dataset.description,
  rows: dataset.rows,
  // the columns of the current data version, 0 until data arrives
  columns: dataset.dataCurrentAt === null ? 0 : dataset.columns.length,
  owner: { id: dataset.ownerId, name: dataset.ownerName },
  createdAt: dataset.createdAt,
  updatedAt: dataset.updatedAt,
  ...(dataset.dataCurrentAt === null ? {} : { dataCurrentAt: dataset.dataCurrentAt }),
  pdpEnabled: dataset.pdpEnabled
})

/**
 * The `datasets` table (idempotent).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    Effect.asVoid(sql`CREATE TABLE IF NOT EXISTS datasets (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '', schema_json TEXT NOT NULL, owner_id INTEGER NOT NULL,
      owner_name TEXT NOT NULL, row_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL, data_current_at TEXT, pdp_enabled INTEGER NOT NULL DEFAULT 0,
      deleted INTEGER NOT NULL DEFAULT 0, data_table TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'api')`)
)

/**
 * Quote an SQLite identifier.
 *
 * @since 0.1.0
 * @category storage
 */
export const quoteId: (name: string) => string = Tables.quoteId

/**
 * Check column names: non-empty and unique (case-insensitively, as SQLite compares them).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateColumns = (columns: ReadonlyArray<DataSetModels.Column>): Effect.Effect<void, DomoFailure> => {
  const seen = new Set<string>()
  for (const column of columns) {
    if (column.name.trim() === "") return Effect.fail(badRequest("Column names must not be empty"))
    const key = column.name.toLowerCase()
    if (seen.has(key)) return Effect.fail(badRequest(`Duplicate column name: ${column.name}`))
    seen.add(key)
  }
  return Effect.void
}

const nowIso = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/**
 * Create a DataSet (and its empty data table).
 *
 * @since 0.1.0
 * @category operations
 */
export const create = (input: {
  readonly name: string
  readonly description?: string | undefined
  readonly columns: ReadonlyArray<DataSetModels.Column>
  readonly owner: { readonly id: number; readonly name: string }
  readonly origin?: string | undefined
}): Effect.Effect<StoredDataSet, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* validateColumns(input.columns)
    const id = yield* randomUuid
    const now = yield* nowIso
    const table = yield* newTableName(id)
    yield* sql.withTransaction(Effect.gen(function*() {
      yield* createTable(table, input.columns)
      yield* sql`INSERT INTO datasets (id, name, description, schema_json, owner_id, owner_name, created_at,
          updated_at, data_table, origin)
        VALUES (${id}, ${input.name}, ${input.description ?? ""}, ${JSON.stringify(input.columns)},
          ${input.owner.id}, ${input.owner.name}, ${now}, ${now}, ${table}, ${input.origin ?? "api"})`
    }))
    return yield* require(id)
  })

/**
 * A DataSet by id (deleted ones included).
 *
 * @since 0.1.0
 * @category operations
 */
export const get = (
  id: string
): Effect.Effect<Option.Option<StoredDataSet>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.map(sql<Row>`SELECT * FROM datasets WHERE id = ${id}`, (rows) =>
        Option.map(Option.fromNullable(rows[0]), fromRow))
  )

/**
 * A live DataSet by id, or Domo's 404.
 *
 * @since 0.1.0
 * @category operations
 */
export const require = (
  id: string
): Effect.Effect<StoredDataSet, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.flatMap(get(id), (found) =>
    Option.isSome(found) && !found.value.deleted
      ? Effect.succeed(found.value)
      : Effect.fail(notFound(`DataSet ${id} not found`)))

const ORDER: Record<DataSetModels.DataSetSort, string> = {
  name: "lower(name) ASC",
  nameDescending: "lower(name) DESC",
  lastTouched: "updated_at DESC",
  lastTouchedAscending: "updated_at ASC",
  lastUpdated: "coalesce(data_current_at, updated_at) DESC",
  lastUpdatedAscending: "coalesce(data_current_at, updated_at) ASC",
  createdAt: "created_at DESC",
  createdAtAscending: "created_at ASC",
  // no cards in the emulator: every DataSet has 0 cards, 0 views and no error
  cardCount: "seq ASC",
  cardCountAscending: "seq ASC",
  cardViewCount: "seq ASC",
  cardViewCountAscending: "seq ASC",
  errorState: "seq ASC",
  errorStateDescending: "seq ASC",
  dataSourceId: "id ASC"
}

/**
 * Live DataSets, filtered, sorted and paged.
 *
 * @since 0.1.0
 * @category operations
 */
export const list = (options: {
  readonly limit: number
  readonly offset: number
  readonly sort?: DataSetModels.DataSetSort | undefined
  readonly nameLike?: string | undefined
  readonly ownerId?: number | undefined
}): Effect.Effect<ReadonlyArray<StoredDataSet>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const where = ["deleted = 0"]
    const params: Array<unknown> = []
    if (options.nameLike !== undefined && options.nameLike !== "") {
      where.push("instr(lower(name), lower(?)) > 0")
      params.push(options.nameLike)
    }
    if (options.ownerId !== undefined) {
      where.push("owner_id = ?")
      params.push(options.ownerId)
    }
    const order = options.sort === undefined ? "seq ASC" : `${ORDER[options.sort]}, seq ASC`
    params.push(options.limit, options.offset)
    const rows = yield* sql.unsafe<Row>(
      `SELECT * FROM datasets WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params
    )
    return rows.map(fromRow)
  })

/**
 * Change a DataSet's metadata. A new schema keeps the rows when the column types are
 * unchanged (a rename), else the DataSet starts empty with the new columns.
 *
 * @since 0.1.0
 * @category operations
 */
export const update = (
  id: string,
  patch: {
    readonly name?: string | undefined
    readonly description?: string | undefined
    readonly pdpEnabled?: boolean | undefined
    readonly columns?: ReadonlyArray<DataSetModels.Column> | undefined
    readonly owner?: { readonly id: number; readonly name: string } | undefined
  }
): Effect.Effect<StoredDataSet, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const current = yield* require(id)
    const now = yield* nowIso
    if (patch.columns !== undefined) yield* validateColumns(patch.columns)
    yield* sql.withTransaction(Effect.gen(function*() {
      if (patch.columns !== undefined) {
        const columns = patch.columns
        const sameTypes = columns.length === current.columns.length &&
          columns.every((c, i) => c.type === current.columns[i]!.type)
        const table = yield* newTableName(id)
        yield* createTable(table, columns)
        if (sameTypes && columns.length > 0) {
          yield* sql.unsafe(`INSERT INTO ${quoteId(table)} SELECT * FROM ${quoteId(current.dataTable)}`)
        }
        yield* retireTable(current.dataTable)
        yield* sql`UPDATE datasets SET schema_json = ${JSON.stringify(columns)}, data_table = ${table},
          row_count = ${sameTypes ? current.rows : 0} WHERE id = ${id}`
      }
      yield* sql`UPDATE datasets SET
        name = ${patch.name ?? current.name},
        description = ${patch.description ?? current.description},
        pdp_enabled = ${(patch.pdpEnabled ?? current.pdpEnabled) ? 1 : 0},
        owner_id = ${patch.owner?.id ?? current.ownerId},
        owner_name = ${patch.owner?.name ?? current.ownerName},
        updated_at = ${now}
        WHERE id = ${id}`
    }))
    return yield* require(id)
  })

/**
 * Delete a DataSet: its rows are dropped, a tombstone stays (GET answers `deleted: true`).
 *
 * @since 0.1.0
 * @category operations
 */
export const remove = (
  id: string
): Effect.Effect<StoredDataSet, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const current = yield* require(id)
    const now = yield* nowIso
    yield* sql.withTransaction(Effect.zipRight(
      retireTable(current.dataTable),
      sql`UPDATE datasets SET deleted = 1, row_count = 0, updated_at = ${now} WHERE id = ${id}`
    ))
    return current
  })

/**
 * How an import joins the current rows. `UPSERT` replaces rows whose `keyColumns` match.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportMethod =
  | { readonly _tag: "REPLACE" }
  | { readonly _tag: "APPEND" }
  | { readonly _tag: "UPSERT"; readonly keyColumns: ReadonlyArray<string> }

/**
 * Import CSV bytes (header-less, as Domo's SDKs send) into a DataSet. Every row must have the
 * schema's column count (minus `fixedValues`, appended to every row) and values of the column
 * types; the first bad row fails the whole import with Domo's message naming the row and
 * column, and nothing is stored.
 *
 * @since 0.1.0
 * @category operations
 */
export const importCsv = <E>(
  dataset: StoredDataSet,
  body: Stream.Stream<Uint8Array, E>,
  method: ImportMethod,
  options: { readonly fixedValues?: ReadonlyArray<string | number | null> | undefined } = {}
): Effect.Effect<{ readonly rows: number }, E | SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const staging = yield* newTableName(dataset.id)
    yield* createTable(staging, dataset.columns)
    const { rows } = yield* Effect.onError(
      CsvLoad.loadCsv(staging, dataset.columns, body, options.fixedValues ?? []),
      () => Effect.ignore(dropTable(staging))
    )
    yield* applyStaging(dataset, staging, rows, method)
    return { rows }
  })

/**
 * Imports the rows of `sources` (tables holding some of the DataSet's columns, read in order)
 * into the DataSet; the DataSet's other columns get the values of `fixed` (by column name).
 * Copies stay inside SQLite: no row goes through JavaScript. The sources may gain the fixed
 * columns (as defaults): they are meant to be dropped afterwards.
 *
 * @since 0.1.0
 * @category operations
 */
export const importTables = (
  dataset: StoredDataSet,
  sources: ReadonlyArray<{ readonly table: string; readonly rows: number }>,
  method: ImportMethod,
  fixed: ReadonlyMap<string, string | number | null>
): Effect.Effect<{ readonly rows: number }, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const staging = yield* newTableName(dataset.id)
    const kept = dataset.columns.length - fixed.size
    // The fixed columns last (the batch columns of a stream's DataSet): they become column
    // defaults, added to each source (no row rewritten) and given to the staging table, so
    // `INSERT … SELECT *` copies the sources' records as they are (SQLite's transfer
    // optimisation: 0.10 s for 1,000,000 rows of 6 columns against 0.21–0.26 s for a copy that
    // reads every column). Otherwise every row is read and written with the fixed values bound.
    const fixedLast = dataset.columns.every((c, i) => fixed.has(c.name) === i >= kept)
    let copyFrom: (source: string) => Effect.Effect<unknown, SqlError.SqlError>
    if (fixedLast) {
      yield* createTable(staging, dataset.columns, fixed)
      const added = dataset.columns.slice(kept)
      copyFrom = (source) =>
        Effect.zipRight(
          Effect.forEach(added, (c) =>
            sql.unsafe(
              `ALTER TABLE ${quoteId(source)} ADD COLUMN ${Tables.columnDefinition(c, fixed)}`
            ), { discard: true }),
          sql.unsafe(`INSERT INTO ${quoteId(staging)} SELECT * FROM ${quoteId(source)}`)
        )
    } else {
      yield* createTable(staging, dataset.columns)
      const params = dataset.columns.flatMap((c) => fixed.has(c.name) ? [fixed.get(c.name) ?? null] : [])
      const select = dataset.columns.map((c) => fixed.has(c.name) ? "?" : quoteId(c.name)).join(", ")
      copyFrom = (source) =>
        sql.unsafe(`INSERT INTO ${quoteId(staging)} SELECT ${select} FROM ${quoteId(source)}`, params)
    }
    let rows = 0
    const copy = Effect.forEach(sources, (source) =>
      Effect.sync(() => {
        rows += source.rows
      }).pipe(Effect.zipRight(copyFrom(source.table))), { discard: true })
    yield* Effect.onError(copy, () => Effect.ignore(dropTable(staging)))
    yield* applyStaging(dataset, staging, rows, method)
    return { rows }
  })

/** The loaded `staging` table (of `count` rows) becomes the DataSet's data, or joins it. */
const applyStaging = (dataset: StoredDataSet, staging: string, count: number, method: ImportMethod) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const now = yield* nowIso
    yield* sql.withTransaction(Effect.gen(function*() {
      const current = yield* require(dataset.id)
      if (method._tag === "REPLACE") {
        yield* retireTable(current.dataTable)
        yield* sql`UPDATE datasets SET data_table = ${staging}, row_count = ${count}, updated_at = ${now},
          data_current_at = ${now} WHERE id = ${dataset.id}`
        return
      }
      const target = quoteId(current.dataTable)
      if (method._tag === "UPSERT" && method.keyColumns.length > 0) {
        const keys = method.keyColumns.map(quoteId).join(", ")
        yield* sql.unsafe(
          `DELETE FROM ${target} WHERE (${keys}) IN (SELECT ${keys} FROM ${quoteId(staging)})`
        )
      }
      yield* sql.unsafe(`INSERT INTO ${target} SELECT * FROM ${quoteId(staging)}`)
      yield* dropTable(staging)
      const total = yield* sql.unsafe<{ n: number }>(`SELECT count(*) AS n FROM ${target}`)
      yield* sql`UPDATE datasets SET row_count = ${total[0]?.n ?? 0}, updated_at = ${now},
        data_current_at = ${now} WHERE id = ${dataset.id}`
    })).pipe(Effect.onError(() => Effect.ignore(dropTable(staging))))
  })

/**
 * The DataSet's rows as CSV bytes, read page by page (constant memory), optionally with a
 * header row of the column names, only the rows meeting `where` (PDP), text cells that look
 * like formulas prefixed with `'` (`escapeFormulas`). An export in progress is a snapshot: the
 * table it reads is only dropped once the export is done.
 *
 * @since 0.1.0
 * @category operations
 */
export const exportCsv: (
  dataset: StoredDataSet,
  options: {
    readonly includeHeader: boolean
    readonly where?: string | undefined
    readonly escapeFormulas?: boolean | undefined
  }
) => Stream.Stream<Uint8Array, SqlError.SqlError, SqlClient.SqlClient> = DataExport.exportCsv

/**
 * Rows of a DataSet as stored values, in storage order (for tests and small reads).
 *
 * @since 0.1.0
 * @category operations
 */
export const rows: (
  dataset: StoredDataSet
) => Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, SqlError.SqlError, SqlClient.SqlClient> = DataExport.rows

/**
 * The failure for a DataSet that is not there.
 *
 * @since 0.1.0
 * @category errors
 */
export const missing = (id: string): DomoFailure => new DomoFailure({ status: 404, message: `DataSet ${id} not found` })
