import { StreamModels } from "@effect-domo/client"
import { describe, expect, it, layer } from "@effect/vitest"
import { Ajv } from "ajv"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Yaml from "yaml"
import { callJson, testLayer, token } from "./helpers.js"
import { createExecution, putBytes } from "./streams.helpers.js"

// Domo's own Stream API OpenAPI file (DomoApps/domo-developer-portal), copied into fixtures/.
type Json = Record<string, unknown>
const spec = Yaml.parse(
  Fs.readFileSync(Path.resolve(import.meta.dirname, "fixtures", "domo-openapi", "Stream-API.yaml"), "utf8")
) as Json

const operation = (path: string, method: string): Json => ((spec.paths as Json)[path] as Json)[method] as Json

const content = (path: string, method: string, status: number): Json =>
  (((operation(path, method).responses as Json)[String(status)] as Json).content as Json)["application/json"] as Json

const examples = (c: Json): Array<unknown> =>
  Object.values((c.examples ?? {}) as Record<string, { value: unknown }>).map((e) => e.value)

const ajv = new Ajv({ strict: false, allErrors: true })

const check = (path: string, method: string, body: unknown) => {
  const validate = ajv.compile(content(path, method, 200).schema as object)
  const ok = validate(body)
  expect(ok ? [] : validate.errors).toEqual([])
}

const STREAM = "/v1/streams/{STREAM_ID}"
const EXECUTIONS = "/v1/streams/{STREAM_ID}/executions"
const EXECUTION = "/v1/streams/{STREAM_ID}/executions/{EXECUTION_ID}"
const PART = "/v1/streams/{STREAM_ID}/executions/{EXECUTION_ID}/part/{PART_ID}"
const COMMIT = "/v1/streams/{STREAM_ID}/executions/{EXECUTION_ID}/commit"

describe("Domo's Stream API examples decode with StreamModels", () => {
  const cases: Array<[string, string, Schema.Schema.AnyNoContext]> = [
    [STREAM, "get", StreamModels.Stream],
    [STREAM, "patch", StreamModels.Stream],
    ["/v1/streams", "post", StreamModels.Stream],
    ["/v1/streams", "get", Schema.Array(StreamModels.Stream)],
    ["/v1/streams/search", "get", Schema.Array(StreamModels.Stream)],
    [EXECUTION, "get", StreamModels.Execution],
    [EXECUTIONS, "post", StreamModels.Execution],
    [EXECUTIONS, "get", Schema.Array(StreamModels.Execution)],
    [PART, "put", StreamModels.Execution],
    [COMMIT, "put", StreamModels.Execution]
  ]
  it("response and request examples decode", () => {
    for (const [path, method, schema] of cases) {
      const values = examples(content(path, method, 200))
      expect(values.length).toBeGreaterThan(0)
      for (const value of values) Schema.decodeUnknownSync(schema)(value)
    }
    const body = (path: string, method: string) =>
      examples(((operation(path, method).requestBody as Json).content as Json)["application/json"] as Json)
    for (const v of body("/v1/streams", "post")) Schema.decodeUnknownSync(StreamModels.CreateStream)(v)
    for (const v of body(STREAM, "patch")) Schema.decodeUnknownSync(StreamModels.UpdateStream)(v)
  })
  it("decoding is lenient where the SDKs differ, strict where it matters", () => {
    const execution = Schema.decodeUnknownSync(StreamModels.Execution)
    expect(execution({ id: 1, currentState: "SOMETHING_NEW", endedAt: null }).currentState).toBe("SOMETHING_NEW")
    expect(() => execution({ id: "1", currentState: "ACTIVE" })).toThrow()
    const create = Schema.decodeUnknownSync(StreamModels.CreateExecution)
    expect(create({})).toEqual({})
    expect(create({ updateMethod: null })).toEqual({ updateMethod: null })
    expect(() => create({ updateMethod: "MERGE" })).toThrow()
    expect(() => Schema.decodeUnknownSync(StreamModels.Stream)({ id: 1, dataSet: { id: "x" }, updateMethod: "X" }))
      .toThrow()
  })
})

layer(testLayer())("Emulator stream answers validate against Stream-API.yaml", (it) => {
  it.effect("create, get, update, list, search, executions, part, commit", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const created = yield* callJson("POST", "/v1/streams", {
        json: {
          dataSet: {
            name: "Leonhard Euler Party",
            description: "Mathematician Guest List",
            schema: { columns: [{ type: "STRING", name: "Friend" }, { type: "LONG", name: "Age" }] }
          },
          updateMethod: "APPEND"
        }
      })
      expect(created.status).toBe(201)
      // Domo's file documents create as 200 (its guide says 201); the body is a Stream either way.
      check("/v1/streams", "post", created.body)
      const stream = Schema.decodeUnknownSync(StreamModels.Stream)(created.body)
      check(STREAM, "get", (yield* callJson("GET", `/v1/streams/${stream.id}`)).body)
      check(
        STREAM,
        "patch",
        (yield* callJson("PATCH", `/v1/streams/${stream.id}`, { json: { updateMethod: "REPLACE" } })).body
      )
      check("/v1/streams", "get", (yield* callJson("GET", "/v1/streams")).body)
      check("/v1/streams", "get", (yield* callJson("GET", "/v1/streams?fields=all")).body)
      check(
        "/v1/streams/search",
        "get",
        (yield* callJson("GET", `/v1/streams/search?q=dataSource.id:${stream.dataSet.id}`)).body
      )
      const execution = yield* createExecution(stream.id)
      check(EXECUTIONS, "post", (yield* callJson("GET", `/v1/streams/${stream.id}/executions/${execution.id}`)).body)
      const part = yield* putBytes(
        `/v1/streams/${stream.id}/executions/${execution.id}/part/1`,
        new TextEncoder().encode("Pythagoras,1\n"),
        { "content-type": "text/csv" },
        bearer
      )
      check(PART, "put", part.body)
      check(COMMIT, "put", (yield* callJson("PUT", `/v1/streams/${stream.id}/executions/${execution.id}/commit`)).body)
      check(EXECUTION, "get", (yield* callJson("GET", `/v1/streams/${stream.id}/executions/${execution.id}`)).body)
      check(EXECUTIONS, "get", (yield* callJson("GET", `/v1/streams/${stream.id}/executions`)).body)
    }))
})
