/**
 * The Stream API (`/v1/streams`, scope `data`): streams (create, get, list, search, update,
 * delete) and their executions (create, list, get, upload part, commit, abort).
 *
 * A stream's DataSet is made with it and carries two more columns, `_BATCH_ID_` (LONG, the
 * execution id) and `_BATCH_LAST_RUN_` (DATETIME, the commit time), on every row.
 *
 * @since 0.1.0
 */
import { StreamModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Activity from "../Activity.js"
import { type Principal, requireScope } from "../Auth.js"
import * as DataStore from "../DataStore.js"
import { badRequest } from "../DomoError.js"
import { Faults } from "../Faults.js"
import * as Parts from "../internal/streamsParts.js"
import * as Store from "../internal/streamsStore.js"
import * as Policies from "../Policies.js"
import * as RouteFamily from "../RouteFamily.js"

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers, contentType: "application/json;charset=UTF-8" })

const noContent = HttpServerResponse.empty({ status: 204 })

// A JSON body that may be absent: SDKs send nothing, `null`, `{}` or a full object.
const optionalJsonBody = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.mapError(request.text, () => badRequest("Could not read the request body"))
    let value: unknown = {}
    if (text.trim() !== "") {
      try {
        value = JSON.parse(text)
      } catch (e) {
        return yield* badRequest(`Malformed JSON in the request body: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    return yield* Effect.mapError(
      Schema.decodeUnknown(schema, { errors: "first" })(value ?? {}),
      (error) => badRequest(`Invalid request body: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
    )
  })

const streamId = Effect.flatMap(
  HttpRouter.params,
  (params) => Effect.flatMap(RouteFamily.param(params, "id"), (raw) => Store.intId(raw, Store.streamNotFound(raw)))
)

const theStream = Effect.flatMap(streamId, Store.requireStream)

const theExecution = (stream: Store.StoredStream) =>
  Effect.flatMap(
    HttpRouter.params,
    (params) =>
      Effect.flatMap(RouteFamily.param(params, "execId"), (raw) =>
        Effect.flatMap(
          Store.intId(raw, Store.executionNotFound(stream.id, raw)),
          (id) => Store.requireExecution(stream.id, id)
        ))
  )

const notActive = (execution: Store.StoredExecution) =>
  badRequest(`Stream execution ${execution.id} is not active (currentState ${execution.state})`)

const requireActive = (execution: Store.StoredExecution) =>
  execution.state === "ACTIVE" ? Effect.succeed(execution) : Effect.fail(notActive(execution))

const checkKeyColumns = (
  keys: ReadonlyArray<string>,
  columns: ReadonlyArray<{ readonly name: string }>
) => {
  const missing = keys.filter((k) => !columns.some((c) => c.name === k))
  return missing.length === 0
    ? Effect.void
    : Effect.fail(badRequest(`keyColumnNames not in the DataSet schema: ${missing.join(", ")}`))
}

const create = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const body = yield* RouteFamily.jsonBody(StreamModels.CreateStream)
  const keys = body.keyColumnNames ?? []
  yield* checkKeyColumns(keys, body.dataSet.schema.columns)
  if (body.updateMethod === "UPSERT" && keys.length === 0) {
    return yield* badRequest("keyColumnNames are required with updateMethod UPSERT")
  }
  const dataset = yield* DataStore.create({
    name: body.dataSet.name,
    description: body.dataSet.description,
    columns: [
      ...body.dataSet.schema.columns,
      { type: "LONG", name: Store.BATCH_ID },
      { type: "DATETIME", name: Store.BATCH_LAST_RUN }
    ],
    owner: { id: principal.userId, name: principal.userName },
    origin: "stream"
  })
  yield* Policies.createDefault(dataset.id)
  const stream = yield* Store.insertStream({
    datasetId: dataset.id,
    updateMethod: body.updateMethod,
    keyColumnNames: keys
  })
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name
  })
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "STREAM",
    objectId: String(stream.id),
    objectName: dataset.name
  })
  return json(yield* Store.streamJson(stream), 201, { location: `/v1/streams/${stream.id}` })
})

const get = Effect.gen(function*() {
  yield* requireScope("data")
  const stream = yield* theStream
  const params = yield* RouteFamily.query
  return json(Store.pickFields(yield* Store.streamJson(stream), params.get("fields")))
})

