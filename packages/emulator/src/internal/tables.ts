/**
 * Data tables: one per DataSet version, named after the DataSet, retired (dropped once no
 * export reads them any more) when a REPLACE or a delete supersedes them.
 *
 * @internal
 */
import type { DataSetModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { randomUuid } from "../Auth.js"
import * as Values from "../Values.js"

/** @internal */
export const quoteId = (name: string): string => `"${name.replace(/"/g, "\"\"")}"`

/** @internal */
export const newTableName = (id: string) =>
  Effect.map(randomUuid, (suffix) => `ds_${id.replace(/-/g, "")}_${suffix.slice(0, 8)}`)

/** A constant as an SQL literal (for column defaults). */
const sqlLiteral = (value: string | number | null): string =>
  value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`

/** A column's definition, with a default when `defaults` has one for it. @internal */
export const columnDefinition = (
  column: DataSetModels.Column,
  defaults?: ReadonlyMap<string, string | number | null>
): string => {
  const definition = `${quoteId(column.name)} ${Values.sqliteType(column.type)}`
  const value = defaults?.get(column.name)
  return value === undefined ? definition : `${definition} DEFAULT ${sqlLiteral(value)}`
}

/** @internal */
export const createTable = (
  table: string,
  columns: ReadonlyArray<DataSetModels.Column>,
  defaults?: ReadonlyMap<string, string | number | null>
) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.unsafe(
      `CREATE TABLE ${quoteId(table)} (${
        columns.length === 0
          ? "\"__empty\" INTEGER"
          : columns.map((c) => columnDefinition(c, defaults)).join(", ")
      })`
    ))

/** @internal */
export const dropTable = (table: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`DROP TABLE IF EXISTS ${quoteId(table)}`))

// Exports in progress read their data table page by page: a REPLACE (or a delete) that retires
// that table meanwhile only marks it, and the last reader drops it, so every export is a
// consistent snapshot. Table names are unique (DataSet id + random suffix).
const readers = new Map<string, number>()
const retired = new Set<string>()

/** @internal */
export const retireTable = (table: string) =>
  Effect.suspend(() => {
    if ((readers.get(table) ?? 0) > 0) {
      retired.add(table)
      return Effect.void
    }
    return Effect.asVoid(dropTable(table))
  })

/** @internal */
export const startReading = (table: string) => Effect.sync(() => readers.set(table, (readers.get(table) ?? 0) + 1))

/** @internal */
export const stopReading = (table: string) =>
  Effect.suspend(() => {
    const left = (readers.get(table) ?? 1) - 1
    if (left > 0) {
      readers.set(table, left)
      return Effect.void
    }
    readers.delete(table)
    if (!retired.delete(table)) return Effect.void
    return Effect.ignore(dropTable(table))
  })
