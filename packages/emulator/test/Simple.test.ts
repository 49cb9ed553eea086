import { DataSetModels } from "@effect-domo/client"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { call, callJson, testLayer } from "./helpers.js"

layer(testLayer())("Simple API", (it) => {
  it.effect("create without a schema, import JSON, append, export", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/json?name=Friends", { json: { description: "people" } })
      expect(created.status).toBe(201)
      const dataset = Schema.decodeUnknownSync(DataSetModels.DataSet)(created.body)
      expect(dataset).toMatchObject({ name: "Friends", description: "people", pdpEnabled: false })
      expect(dataset.policies?.[0]).toMatchObject({
        type: "open",
        name: "All Rows",
        filters: [],
        users: [],
        groups: []
      })
      const replace = yield* call("PUT", `/v1/json/${dataset.id}/data`, {
        json: [{ name: "Leia", age: 19, tags: ["a"] }, { name: "Han", age: null, tags: [] }]
      })
      expect(replace.status).toBe(204)
      const got = Schema.decodeUnknownSync(DataSetModels.DataSet)(
        (yield* callJson("GET", `/v1/datasets/${dataset.id}`)).body
      )
      expect(got.schema?.columns).toEqual([
        { name: "name", type: "STRING" },
        { name: "age", type: "LONG" },
        { name: "tags", type: "STRING" }
      ])
      const append = yield* call("PUT", `/v1/json/${dataset.id}/data?updateMethod=APPEND`, {
        json: [{ tags: [], age: 40, name: "Luke" }]
      })
      expect(append.status).toBe(204)
      const exported = yield* call("GET", `/v1/datasets/${dataset.id}/data`, { accept: "text/csv" })
      expect(yield* exported.text).toBe("Leia,19,List\nHan,,List\nLuke,40,List\n")
    }))

  it.effect("APPEND with other keys is a text/plain 400 naming the expected schema; nothing stored", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/json", { json: { name: "Strict" } })
      const id = (created.body as { id: string }).id
      yield* call("PUT", `/v1/json/${id}/data`, { json: [{ name: "a" }] })
      const bad = yield* call("PUT", `/v1/json/${id}/data?updateMethod=APPEND`, { json: [{ other: "b" }] })
      expect(bad.status).toBe(400)
      expect(bad.headers["content-type"]).toContain("text/plain")
      expect(yield* bad.text).toBe(
        "Invalid data provided during upload. Invalid schema. Expected: {columns=[{type='STRING', name='name', metadata=null}]}"
      )
      const notArray = yield* call("PUT", `/v1/json/${id}/data`, { json: { name: "x" } })
      expect(notArray.status).toBe(400)
      const exported = yield* call("GET", `/v1/datasets/${id}/data`, { accept: "text/csv" })
      expect(yield* exported.text).toBe("a\n")
    }))
})