// Items of list and search: `{ id, pdpEnabled }` DataSets unless `fields` asks for more.
const items = (streams: ReadonlyArray<Store.StoredStream>, fields: string | null) =>
  Effect.forEach(
    streams,
    (stream) =>
      Effect.map(Store.streamJson(stream), (full) =>
        fields === null || fields.trim() === "" ? Store.summaryJson(full) : Store.pickFields(full, fields))
  )

const list = Effect.gen(function*() {
  yield* requireScope("data")
  const params = yield* RouteFamily.query
  const limit = yield* RouteFamily.intParam(params, "limit", { default: 50, min: 1, max: 500 })
  const offset = yield* RouteFamily.intParam(params, "offset", { default: 0, min: 0 })
  const streams = yield* Store.listStreams({ limit, offset })
  return json(yield* items(streams, params.get("fields")))
})

type Qualifier =
  | { readonly _tag: "name"; readonly value: string }
  | { readonly _tag: "ownerId"; readonly value: number }
  | { readonly _tag: "datasetId"; readonly value: string }

/**
 * Parse search qualifiers: `dataSource.name:`, `dataSource.owner.id:`, `dataSource.id:`; several
 * in one `q` joined by `,` (the npm SDK's join) or in several `q` parameters, all of which must
 * match. A `,` not followed by a qualifier belongs to the value (names may contain commas).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseQualifiers = (qs: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const out: Array<Qualifier> = []
    for (const q of qs) {
      for (const part of q.split(/,(?=\s*dataSource\.)/i)) {
        const term = part.trim()
        if (term === "") continue
        const match = /^dataSource\.(name|owner\.id|id):(.*)$/i.exec(term)
        if (match === null) {
          return yield* badRequest(
            `Invalid search qualifier '${term}'. Use dataSource.id:, dataSource.owner.id: or dataSource.name:`
          )
        }
        const key = match[1]!.toLowerCase()
        const value = match[2]!.trim()
        if (key === "owner.id") {
          if (!/^\d+$/.test(value)) return yield* badRequest(`Invalid owner id '${value}'`)
          out.push({ _tag: "ownerId", value: Number(value) })
        } else {
          out.push({ _tag: key === "id" ? "datasetId" : "name", value })
        }
      }
    }
    if (out.length === 0) return yield* badRequest("The search requires a q parameter with a qualifier")
    return out
  })

const search = Effect.gen(function*() {
  yield* requireScope("data")
  const params = yield* RouteFamily.query
  const qualifiers = yield* parseQualifiers(params.getAll("q"))
  const streams = yield* Store.allStreams
  const found: Array<Store.StoredStream> = []
  for (const stream of streams) {
    const dataset = yield* DataStore.get(stream.datasetId)
    if (Option.isNone(dataset) || dataset.value.deleted) continue
    const ds = dataset.value
    const ok = qualifiers.every((q) =>
      q._tag === "datasetId"
        ? ds.id.toLowerCase() === q.value.toLowerCase()
        : q._tag === "ownerId"
        ? ds.ownerId === q.value
        : ds.name.toLowerCase() === q.value.toLowerCase()
    )
    if (ok) found.push(stream)
  }
  return json(yield* items(found, params.get("fields")))
})

const UpdateMethodParam = Schema.Struct({ updateMethod: StreamModels.UpdateMethod })

const update = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const stream = yield* theStream
  const body = yield* optionalJsonBody(StreamModels.UpdateStream)
  // Domo's OpenAPI also lists `updateMethod` as a query parameter: the body wins.
  const fromQuery = (yield* RouteFamily.query).get("updateMethod")
  const queryMethod = fromQuery === null || fromQuery === ""
    ? undefined
    : (yield* Effect.mapError(
      Schema.decodeUnknown(UpdateMethodParam)({ updateMethod: fromQuery }),
      () => badRequest(`Invalid updateMethod '${fromQuery}'. Valid values: APPEND, REPLACE, UPSERT`)
    )).updateMethod
  const dataset = yield* DataStore.require(stream.datasetId)
  const keys = body.keyColumnNames ?? stream.keyColumnNames
  yield* checkKeyColumns(keys, dataset.columns)
  const method = body.updateMethod ?? queryMethod ?? stream.updateMethod
  if (method === "UPSERT" && keys.length === 0) {
    return yield* badRequest("keyColumnNames are required with updateMethod UPSERT")
  }
  const updated = yield* Store.updateStream(stream.id, { updateMethod: method, keyColumnNames: keys })
  yield* Activity.record(principal, {
    actionType: "UPDATED",
    objectType: "STREAM",
    objectId: String(stream.id),
    objectName: dataset.name
  })
  return json(yield* Store.streamJson(updated))
})

const remove = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const stream = yield* theStream
  yield* Store.deleteStream(stream.id, Parts.dropStreamParts)
  yield* Activity.record(principal, { actionType: "DELETED", objectType: "STREAM", objectId: String(stream.id) })
  return noContent
})

const createExecution = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const stream = yield* theStream
  const body = yield* optionalJsonBody(StreamModels.CreateExecution)
  yield* DataStore.require(stream.datasetId)
  const sql = yield* RouteFamily.Sql
  // One active execution per stream: a new one aborts the others (and drops their parts).
  const execution = yield* sql.withTransaction(Effect.gen(function*() {
    for (const active of yield* Store.activeExecutions(stream.id)) {
      yield* Parts.dropExecutionParts(stream.id, active.id)
      yield* Store.setExecutionState(active, "ABORTED")
    }
    return yield* Store.insertExecution(stream, body.updateMethod ?? stream.updateMethod)
  }))
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "STREAM_EXECUTION",
    objectId: `${stream.id}/${execution.id}`
  })
  return json(Store.executionJson(execution))
})

const listExecutions = Effect.gen(function*() {
  yield* requireScope("data")
  const stream = yield* theStream
  const params = yield* RouteFamily.query
  const limit = yield* RouteFamily.intParam(params, "limit", { default: 50, min: 1, max: 500 })
  const offset = yield* RouteFamily.intParam(params, "offset", { default: 0, min: 0 })
  const executions = yield* Store.listExecutions(stream.id, { limit, offset })
  return json(executions.map(Store.executionJson))
})

const getExecution = Effect.gen(function*() {
  yield* requireScope("data")
  const stream = yield* theStream
  return json(Store.executionJson(yield* theExecution(stream)))
})

const uploadPart = Effect.gen(function*() {
  yield* requireScope("data")
  const request = yield* HttpServerRequest.HttpServerRequest
  const stream = yield* theStream
  const execution = yield* Effect.flatMap(theExecution(stream), requireActive)
  const rawPart = yield* Effect.flatMap(HttpRouter.params, (params) => RouteFamily.param(params, "partId"))
  if (!/^\d{1,9}$/.test(rawPart)) return yield* badRequest(`Invalid part id '${rawPart}'`)
  const partId = Number(rawPart)
  const dataset = yield* DataStore.require(stream.datasetId)
  yield* Parts.uploadPart(
    stream,
    execution,
    dataset,
    partId,
    Stream.mapError(request.stream, () => badRequest("Could not read the request body"))
  )
  // The execution may have been aborted while the part streamed in: its parts are gone then.
  const current = yield* Store.requireExecution(stream.id, execution.id)
  if (current.state !== "ACTIVE") {
    yield* Parts.dropExecutionParts(stream.id, execution.id)
    return yield* notActive(current)
  }
  const updated = yield* Store.touchExecution(current, yield* Parts.partTotals(stream.id, execution.id))
  return json(Store.executionJson(updated))
})

// Commits applying in the background (Faults `commitDelayMs`), per emulator database: a commit
// repeated meanwhile answers the execution as it is instead of scheduling a second one.
const pendingCommits = new WeakMap<object, Set<string>>()

/** Apply the parts of an execution that is still ACTIVE, and record it. */
const applyCommit = (principal: Principal, stream: Store.StoredStream, execution: Store.StoredExecution) =>
  Effect.gen(function*() {
    const dataset = yield* DataStore.require(stream.datasetId)
    const committed = yield* Parts.commit(stream, execution, dataset)
    yield* Activity.record(principal, {
      actionType: "IMPORTED",
      objectType: "DATA_SOURCE",
      objectId: dataset.id,
      objectName: dataset.name,
      additionalComment:
        `stream ${stream.id} execution ${execution.id}: ${committed.updateMethod} ${committed.rows} rows`
    })
    return committed
  })

