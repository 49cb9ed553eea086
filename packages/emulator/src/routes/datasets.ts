/**
 * The DataSet API (`/v1/datasets`, scope `data`): create, get, list, update, delete, CSV import
 * and export, SQL query, and PDP policies.
 *
 * @since 0.1.0
 */
import { DataSetModels } from "@effect-domo/client"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Activity from "../Activity.js"
import { requireScope } from "../Auth.js"
import * as DataStore from "../DataStore.js"
import { badRequest, DomoFailure } from "../DomoError.js"
import * as Pdp from "../Pdp.js"
import * as Policies from "../Policies.js"
import * as Query from "../Query.js"
import * as RouteFamily from "../RouteFamily.js"

/**
 * A stored DataSet as Domo answers `GET /v1/datasets/{id}` (with `policies` when given).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toJson = (
  dataset: DataStore.StoredDataSet,
  policies?: ReadonlyArray<Policies.PolicyJson> | undefined
): Record<string, unknown> => ({
  id: dataset.id,
  name: dataset.name,
  description: dataset.description,
  rows: dataset.rows,
  // Domo counts the columns of the current data version: 0 until data arrives.
  columns: dataset.dataCurrentAt === null ? 0 : dataset.columns.length,
  schema: { columns: dataset.columns.map((c) => ({ type: c.type, name: c.name })) },
  owner: { id: dataset.ownerId, name: dataset.ownerName },
  createdAt: dataset.createdAt,
  updatedAt: dataset.updatedAt,
  ...(dataset.dataCurrentAt === null ? {} : { dataCurrentAt: dataset.dataCurrentAt }),
  ...(policies === undefined ? {} : { pdpEnabled: dataset.pdpEnabled, policies })
})

const json = (body: unknown, status = 200) =>
  HttpServerResponse.unsafeJson(body, { status, contentType: "application/json;charset=UTF-8" })

const noContent = HttpServerResponse.empty({ status: 204 })

const datasetId = Effect.flatMap(HttpRouter.params, (params) => RouteFamily.param(params, "id"))

const policyId = Effect.flatMap(
  HttpRouter.params,
  (params) =>
    Effect.flatMap(RouteFamily.param(params, "policyId"), (raw) =>
      /^\d+$/.test(raw)
        ? Effect.succeed(Number(raw))
        : Effect.fail(new DomoFailure({ status: 404, message: "Not Found" })))
)

const full = (dataset: DataStore.StoredDataSet) =>
  Effect.map(Policies.list(dataset.id), (policies) => toJson(dataset, policies))

const create = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const body = yield* RouteFamily.jsonBody(DataSetModels.CreateDataSet)
  const dataset = yield* DataStore.create({
    name: body.name,
    description: body.description,
    columns: body.schema.columns,
    owner: { id: principal.userId, name: principal.userName }
  })
  yield* Policies.createDefault(dataset.id)
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name
  })
  return json(toJson(dataset), 201)
})

const get = Effect.gen(function*() {
  yield* requireScope("data")
  const id = yield* datasetId
  const found = yield* DataStore.get(id)
  if (found._tag === "None") return yield* DataStore.missing(id)
  const dataset = found.value
  if (dataset.deleted) {
    return json({
      id: dataset.id,
      name: dataset.name,
      description: dataset.description,
      rows: 0,
      columns: 0,
      owner: { id: dataset.ownerId, name: dataset.ownerName },
      createdAt: dataset.createdAt,
      updatedAt: dataset.updatedAt,
      deleted: true
    })
  }
  return json(yield* full(dataset))
})

const SORTS = new Set<string>(DataSetModels.DataSetSort.literals)

const list = Effect.gen(function*() {
  yield* requireScope("data")
  const params = yield* RouteFamily.query
  const limit = yield* RouteFamily.intParam(params, "limit", { default: 50, min: 1, max: 50 })
  const offset = yield* RouteFamily.intParam(params, "offset", { default: 0, min: 0 })
  const sort = params.get("sort") ?? ""
  if (sort !== "" && !SORTS.has(sort)) {
    return yield* badRequest(`Invalid sort '${sort}'. Valid values: ${DataSetModels.DataSetSort.literals.join(", ")}`)
  }
  const datasets = yield* DataStore.list({
    limit,
    offset,
    sort: sort === "" ? undefined : sort as DataSetModels.DataSetSort,
    nameLike: params.get("nameLike") ?? undefined
  })
  return json(datasets.map(DataStore.summaryJson))
})

const update = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const id = yield* datasetId
  const body = yield* RouteFamily.jsonBody(DataSetModels.UpdateDataSet)
  const dataset = yield* DataStore.update(id, {
    name: body.name,
    description: body.description,
    pdpEnabled: body.pdpEnabled,
    columns: body.schema?.columns,
    owner: body.owner === undefined
      ? undefined
      : { id: body.owner.id, name: body.owner.name ?? (body.owner.id === principal.userId ? principal.userName : "") }
  })
  yield* Activity.record(principal, {
    actionType: "UPDATED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name
  })
  return json(yield* full(dataset))
})

const remove = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const id = yield* datasetId
  const dataset = yield* DataStore.remove(id)
  yield* Policies.removeAll(id)
  yield* Activity.record(principal, {
    actionType: "DELETED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name
  })
  return noContent
})

/**
 * `updateMethod` as Domo reads it: `APPEND` (exactly), anything else `REPLACE`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const updateMethod = (params: URLSearchParams): DataStore.ImportMethod =>
  params.get("updateMethod") === "APPEND" ? { _tag: "APPEND" } : { _tag: "REPLACE" }

const importData = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const request = yield* HttpServerRequest.HttpServerRequest
  const id = yield* datasetId
  const params = yield* RouteFamily.query
  const contentType = (request.headers["content-type"] ?? "").toLowerCase()
  if (contentType.includes("json") || contentType.includes("multipart/") || contentType.includes("xml")) {
    return yield* new DomoFailure({
      status: 415,
      message: `Content type '${contentType}' not supported; send text/csv`
    })
  }
  const dataset = yield* DataStore.require(id)
  const method = updateMethod(params)
  const limit = Option.getOrUndefined(yield* HttpIncomingMessage.MaxBodySize)
  let received = 0
  const body = Stream.mapError(request.stream, () => badRequest("Could not read the request body")).pipe(
    Stream.mapEffect((chunk) => {
      received += chunk.length
      return limit !== undefined && received > Number(limit)
        ? Effect.fail(new DomoFailure({ status: 413, message: `Request body exceeds the limit of ${limit} bytes` }))
        : Effect.succeed(chunk)
    })
  )
  const result = yield* DataStore.importCsv(dataset, body, method)
  yield* Activity.record(principal, {
    actionType: "IMPORTED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name,
    additionalComment: `${method._tag} ${result.rows} rows`
  })
  return noContent
})

const exportData = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const id = yield* datasetId
  const params = yield* RouteFamily.query
  const dataset = yield* DataStore.require(id)
  const where = yield* Pdp.rowFilter(dataset, principal)
  const includeHeader = (params.get("includeHeader") ?? "false").toLowerCase() === "true"
  const fileName = params.get("fileName")
  const sql = yield* Effect.context<RouteFamily.RouteServices>()
  const escapeFormulas = (params.get("disableFormulaInterpretation") ?? "").toLowerCase() === "true"
  const body = DataStore.exportCsv(dataset, { includeHeader, where, escapeFormulas }).pipe(Stream.provideContext(sql))
  return HttpServerResponse.stream(body, {
    contentType: "text/csv;charset=UTF-8",
    headers: fileName === null || fileName === ""
      ? {}
      : { "content-disposition": `attachment; filename=${fileName.replace(/[\r\n"]/g, "")}` }
  })
})

const query = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const id = yield* datasetId
  const body = yield* RouteFamily.jsonBody(DataSetModels.QueryRequest)
  const dataset = yield* DataStore.require(id)
  const result = yield* Query.execute(dataset, body.sql, yield* Pdp.rowFilter(dataset, principal))
  return json(result)
})

const listPolicies = Effect.gen(function*() {
  yield* requireScope("data")
  const dataset = yield* Effect.flatMap(datasetId, DataStore.require)
  return json(yield* Policies.list(dataset.id))
})

const createPolicy = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const dataset = yield* Effect.flatMap(datasetId, DataStore.require)
  const body = yield* RouteFamily.jsonBody(DataSetModels.CreatePolicy)
  yield* Policies.validate(dataset.columns, body.filters)
  const policy = yield* Policies.create(dataset.id, body)
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "PDP_POLICY",
    objectId: String(policy.id),
    objectName: policy.name
  })
  return json(policy, 201)
})

const getPolicy = Effect.gen(function*() {
  yield* requireScope("data")
  const dataset = yield* Effect.flatMap(datasetId, DataStore.require)
  return json(yield* Policies.get(dataset.id, yield* policyId))
})

const updatePolicy = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const dataset = yield* Effect.flatMap(datasetId, DataStore.require)
  const id = yield* policyId
  const body = yield* RouteFamily.jsonBody(DataSetModels.UpdatePolicy)
  if (body.filters !== undefined) yield* Policies.validate(dataset.columns, body.filters)
  const policy = yield* Policies.update(dataset.id, id, body)
  yield* Activity.record(principal, {
    actionType: "UPDATED",
    objectType: "PDP_POLICY",
    objectId: String(policy.id),
    objectName: policy.name
  })
  return json(policy)
})

const deletePolicy = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const dataset = yield* Effect.flatMap(datasetId, DataStore.require)
  const id = yield* policyId
  yield* Policies.remove(dataset.id, id)
  yield* Activity.record(principal, { actionType: "DELETED", objectType: "PDP_POLICY", objectId: String(id) })
  return noContent
})

/**
 * The DataSet family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "datasets",
  migrate: Effect.zipRight(DataStore.migrate, Policies.migrate),
  router: HttpRouter.empty.pipe(
    HttpRouter.post("/v1/datasets", create),
    HttpRouter.get("/v1/datasets", list),
    HttpRouter.post("/v1/datasets/query/execute/:id", query),
    HttpRouter.get("/v1/datasets/:id", get),
    HttpRouter.put("/v1/datasets/:id", update),
    HttpRouter.del("/v1/datasets/:id", remove),
    HttpRouter.put("/v1/datasets/:id/data", importData),
    HttpRouter.get("/v1/datasets/:id/data", exportData),
    HttpRouter.get("/v1/datasets/:id/policies", listPolicies),
    HttpRouter.post("/v1/datasets/:id/policies", createPolicy),
    HttpRouter.get("/v1/datasets/:id/policies/:policyId", getPolicy),
    HttpRouter.put("/v1/datasets/:id/policies/:policyId", updatePolicy),
    HttpRouter.del("/v1/datasets/:id/policies/:policyId", deletePolicy)
  )
})
