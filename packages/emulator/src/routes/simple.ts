/**
 * The Simple API (`/v1/json`, scope `data`): create a DataSet without a schema, then import JSON
 * arrays of flat objects (converted to CSV server-side; the schema follows the data).
 *
 * @since 0.1.0
 */
import type { DataSetModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Activity from "../Activity.js"
import { requireScope } from "../Auth.js"
import * as Csv from "../Csv.js"
import * as DataStore from "../DataStore.js"
import { DomoFailure } from "../DomoError.js"
import * as Policies from "../Policies.js"
import * as RouteFamily from "../RouteFamily.js"
import { toJson, updateMethod } from "./datasets.js"

const textError = (message: string) => new DomoFailure({ status: 400, message, body: "text" })

const create = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const request = yield* HttpServerRequest.HttpServerRequest
  const params = yield* RouteFamily.query
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  let body: { name?: unknown; description?: unknown } = {}
  if (text.trim() !== "") {
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed === "object" && parsed !== null) body = parsed
    } catch {
      return yield* new DomoFailure({ status: 400, message: "Malformed JSON in the request body" })
    }
  }
  const name = params.get("name") ?? (typeof body.name === "string" ? body.name : undefined)
  if (name === undefined || name === "") {
    return yield* new DomoFailure({ status: 400, message: "A DataSet name is required" })
  }
  const description = params.get("description") ?? (typeof body.description === "string" ? body.description : "")
  const dataset = yield* DataStore.create({
    name,
    description,
    columns: [],
    owner: { id: principal.userId, name: principal.userName },
    origin: "json"
  })
  yield* Policies.createDefault(dataset.id)
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name
  })
  return HttpServerResponse.unsafeJson(toJson(dataset, yield* Policies.list(dataset.id)), { status: 201 })
})

const cell = (value: unknown): string | null => {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) return "List"
  if (typeof value === "object") return JSON.stringify(value)
  return String(value)
}

const infer = (values: ReadonlyArray<unknown>): DataSetModels.ColumnType => {
  const present = values.filter((v) => v !== null && v !== undefined && v !== "")
  if (present.length === 0) return "STRING"
  if (present.every((v) => typeof v === "number" && Number.isInteger(v))) return "LONG"
  if (present.every((v) => typeof v === "number")) return "DOUBLE"
  return "STRING"
}

const describeSchema = (columns: ReadonlyArray<DataSetModels.Column>) =>
  `{columns=[${columns.map((c) => `{type='${c.type}', name='${c.name}', metadata=null}`).join(", ")}]}`

const importJson = Effect.gen(function*() {
  const principal = yield* requireScope("data")
  const request = yield* HttpServerRequest.HttpServerRequest
  const id = yield* Effect.flatMap(HttpRouter.params, (params) => RouteFamily.param(params, "id"))
  const params = yield* RouteFamily.query
  let dataset = yield* DataStore.require(id)
  const text = yield* Effect.mapError(request.text, () => textError("Could not read the request body"))
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return yield* textError("Invalid data provided during upload. The body is not valid JSON.")
  }
  if (!Array.isArray(data) || data.length === 0) {
    return yield* textError("Invalid data provided during upload. Expected a non-empty JSON array of objects.")
  }
  const objects: Array<Record<string, unknown>> = []
  for (const item of data) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      return yield* textError("Invalid data provided during upload. Every element must be a JSON object.")
    }
    objects.push(item as Record<string, unknown>)
  }
  const method = updateMethod(params)
  const keys: Array<string> = []
  for (const object of objects) for (const key of Object.keys(object)) if (!keys.includes(key)) keys.push(key)
  let columns = dataset.columns
  if (method._tag === "APPEND" && columns.length > 0) {
    const names = new Set(columns.map((c) => c.name))
    const sameKeys = objects.every((o) => {
      const k = Object.keys(o)
      return k.length === names.size && k.every((key) => names.has(key))
    })
    if (!sameKeys) {
      return yield* textError(
        `Invalid data provided during upload. Invalid schema. Expected: ${describeSchema(columns)}`
      )
    }
  } else {
    columns = keys.map((name) => ({ name, type: infer(objects.map((o) => o[name])) }))
    const same = columns.length === dataset.columns.length &&
      columns.every((c, i) => c.name === dataset.columns[i]!.name && c.type === dataset.columns[i]!.type)
    if (!same) dataset = yield* DataStore.update(id, { columns })
  }
  const rows = objects.map((o) => Csv.formatRow(columns.map((c) => cell(o[c.name]))))
  const encoder = new TextEncoder()
  yield* DataStore.importCsv(dataset, Stream.fromIterable(rows.map((r) => encoder.encode(r))), method).pipe(
    Effect.catchTag(
      "DomoFailure",
      (e) =>
        Effect.fail(
          textError(e.message.replace("Invalid CSV provided during upload.", "Invalid data provided during upload."))
        )
    )
  )
  yield* Activity.record(principal, {
    actionType: "IMPORTED",
    objectType: "DATA_SOURCE",
    objectId: dataset.id,
    objectName: dataset.name,
    additionalComment: `${method._tag} ${objects.length} rows`
  })
  return HttpServerResponse.empty({ status: 204 })
})

/**
 * The Simple API family (its tables are the DataSets').
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "simple",
  migrate: Effect.void,
  router: HttpRouter.empty.pipe(
    HttpRouter.post("/v1/json", create),
    HttpRouter.put("/v1/json/:id/data", importJson)
  )
})