/**
 * The asynchronous commit: after `delayMs`, the parts are applied if the execution is still
 * ACTIVE (an abort meanwhile wins); parts that cannot be applied end the execution in ERROR
 * (its parts dropped), where a synchronous commit answers a 400.
 */
const commitLater = (
  principal: Principal,
  stream: Store.StoredStream,
  execution: Store.StoredExecution,
  delayMs: number
) =>
  Effect.gen(function*() {
    yield* Effect.sleep(delayMs)
    const current = yield* Store.requireExecution(stream.id, execution.id)
    if (current.state !== "ACTIVE") return
    yield* applyCommit(principal, stream, current).pipe(
      Effect.catchTag("DomoFailure", () =>
        // (in one transaction with the state check: an abort meanwhile stays an abort)
        Effect.flatMap(RouteFamily.Sql, (sql) =>
          sql.withTransaction(Effect.gen(function*() {
            const now = yield* Store.requireExecution(stream.id, execution.id)
            if (now.state !== "ACTIVE") return
            yield* Parts.dropExecutionParts(stream.id, execution.id)
            yield* Store.setExecutionState(now, "ERROR")
          }))))
    )
  })

const commit = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const stream = yield* theStream
  const execution = yield* theExecution(stream)
  // A repeated commit (a client retrying after a lost answer) answers the committed execution.
  if (execution.state === "SUCCESS") return json(Store.executionJson(execution))
  yield* requireActive(execution)
  const { commitDelayMs } = yield* (yield* Faults).state
  if (commitDelayMs > 0) {
    const sql = yield* RouteFamily.Sql
    const pending = pendingCommits.get(sql) ?? new Set<string>()
    pendingCommits.set(sql, pending)
    const key = `${stream.id}/${execution.id}`
    if (!pending.has(key)) {
      pending.add(key)
      yield* FiberSet.run(
        yield* RouteFamily.Background,
        commitLater(principal, stream, execution, commitDelayMs).pipe(
          Effect.ensuring(Effect.sync(() => pending.delete(key))),
          Effect.catchAllCause((cause) =>
            Cause.isInterruptedOnly(cause)
              ? Effect.void
              : Effect.logError("emulator: asynchronous commit failed", cause)
          )
        )
      )
    }
    // as Domo's docs show it: still ACTIVE, no endedAt; the client polls the execution
    return json(Store.executionJson(execution))
  }
  const committed = yield* applyCommit(principal, stream, execution)
  return json(Store.executionJson(committed))
})

