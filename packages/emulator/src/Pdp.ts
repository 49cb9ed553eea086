/**
 * PDP enforcement: when a DataSet has `pdpEnabled`, an export or a query by a user who is not
 * an Admin nor the owner sees only the rows of the policies that name the user (directly or
 * through a group). A user named by no policy sees no rows.
 *
 * @since 0.1.0
 */
import type { DataSetModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import type { Principal } from "./Auth.js"
import type { StoredDataSet } from "./DataStore.js"
import { quoteId } from "./DataStore.js"
import * as Policies from "./Policies.js"

const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`

const like = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * One filter as an SQL condition over the DataSet's table.
 *
 * @since 0.1.0
 * @category sql
 */
export const condition = (
  columns: ReadonlyArray<DataSetModels.Column>,
  filter: DataSetModels.PolicyFilter
): string => {
  const column = columns.find((c) => c.name === filter.column)
  if (column === undefined) return "0"
  const numeric = column.type === "DECIMAL" || column.type === "DOUBLE" || column.type === "LONG"
  const col = numeric ? `CAST(${quoteId(column.name)} AS REAL)` : quoteId(column.name)
  const value = (v: string) => numeric ? `CAST(${literal(v)} AS REAL)` : literal(v)
  const [first = "", second = ""] = filter.values
  let sql: string
  switch (filter.operator) {
    case "EQUALS":
      sql = `${col} IN (${filter.values.map(value).join(", ")})`
      break
    case "GREATER_THAN":
      sql = `${col} > ${value(first)}`
      break
    case "LESS_THAN":
      sql = `${col} < ${value(first)}`
      break
    case "GREATER_THAN_EQUAL":
      sql = `${col} >= ${value(first)}`
      break
    case "LESS_THAN_EQUAL":
      sql = `${col} <= ${value(first)}`
      break
    case "BETWEEN":
      sql = `${col} BETWEEN ${value(first)} AND ${value(second)}`
      break
    case "BEGINS_WITH":
      sql = `${quoteId(column.name)} LIKE ${literal(`${like(first)}%`)} ESCAPE '\\'`
      break
    case "ENDS_WITH":
      sql = `${quoteId(column.name)} LIKE ${literal(`%${like(first)}`)} ESCAPE '\\'`
      break
    case "CONTAINS":
    case "LIKE":
      sql = `(${
        filter.values.map((v) => `${quoteId(column.name)} LIKE ${literal(`%${like(v)}%`)} ESCAPE '\\'`).join(" OR ") ||
        "0"
      })`
      break
  }
  // a NULL cell never matches, negated or not
  return filter.not ? `(${quoteId(column.name)} IS NOT NULL AND NOT (${sql}))` : `(${sql})`
}

const groupsOf = (userId: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ group_id: number }>`SELECT group_id FROM group_members WHERE user_id = ${userId}`.pipe(
        Effect.map((rows) => new Set(rows.map((r) => r.group_id))),
        // the Groups family may not be there: then nobody is in a group
        Effect.orElseSucceed(() => new Set<number>())
      )
  )

/**
 * The rows `principal` may see, as an SQL condition over the DataSet's table; `undefined` when
 * it sees every row.
 *
 * @since 0.1.0
 * @category sql
 */
export const rowFilter = (
  dataset: StoredDataSet,
  principal: Principal
): Effect.Effect<string | undefined, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    if (!dataset.pdpEnabled || principal.role === "Admin" || principal.userId === dataset.ownerId) return undefined
    const policies = yield* Policies.list(dataset.id)
    const groups = yield* groupsOf(principal.userId)
    const mine = policies.filter((p) => p.users.includes(principal.userId) || p.groups.some((g) => groups.has(g)))
    if (mine.some((p) => p.type === "open" || p.filters.length === 0)) return undefined
    if (mine.length === 0) return "0"
    return mine.map((p) => `(${p.filters.map((f) => condition(dataset.columns, f)).join(" AND ")})`).join(" OR ")
  })
