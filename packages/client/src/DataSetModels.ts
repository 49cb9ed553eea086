/**
 * Wire schemas of Domo's DataSet API (`/v1/datasets`) and Simple API (`/v1/json`): one
 * definition shared by the client's `Datasets` service and the emulator.
 *
 * Decoding is lenient where Domo's docs and its SDKs disagree (an owner id as a string or a
 * number, fields some responses omit); encoding produces the shape Domo's docs show.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A column type. Domo has no boolean type.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ColumnType = Schema.Literal("STRING", "DECIMAL", "LONG", "DOUBLE", "DATE", "DATETIME")

/**
 * @since 0.1.0
 * @category models
 */
export type ColumnType = typeof ColumnType.Type

/**
 * One column of a DataSet schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Column = Schema.Struct({
  type: ColumnType,
  name: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Column = typeof Column.Type

/**
 * A DataSet schema: `{ columns: [{ type, name }] }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSetSchema = Schema.Struct({
  columns: Schema.Array(Column)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DataSetSchema = typeof DataSetSchema.Type

/**
 * A Domo user id. Domo's attribute table says string, its examples and SDKs send integers:
 * both decode to a number; it encodes as a number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserId = Schema.Union(Schema.Int, Schema.NumberFromString.pipe(Schema.int()))

/**
 * The owner of a DataSet.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Owner = Schema.Struct({
  id: UserId,
  name: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Owner = typeof Owner.Type

/**
 * A PDP filter operator.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PolicyOperator = Schema.Literal(
  "EQUALS",
  "LIKE",
  "GREATER_THAN",
  "LESS_THAN",
  "GREATER_THAN_EQUAL",
  "LESS_THAN_EQUAL",
  "BETWEEN",
  "BEGINS_WITH",
  "ENDS_WITH",
  "CONTAINS"
)

/**
 * @since 0.1.0
 * @category models
 */
export type PolicyOperator = typeof PolicyOperator.Type

/**
 * One PDP filter. `not` is optional on requests and defaults to `false`, as in Domo's responses.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PolicyFilter = Schema.Struct({
  column: Schema.String,
  values: Schema.Array(Schema.String),
  operator: PolicyOperator,
  not: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/**
 * @since 0.1.0
 * @category models
 */
export type PolicyFilter = typeof PolicyFilter.Type

/**
 * A policy type: `user` or `system` in Domo's docs, `open` for the default "All Rows" policy.
 * Kept open-ended so a new type does not break decoding.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PolicyType = Schema.String

/**
 * A PDP policy as Domo returns it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Policy = Schema.Struct({
  id: Schema.Int,
  type: Schema.optionalWith(PolicyType, { default: () => "user" }),
  name: Schema.String,
  filters: Schema.optionalWith(Schema.Array(PolicyFilter), { default: () => [] }),
  users: Schema.optionalWith(Schema.Array(UserId), { default: () => [] }),
  groups: Schema.optionalWith(Schema.Array(Schema.Int), { default: () => [] }),
  virtualUsers: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Policy = typeof Policy.Type

/**
 * The body of `POST /v1/datasets/{id}/policies`: `name` and `filters` are required.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreatePolicy = Schema.Struct({
  name: Schema.String,
  type: Schema.optional(PolicyType),
  filters: Schema.Array(PolicyFilter),
  users: Schema.optional(Schema.Array(UserId)),
  groups: Schema.optional(Schema.Array(Schema.Int)),
  virtualUsers: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreatePolicy = typeof CreatePolicy.Type

/**
 * The body of `PUT /v1/datasets/{id}/policies/{policyId}`: any subset of a policy's fields.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdatePolicy = Schema.Struct({
  name: Schema.optional(Schema.String),
  type: Schema.optional(PolicyType),
  filters: Schema.optional(Schema.Array(PolicyFilter)),
  users: Schema.optional(Schema.Array(UserId)),
  groups: Schema.optional(Schema.Array(Schema.Int)),
  virtualUsers: Schema.optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdatePolicy = typeof UpdatePolicy.Type

/**
 * A DataSet as `GET /v1/datasets/{id}` (and create/update) return it. Timestamps are ISO-8601
 * strings as Domo sends them (second or millisecond precision). `deleted` is only present on a
 * deleted DataSet.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSet = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.optional(Schema.String),
  rows: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  columns: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  schema: Schema.optional(DataSetSchema),
  owner: Schema.optional(Owner),
  createdAt: Schema.optional(Schema.String),
  updatedAt: Schema.optional(Schema.String),
  dataCurrentAt: Schema.optional(Schema.String),
  pdpEnabled: Schema.optional(Schema.Boolean),
  policies: Schema.optional(Schema.Array(Policy)),
  deleted: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DataSet = typeof DataSet.Type

/**
 * One item of `GET /v1/datasets`: no schema, no policies.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSetSummary = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.optional(Schema.String),
  rows: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  columns: Schema.optionalWith(Schema.Int, { default: () => 0 }),
  owner: Schema.optional(Owner),
  createdAt: Schema.optional(Schema.String),
  updatedAt: Schema.optional(Schema.String),
  dataCurrentAt: Schema.optional(Schema.String),
  pdpEnabled: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DataSetSummary = typeof DataSetSummary.Type

/**
 * The body of `POST /v1/datasets`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateDataSet = Schema.Struct({
  name: Schema.String,
  description: Schema.optional(Schema.String),
  rows: Schema.optional(Schema.Int),
  schema: DataSetSchema
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateDataSet = typeof CreateDataSet.Type

/**
 * The body of `PUT /v1/datasets/{id}`: any of `name`, `description`, `pdpEnabled`, `schema`,
 * `owner`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateDataSet = Schema.Struct({
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  pdpEnabled: Schema.optional(Schema.Boolean),
  schema: Schema.optional(DataSetSchema),
  owner: Schema.optional(Owner)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateDataSet = typeof UpdateDataSet.Type

/**
 * The `sort` values `GET /v1/datasets` documents.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSetSort = Schema.Literal(
  "name",
  "nameDescending",
  "lastTouched",
  "lastTouchedAscending",
  "lastUpdated",
  "lastUpdatedAscending",
  "createdAt",
  "createdAtAscending",
  "cardCount",
  "cardCountAscending",
  "cardViewCount",
  "cardViewCountAscending",
  "errorState",
  "errorStateDescending",
  "dataSourceId"
)

/**
 * @since 0.1.0
 * @category models
 */