const abortExecution = (execution: Store.StoredExecution) =>
  Effect.gen(function*() {
    if (execution.state !== "ACTIVE") return execution
    const sql = yield* RouteFamily.Sql
    return yield* sql.withTransaction(
      Effect.zipRight(
        Parts.dropExecutionParts(execution.streamId, execution.id),
        Store.setExecutionState(execution, "ABORTED")
      )
    )
  })

const abort = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const stream = yield* theStream
  const execution = yield* theExecution(stream)
  // Aborting an execution that already ended answers it unchanged.
  const aborted = yield* abortExecution(execution)
  if (execution.state === "ACTIVE") {
    yield* Activity.record(principal, {
      actionType: "ABORTED",
      objectType: "STREAM_EXECUTION",
      objectId: `${stream.id}/${execution.id}`
    })
  }
  return json(Store.executionJson(aborted))
})

const abortCurrent = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const stream = yield* theStream
  for (const active of yield* Store.activeExecutions(stream.id)) {
    yield* abortExecution(active)
    yield* Activity.record(principal, {
      actionType: "ABORTED",
      objectType: "STREAM_EXECUTION",
      objectId: `${stream.id}/${active.id}`
    })
  }
  return noContent
})

/**
 * The Stream family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "streams",
  migrate: Effect.zipRight(Store.migrate, Parts.migrate),
  router: HttpRouter.empty.pipe(
    HttpRouter.post("/v1/streams", create),
    HttpRouter.get("/v1/streams", list),
    HttpRouter.get("/v1/streams/search", search),
    HttpRouter.get("/v1/streams/:id", get),
    HttpRouter.patch("/v1/streams/:id", update),
    HttpRouter.del("/v1/streams/:id", remove),
    HttpRouter.post("/v1/streams/:id/executions", createExecution),
    HttpRouter.get("/v1/streams/:id/executions", listExecutions),
    HttpRouter.put("/v1/streams/:id/executions/abort", abortCurrent),
    HttpRouter.get("/v1/streams/:id/executions/:execId", getExecution),
    HttpRouter.put("/v1/streams/:id/executions/:execId/part/:partId", uploadPart),
    HttpRouter.put("/v1/streams/:id/executions/:execId/commit", commit),
    HttpRouter.put("/v1/streams/:id/executions/:execId/abort", abort)
  )
})
