import { DataSetModels } from "@effect-domo/client"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { Ajv } from "ajv"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Yaml from "yaml"
import { Emulator } from "../src/Emulator.js"
import { call, callJson, testLayer, token } from "./helpers.js"

// Domo's own OpenAPI files (DomoApps/domo-developer-portal), copied into fixtures/.
const SPEC_DIR = Path.join(import.meta.dirname, "fixtures", "domo-openapi")

type Json = Record<string, unknown>

const load = (file: string): Json => Yaml.parse(Fs.readFileSync(Path.join(SPEC_DIR, file), "utf8")) as Json

const specs = {
  dataset: load("DataSet-API.yaml"),
  simple: load("Simple-API.yaml"),
  auth: load("API-Authentication.yaml")
}

const operation = (spec: Json, path: string, method: string): Json =>
  ((spec.paths as Json)[path] as Json)[method] as Json

const response = (
  spec: Json,
  path: string,
  method: string,
  status: number
): Json => ((operation(spec, path, method).responses as Json)[String(status)] as Json)

const jsonContent = (
  spec: Json,
  path: string,
  method: string,
  status: number
): Json => ((response(spec, path, method, status).content as Json)["application/json"] as Json)

const examples = (content: Json): Array<unknown> =>
  Object.values((content.examples ?? {}) as Record<string, { value: unknown }>).map((e) => e.value)

// Errata of the spec, each checked against its own examples: PDP `groups` are group ids
// (integers: the update example sends [4]) though the schema says objects; query `rows` are
// arrays of cells (the example) though the schema says strings.
const errata = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(errata)
  if (typeof schema !== "object" || schema === null) return schema
  const out: Json = {}
  for (const [key, value] of Object.entries(schema)) {
    const isArray = typeof value === "object" && value !== null && (value as Json).type === "array"
    out[key] = key === "groups" && isArray
      ? { type: "array", items: { type: "integer" } }
      : key === "rows" && isArray
      ? { type: "array", items: { type: "array" } }
      : errata(value)
  }
  return out
}

const ajv = new Ajv({ strict: false, allErrors: true })

const check = (spec: Json, path: string, method: string, status: number, body: unknown) => {
  const schema = errata(jsonContent(spec, path, method, status).schema)
  const validate = ajv.compile(schema as object)
  const ok = validate(body)
  expect(ok ? [] : validate.errors).toEqual([])
}

describe("Domo's OpenAPI examples decode with the shared schemas", () => {
  const ds = specs.dataset
  const cases: Array<[string, string, number, Schema.Schema.AnyNoContext]> = [
    ["/v1/datasets/{dataset_id}", "get", 200, DataSetModels.DataSet],
    ["/v1/datasets/{dataset_id}", "put", 200, DataSetModels.DataSet],
    ["/v1/datasets", "post", 201, DataSetModels.DataSet],
    ["/v1/datasets", "get", 200, Schema.Array(DataSetModels.DataSetSummary)],
    ["/v1/datasets/query/execute/{dataset_id}", "post", 200, DataSetModels.QueryResult],
    ["/v1/datasets/{dataset_id}/policies/{pdp_id}", "get", 200, DataSetModels.Policy],
    ["/v1/datasets/{dataset_id}/policies/{pdp_id}", "put", 200, DataSetModels.Policy],
    ["/v1/datasets/{dataset_id}/policies", "post", 201, DataSetModels.Policy],
    ["/v1/datasets/{dataset_id}/policies", "get", 200, Schema.Array(DataSetModels.Policy)]
  ]
  for (const [path, method, status, schema] of cases) {
    layer(testLayer())(`${method.toUpperCase()} ${path}`, (it) => {
      it.effect("its response examples decode", () =>
        Effect.sync(() => {
          const values = examples(jsonContent(ds, path, method, status))
          expect(values.length).toBeGreaterThan(0)
          for (const value of values) Schema.decodeUnknownSync(schema)(value)
        }))
    })
  }
  layer(testLayer())("request bodies and the Simple API", (it) => {
    it.effect("request examples decode; the Simple API create example decodes as a DataSet", () =>
      Effect.sync(() => {
        const body = (path: string, method: string) =>
          examples(((operation(ds, path, method).requestBody as Json).content as Json)["application/json"] as Json)
        for (const v of body("/v1/datasets", "post")) Schema.decodeUnknownSync(DataSetModels.CreateDataSet)(v)
        for (const v of body("/v1/datasets/{dataset_id}", "put")) {
          Schema.decodeUnknownSync(DataSetModels.UpdateDataSet)(v)
        }
        for (const v of body("/v1/datasets/{dataset_id}/policies", "post")) {
          Schema.decodeUnknownSync(DataSetModels.CreatePolicy)(v)
        }
        for (const v of body("/v1/datasets/query/execute/{dataset_id}", "post")) {
          Schema.decodeUnknownSync(DataSetModels.QueryRequest)(v)
        }
        for (const v of examples(jsonContent(specs.simple, "/v1/json", "post", 201))) {
          Schema.decodeUnknownSync(DataSetModels.DataSet)(v)
        }
      }))
  })
})