export type DataSetSort = typeof DataSetSort.Type

/**
 * `updateMethod` of a CSV or JSON import. Domo falls back to `REPLACE` on any other value.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateMethod = Schema.Literal("REPLACE", "APPEND")

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateMethod = typeof UpdateMethod.Type

/**
 * The body of `POST /v1/datasets/query/execute/{id}`. The DataSet is the table `table`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const QueryRequest = Schema.Struct({
  sql: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type QueryRequest = typeof QueryRequest.Type

/**
 * Per-column metadata of a query result.
 *
 * @since 0.1.0
 * @category schemas
 */
export const QueryColumnMetadata = Schema.Struct({
  type: Schema.String,
  dataSourceId: Schema.optional(Schema.String),
  maxLength: Schema.optional(Schema.Number),
  minLength: Schema.optional(Schema.Number),
  periodIndex: Schema.optional(Schema.Number),
  aggregated: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type QueryColumnMetadata = typeof QueryColumnMetadata.Type

/**
 * One cell of a query result: numbers for LONG/DOUBLE/DECIMAL, strings for STRING, DATE
 * (`YYYY-MM-DD`) and DATETIME (`YYYY-MM-DDTHH:MM:SS`), `null` for a null.
 *
 * @since 0.1.0
 * @category schemas
 */
export const QueryValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)

/**
 * @since 0.1.0
 * @category models
 */
export type QueryValue = typeof QueryValue.Type

/**
 * The response of `POST /v1/datasets/query/execute/{id}`. Note `fromcache` in lower case.
 *
 * @since 0.1.0
 * @category schemas
 */
export const QueryResult = Schema.Struct({
  datasource: Schema.String,
  columns: Schema.Array(Schema.String),
  metadata: Schema.optionalWith(Schema.Array(QueryColumnMetadata), { default: () => [] }),
  rows: Schema.Array(Schema.Array(QueryValue)),
  numRows: Schema.Int,
  numColumns: Schema.Int,
  fromcache: Schema.optionalWith(Schema.Boolean, { default: () => false })
})

/**
 * @since 0.1.0
 * @category models
 */
export type QueryResult = typeof QueryResult.Type

/**
 * The body of the Simple API's `POST /v1/json` (`name` may also come as a query parameter).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateJsonDataSet = Schema.Struct({
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateJsonDataSet = typeof CreateJsonDataSet.Type

/**
 * Domo's JSON error body, e.g.
 * `{"status":400,"statusReason":"Bad Request","message":"…","toe":"CA6JIHTO46-28C5D-UEQ7I"}`.
 * Only `status` is always present (Domo documents a 403 body of `{status, toe}`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DomoErrorBody = Schema.Struct({
  status: Schema.Int,
  statusReason: Schema.optional(Schema.String),
  path: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  toe: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DomoErrorBody = typeof DomoErrorBody.Type
