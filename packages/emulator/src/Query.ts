/**
 * SQL queries over a DataSet (`POST /v1/datasets/query/execute/{id}`): the DataSet is the table
 * `table`, rewritten to its SQLite table; the query runs through a temporary view, so only a
 * `SELECT` is accepted and the result's column names and types are known even when it has no
 * rows.
 *
 * @since 0.1.0
 */
import type { DataSetModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { randomUuid } from "./Auth.js"
import type { StoredDataSet } from "./DataStore.js"
import { quoteId } from "./DataStore.js"
import { badRequest } from "./DomoError.js"
import type { DomoFailure } from "./DomoError.js"
import * as Values from "./Values.js"

/**
 * Replace the table name `table` after `FROM`/`JOIN` (bare, backticked, double-quoted or
 * bracketed, any case) with `replacement`.
 *
 * @since 0.1.0
 * @category rewriting
 */
export const rewriteTable = (sqlText: string, replacement: string): string =>
  sqlText.replace(
    /\b(from|join)(\s+)(`table`|"table"|\[table\]|table)(?![\w$])/gi,
    (_m, keyword, space) => `${keyword}${space}${replacement}`
  )

const message = (error: SqlError.SqlError): string => {
  const cause = error.cause
  return cause instanceof Error ? cause.message : String(cause)
}

/**
 * Run `sqlText` over the DataSet and answer in Domo's shape.
 *
 * @since 0.1.0
 * @category operations
 */
export const execute = (
  dataset: StoredDataSet,
  sqlText: string,
  /** an SQL condition the rows must meet (PDP) */
  where?: string | undefined
): Effect.Effect<DataSetModels.QueryResult, DomoFailure | SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const text = sqlText.trim().replace(/;+\s*$/, "")
    if (text === "") return yield* badRequest("Invalid SQL: the query is empty")
    const view = `q_${(yield* randomUuid).replace(/-/g, "")}`
    // DECIMAL cells are stored as their exact text; the query sees them as numbers, so that
    // comparisons and arithmetic are numeric as in Domo.
    const filtered = where === undefined ? "" : ` WHERE ${where}`
    const source = dataset.columns.some((c) => c.type === "DECIMAL") || where !== undefined
      ? `(SELECT ${
        dataset.columns.length === 0 ?
          "*" :
          dataset.columns.map((c) =>
            c.type === "DECIMAL" ? `CAST(${quoteId(c.name)} AS REAL) AS ${quoteId(c.name)}` : quoteId(c.name)
          ).join(", ")
      } FROM ${quoteId(dataset.dataTable)}${filtered})`
      : quoteId(dataset.dataTable)
    const rewritten = rewriteTable(text, source)
    const run = Effect.gen(function*() {
      yield* sql.unsafe(`CREATE TEMP VIEW ${quoteId(view)} AS ${rewritten}`)
      const info = yield* sql.unsafe<{ name: string; type: string }>(`PRAGMA temp.table_info(${quoteId(view)})`)
      const rows = yield* sql.unsafe(`SELECT * FROM temp.${quoteId(view)}`).values
      return { info, rows }
    }).pipe(
      Effect.ensuring(Effect.ignore(sql.unsafe(`DROP VIEW IF EXISTS temp.${quoteId(view)}`))),
      Effect.catchTag("SqlError", (error) => Effect.fail(badRequest(`Invalid SQL: ${message(error)}`)))
    )
    const { info, rows } = yield* run
    const types = info.map((column, index) => {
      const declared = Values.domoTypeOf(column.type)
      if (declared !== undefined) return declared
      const named = dataset.columns.find((c) => c.name === column.name)
      if (named !== undefined) return named.type
      const sample = rows.find((row) => row[index] !== null && row[index] !== undefined)?.[index]
      return sample === undefined ? "STRING" : Values.inferType(sample)
    })
    return {
      datasource: dataset.id,
      columns: info.map((c) => c.name),
      metadata: types.map((type) => ({
        type,
        dataSourceId: dataset.id,
        maxLength: -1,
        minLength: -1,
        periodIndex: 0
      })),
      rows: rows.map((row) => row.map((value, index) => Values.toQueryValue(types[index], value))),
      numRows: rows.length,
      numColumns: info.length,
      fromcache: false
    }
  })