layer(testLayer())("Emulator responses validate against Domo's OpenAPI schemas", (it) => {
  it.effect("token, dataset CRUD, list, query, policies, Simple API, import error", () =>
    Effect.gen(function*() {
      const ds = specs.dataset
      const bearer = yield* token()
      const created = yield* callJson("POST", "/v1/datasets", {
        token: bearer,
        json: {
          name: "Leonhard Euler Party",
          description: "Mathematician Guest List",
          rows: 0,
          schema: { columns: [{ type: "STRING", name: "Friend" }, { type: "STRING", name: "Attending" }] }
        }
      })
      expect(created.status).toBe(201)
      check(ds, "/v1/datasets", "post", 201, created.body)
      const id = (created.body as { id: string }).id
      const got = yield* callJson("GET", `/v1/datasets/${id}`, { token: bearer })
      check(ds, "/v1/datasets/{dataset_id}", "get", 200, got.body)
      const updated = yield* callJson("PUT", `/v1/datasets/${id}`, { token: bearer, json: { description: "x" } })
      check(ds, "/v1/datasets/{dataset_id}", "put", 200, updated.body)
      const listed = yield* callJson("GET", "/v1/datasets?limit=10", { token: bearer })
      check(ds, "/v1/datasets", "get", 200, listed.body)
      yield* call("PUT", `/v1/datasets/${id}/data`, { token: bearer, text: "Pythagoras,FALSE\nAlan Turing,TRUE\n" })
      const query = yield* callJson("POST", `/v1/datasets/query/execute/${id}`, {
        token: bearer,
        json: { sql: "SELECT * FROM table" }
      })
      check(ds, "/v1/datasets/query/execute/{dataset_id}", "post", 200, query.body)
      const policy = yield* callJson("POST", `/v1/datasets/${id}/policies`, {
        token: bearer,
        json: { name: "Only Show Attendees", filters: [{ column: "Attending", values: ["TRUE"], operator: "EQUALS" }] }
      })
      check(ds, "/v1/datasets/{dataset_id}/policies", "post", 201, policy.body)
      const policyId = (policy.body as { id: number }).id
      check(
        ds,
        "/v1/datasets/{dataset_id}/policies/{pdp_id}",
        "get",
        200,
        (yield* callJson("GET", `/v1/datasets/${id}/policies/${policyId}`, { token: bearer })).body
      )
      check(
        ds,
        "/v1/datasets/{dataset_id}/policies/{pdp_id}",
        "put",
        200,
        (yield* callJson("PUT", `/v1/datasets/${id}/policies/${policyId}`, { token: bearer, json: { groups: [4] } }))
          .body
      )
      check(
        ds,
        "/v1/datasets/{dataset_id}/policies",
        "get",
        200,
        (yield* callJson("GET", `/v1/datasets/${id}/policies`, { token: bearer })).body
      )
      const bad = yield* callJson("PUT", `/v1/datasets/${id}/data`, { token: bearer, text: "a,b,c\n" })
      expect(bad.status).toBe(400)
      check(ds, "/v1/datasets/{dataset_id}/data", "put", 400, bad.body)
      Schema.decodeUnknownSync(DataSetModels.DomoErrorBody)(bad.body)
      const simple = yield* callJson("POST", "/v1/json", { token: bearer, json: { name: "Simple", description: "d" } })
      check(specs.simple, "/v1/json", "post", 201, simple.body)
    }))

  it.effect("the token response validates against API-Authentication.yaml", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const client = yield* HttpClient.HttpClient
      const res = yield* client.execute(
        HttpClientRequest.get(`${emulator.url}/oauth/token?grant_type=client_credentials&scope=data%20user`).pipe(
          HttpClientRequest.basicAuth(emulator.clientId, Redacted.value(emulator.clientSecret))
        )
      )
      const body = yield* res.json
      check(specs.auth, "/oauth/token", "get", 200, body)
      for (const example of examples(jsonContent(specs.auth, "/oauth/token", "get", 200))) {
        expect(Object.keys(example as object).sort()).toEqual(Object.keys(body as object).sort())
      }
    }))
})
