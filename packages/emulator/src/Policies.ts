/**
 * PDP policies of DataSets, stored in `dataset_policies`. Every DataSet starts with Domo's
 * default open policy "All Rows".
 *
 * @since 0.1.0
 */
import type { DataSetModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { badRequest, notFound } from "./DomoError.js"
import type { DomoFailure } from "./DomoError.js"

interface Row {
  readonly id: number
  readonly dataset_id: string
  readonly type: string
  readonly name: string
  readonly filters_json: string
  readonly users_json: string
  readonly groups_json: string
  readonly virtual_users_json: string
}

/**
 * A policy as Domo answers it.
 *
 * @since 0.1.0
 * @category models
 */
export interface PolicyJson {
  readonly id: number
  readonly type: string
  readonly name: string
  readonly filters: ReadonlyArray<DataSetModels.PolicyFilter>
  readonly users: ReadonlyArray<number>
  readonly virtualUsers: ReadonlyArray<string>
  readonly groups: ReadonlyArray<number>
}

const toJson = (row: Row): PolicyJson => ({
  id: row.id,
  type: row.type,
  name: row.name,
  filters: JSON.parse(row.filters_json) as Array<DataSetModels.PolicyFilter>,
  users: JSON.parse(row.users_json) as Array<number>,
  virtualUsers: JSON.parse(row.virtual_users_json) as Array<string>,
  groups: JSON.parse(row.groups_json) as Array<number>
})

/**
 * The `dataset_policies` table (idempotent).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS dataset_policies (
    id INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,
    filters_json TEXT NOT NULL, users_json TEXT NOT NULL, groups_json TEXT NOT NULL,
    virtual_users_json TEXT NOT NULL)`
  yield* sql`CREATE INDEX IF NOT EXISTS dataset_policies_by_dataset ON dataset_policies (dataset_id)`
})

/**
 * Policies of a DataSet, in creation order.
 *
 * @since 0.1.0
 * @category operations
 */
export const list = (
  datasetId: string
): Effect.Effect<ReadonlyArray<PolicyJson>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.map(sql<Row>`SELECT * FROM dataset_policies WHERE dataset_id = ${datasetId} ORDER BY id`, (rows) =>
        rows.map(toJson))
  )

/**
 * One policy of a DataSet, or Domo's 404.
 *
 * @since 0.1.0
 * @category operations
 */
export const get = (
  datasetId: string,
  policyId: number
): Effect.Effect<PolicyJson, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.flatMap(
      sql<Row>`SELECT * FROM dataset_policies WHERE dataset_id = ${datasetId} AND id = ${policyId}`,
      (rows) =>
        Option.match(Option.fromNullable(rows[0]), {
          onNone: () => Effect.fail(notFound(`Policy ${policyId} not found on DataSet ${datasetId}`)),
          onSome: (row) => Effect.succeed(toJson(row))
        })
    ))

/**
 * Check a policy as Domo does: filters name columns of the DataSet, values are given, and
 * the values of a filter fit in 255 characters (one delimiter per value included).
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  columns: ReadonlyArray<DataSetModels.Column>,
  filters: ReadonlyArray<DataSetModels.PolicyFilter>
): Effect.Effect<void, DomoFailure> => {
  for (const filter of filters) {
    if (!columns.some((c) => c.name === filter.column)) {
      return Effect.fail(badRequest(`Invalid policy filter: column '${filter.column}' does not exist in the DataSet`))
    }
    if (filter.values.length === 0) {
      return Effect.fail(badRequest(`Invalid policy filter on column '${filter.column}': values must not be empty`))
    }
    if (filter.operator === "BETWEEN" && filter.values.length !== 2) {
      return Effect.fail(badRequest(`Invalid policy filter on column '${filter.column}': BETWEEN takes two values`))
    }
    const size = filter.values.reduce((n, v) => n + v.length + 1, 0)
    if (size >= 255) {
      return Effect.fail(
        badRequest(
          `Invalid policy filter on column '${filter.column}': the values are too long (255 characters at most)`
        )
      )
    }
  }
  return Effect.void
}

/**
 * Add a policy.
 *
 * @since 0.1.0
 * @category operations
 */
export const create = (
  datasetId: string,
  policy: {
    readonly name: string
    readonly type?: string | undefined
    readonly filters: ReadonlyArray<DataSetModels.PolicyFilter>
    readonly users?: ReadonlyArray<number> | undefined
    readonly groups?: ReadonlyArray<number> | undefined
    readonly virtualUsers?: ReadonlyArray<string> | undefined
  }
): Effect.Effect<PolicyJson, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const result = yield* sql`INSERT INTO dataset_policies (dataset_id, type, name, filters_json, users_json,
        groups_json, virtual_users_json)
      VALUES (${datasetId}, ${policy.type ?? "user"}, ${policy.name}, ${JSON.stringify(policy.filters)},
        ${JSON.stringify(policy.users ?? [])}, ${JSON.stringify(policy.groups ?? [])},
        ${JSON.stringify(policy.virtualUsers ?? [])})`.raw
    const id = typeof result === "object" && result !== null && "lastInsertRowid" in result
      ? Number(result.lastInsertRowid)
      : 0
    return yield* get(datasetId, id)
  })

/**
 * The default "All Rows" policy every DataSet starts with.
 *
 * @since 0.1.0
 * @category operations
 */
export const createDefault = (datasetId: string) => create(datasetId, { name: "All Rows", type: "open", filters: [] })

/**
 * Change a policy (the fields given replace the stored ones).
 *
 * @since 0.1.0
 * @category operations
 */
export const update = (
  datasetId: string,
  policyId: number,
  patch: DataSetModels.UpdatePolicy
): Effect.Effect<PolicyJson, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const current = yield* get(datasetId, policyId)
    yield* sql`UPDATE dataset_policies SET name = ${patch.name ?? current.name}, type = ${patch.type ?? current.type},
      filters_json = ${JSON.stringify(patch.filters ?? current.filters)},
      users_json = ${JSON.stringify(patch.users ?? current.users)},
      groups_json = ${JSON.stringify(patch.groups ?? current.groups)},
      virtual_users_json = ${JSON.stringify(patch.virtualUsers ?? current.virtualUsers)}
      WHERE id = ${policyId}`
    return yield* get(datasetId, policyId)
  })

/**
 * Delete a policy.
 *
 * @since 0.1.0
 * @category operations
 */
export const remove = (
  datasetId: string,
  policyId: number
): Effect.Effect<void, SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* get(datasetId, policyId)
    yield* sql`DELETE FROM dataset_policies WHERE id = ${policyId}`
  })

/**
 * Delete every policy of a DataSet.
 *
 * @since 0.1.0
 * @category operations
 */
export const removeAll = (datasetId: string): Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.asVoid(sql`DELETE FROM dataset_policies WHERE dataset_id = ${datasetId}`)
  )
