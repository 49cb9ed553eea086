/**
 * CSV export of a DataSet, page by page from SQLite (constant memory).
 *
 * @internal
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Csv from "../Csv.js"
import type { StoredDataSet } from "../DataStore.js"
import { quoteId, startReading, stopReading } from "./tables.js"

const PAGE = 5000

/**
 * The DataSet's rows as CSV bytes, read page by page (constant memory), optionally with a
 * header row of the column names.
 *
 * @since 0.1.0
 * @category operations
 */
/** @internal */
export const exportCsv = (
  dataset: StoredDataSet,
  options: {
    readonly includeHeader: boolean
    /** an SQL condition the rows must meet (PDP) */
    readonly where?: string | undefined
    /**
     * `disableFormulaInterpretation=true` (Java SDK): text cells a spreadsheet would read as a
     * formula (`=`, `+`, `-`, `@` first) get a `'` prefix
     */
    readonly escapeFormulas?: boolean | undefined
  }
): Stream.Stream<Uint8Array, SqlError.SqlError, SqlClient.SqlClient> => {
  const encoder = new TextEncoder()
  const header = options.includeHeader
    ? Stream.make(encoder.encode(Csv.formatRow(dataset.columns.map((c) => c.name))))
    : Stream.empty
  if (dataset.columns.length === 0) return header
  // LONG cells are read as text: SQLite keeps 64-bit integers exactly, a JS number would not.
  const cellList = dataset.columns.map((c) => c.type === "LONG" ? `CAST(${quoteId(c.name)} AS TEXT)` : quoteId(c.name))
    .join(", ")
  const select = `SELECT rowid, ${cellList} FROM ${quoteId(dataset.dataTable)} WHERE rowid > ?${
    options.where === undefined ? "" : ` AND (${options.where})`
  } ORDER BY rowid LIMIT ${PAGE}`
  const textColumns = options.escapeFormulas === true
    ? dataset.columns.flatMap((c, i) => c.type === "STRING" ? [i] : [])
    : undefined
  const pages = Stream.paginateChunkEffect(
    0 as number,
    (after) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) =>
        Effect.map(sql.unsafe(select, [after]).values, (rows) => {
          let text = ""
          for (const row of rows) {
            const cells = row.slice(1)
            if (textColumns !== undefined) {
              for (const i of textColumns) {
                const cell = cells[i]
                if (typeof cell === "string" && /^[=+\-@]/.test(cell)) cells[i] = `'${cell}`
              }
            }
            text += Csv.formatRow(cells)
          }
          const last = rows.length === 0 ? undefined : rows[rows.length - 1]![0]
          const next = rows.length < PAGE || last === undefined ? Option.none<number>() : Option.some(Number(last))
          return [Chunk.fromIterable(text === "" ? [] : [encoder.encode(text)]), next] as const
        }))
  )
  const table = dataset.dataTable
  return Stream.concat(
    header,
    Stream.acquireRelease(startReading(table), () => stopReading(table)).pipe(Stream.flatMap(() => pages))
  )
}

/**
 * Rows of a DataSet as query values, in storage order (for tests and small reads).
 *
 * @since 0.1.0
 * @category operations
 */
/** @internal */
export const rows = (
  dataset: StoredDataSet
): Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    dataset.columns.length === 0
      ? Effect.succeed([])
      : sql.unsafe(`SELECT * FROM ${quoteId(dataset.dataTable)} ORDER BY rowid`).values)
