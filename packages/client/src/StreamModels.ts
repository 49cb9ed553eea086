/**
 * Wire schemas of Domo's Stream API (`/v1/streams`): one definition shared by the client's
 * `Streams` service and the emulator.
 *
 * Decoding is lenient where Domo's docs and its SDKs disagree: list and search items carry only
 * `{ id, pdpEnabled }` of their DataSet, an execution's `endedAt` is absent or `null` while it
 * runs, and `currentState` accepts any string because Domo never published the full set of
 * states (`ACTIVE`, `SUCCESS`, `ERROR`, `INVALID` and `ABORTED` are the ones seen).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CreateDataSet, DataSetSchema, Owner } from "./DataSetModels.js"

/**
 * How an execution's data lands in the DataSet. `UPSERT` (with `keyColumnNames`) is what pydomo
 * and rdomo send; Domo's docs spell upsert as `APPEND` plus `keyColumnNames`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateMethod = Schema.Literal("APPEND", "REPLACE", "UPSERT")

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateMethod = typeof UpdateMethod.Type

/**
 * The execution states seen from Domo.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KnownExecutionState = Schema.Literal("ACTIVE", "SUCCESS", "ERROR", "INVALID", "ABORTED")

/**
 * @since 0.1.0
 * @category models
 */
export type KnownExecutionState = typeof KnownExecutionState.Type

/**
 * An execution's `currentState`: any string decodes (a state Domo adds later must not break a
 * client); compare with the {@link KnownExecutionState} values.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExecutionState = Schema.Union(KnownExecutionState, Schema.String)

/**
 * @since 0.1.0
 * @category models
 */
export type ExecutionState = typeof ExecutionState.Type

/**
 * Whether an execution in this state is finished (nothing more can be uploaded or committed).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isFinished = (state: ExecutionState): boolean => state !== "ACTIVE"

/**
 * The DataSet embedded in a Stream. `GET /v1/streams/{id}` returns the full DataSet; list and
 * search items only `{ id, pdpEnabled }`, so everything but `id` is optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StreamDataSet = Schema.Struct({
  id: Schema.String,
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  rows: Schema.optional(Schema.Int),
  columns: Schema.optional(Schema.Int),
  schema: Schema.optional(DataSetSchema),
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
export type StreamDataSet = typeof StreamDataSet.Type

/**
 * A Stream execution (an upload session: create, upload parts, commit). Ids are a per-stream
 * sequence starting at 1. `endedAt` is set once the execution finished; `rows`/`bytes` once
 * committed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Execution = Schema.Struct({
  id: Schema.Int,
  startedAt: Schema.optional(Schema.String),
  endedAt: Schema.optional(Schema.NullOr(Schema.String)),
  currentState: ExecutionState,
  createdAt: Schema.optional(Schema.String),
  modifiedAt: Schema.optional(Schema.String),
  updateMethod: Schema.optional(UpdateMethod),
  rows: Schema.optional(Schema.Int),
  bytes: Schema.optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Execution = typeof Execution.Type

/**
 * A Stream as Domo returns it (`fields=all`). `lastExecution`/`lastSuccessfulExecution` appear
 * once executions exist; `deleted: true` when the underlying DataSet was deleted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Stream = Schema.Struct({
  id: Schema.Int,
  dataSet: StreamDataSet,
  updateMethod: UpdateMethod,
  keyColumnNames: Schema.optional(Schema.Array(Schema.String)),
  createdAt: Schema.optional(Schema.String),
  modifiedAt: Schema.optional(Schema.String),
  lastExecution: Schema.optional(Schema.NullOr(Execution)),
  lastSuccessfulExecution: Schema.optional(Schema.NullOr(Execution)),
  deleted: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Stream = typeof Stream.Type

/**
 * The body of `POST /v1/streams`: the DataSet to create with the Stream, the update method and,
 * for upsert, the key columns.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateStream = Schema.Struct({
  dataSet: CreateDataSet,
  updateMethod: UpdateMethod,
  // SDKs that serialize every field send `null` for "no key columns"
  keyColumnNames: Schema.optionalWith(Schema.Array(Schema.String), { nullable: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateStream = typeof CreateStream.Type

/**
 * The body of `PATCH /v1/streams/{id}`: only Stream metadata is updatable (the Java SDK also
 * sends the DataSet; it is ignored). `null` fields decode as absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateStream = Schema.Struct({
  updateMethod: Schema.optionalWith(UpdateMethod, { nullable: true }),
  keyColumnNames: Schema.optionalWith(Schema.Array(Schema.String), { nullable: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateStream = typeof UpdateStream.Type

/**
 * The body of `POST /v1/streams/{id}/executions`: an optional per-execution update method;
 * `null` (what pydomo sends by default) means the Stream's own.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateExecution = Schema.Struct({
  updateMethod: Schema.optional(Schema.NullOr(UpdateMethod))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateExecution = typeof CreateExecution.Type
