import { DataSetModels } from "@effect-domo/client"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Emulator } from "../src/Emulator.js"
import { call, callJson, testLayer, token } from "./helpers.js"

const decodeDataSet = Schema.decodeUnknownSync(DataSetModels.DataSet)
const decodeSummaries = Schema.decodeUnknownSync(Schema.Array(DataSetModels.DataSetSummary))
const decodeQuery = Schema.decodeUnknownSync(DataSetModels.QueryResult)

const schema = {
  columns: [
    { type: "STRING", name: "Name" },
    { type: "LONG", name: "Count" },
    { type: "DECIMAL", name: "Price" },
    { type: "DOUBLE", name: "Ratio" },
    { type: "DATE", name: "Day" },
    { type: "DATETIME", name: "At" }
  ]
}

const createDataSet = (name: string, body: unknown = { name, description: "d", schema }) =>
  Effect.map(callJson("POST", "/v1/datasets", { json: body }), (res) => {
    expect(res.status).toBe(201)
    return decodeDataSet(res.body)
  })

layer(testLayer())("DataSets", (it) => {
  it.effect("create answers 201 with Domo's shape; get adds pdpEnabled and policies", () =>
    Effect.gen(function*() {
      const created = yield* createDataSet("Sales")
      expect(created).toMatchObject({ name: "Sales", description: "d", rows: 0, columns: 0 })
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(created.schema?.columns).toEqual(schema.columns)
      expect(created.owner?.id).toBe(1)
      const got = yield* callJson("GET", `/v1/datasets/${created.id}`)
      expect(got.status).toBe(200)
      const dataset = decodeDataSet(got.body)
      expect(dataset.pdpEnabled).toBe(false)
      expect(dataset.policies?.map((p) => p.name)).toEqual(["All Rows"])
    }))

  it.effect("bad bodies are Domo 400s; unknown ids 404", () =>
    Effect.gen(function*() {
      const malformed = yield* call("POST", "/v1/datasets", { text: "{nope", contentType: "application/json" })
      expect(malformed.status).toBe(400)
      const body = (yield* malformed.json) as Record<string, unknown>
      expect(body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      expect(String(body.toe)).toMatch(/^[A-Z0-9]{10}-[A-Z0-9]{5}-[A-Z0-9]{5}$/)
      const noSchema = yield* callJson("POST", "/v1/datasets", { json: { name: "x" } })
      expect(noSchema.status).toBe(400)
      const badType = yield* callJson("POST", "/v1/datasets", {
        json: { name: "x", schema: { columns: [{ type: "BOOLEAN", name: "b" }] } }
      })
      expect(badType.status).toBe(400)
      const missing = yield* callJson("GET", "/v1/datasets/00000000-0000-4000-8000-000000000000")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ status: 404, statusReason: "Not Found" })
      const patch = yield* callJson("PATCH", "/v1/datasets/00000000-0000-4000-8000-000000000000", { json: {} })
      expect(patch.status).toBe(405)
      expect(patch.headers["allow"]).toBe("GET, PUT, DELETE")
      expect(patch.body).toMatchObject({ status: 405, statusReason: "Method Not Allowed" })
      expect((yield* callJson("GET", "/v1/nothing-here")).status).toBe(404)
    }))

  it.effect("update, then delete: 204 and a deleted subset on get", () =>
    Effect.gen(function*() {
      const created = yield* createDataSet("ToUpdate")
      const updated = yield* callJson("PUT", `/v1/datasets/${created.id}`, {
        json: { name: "Updated", description: "new", pdpEnabled: true }
      })
      expect(updated.status).toBe(200)
      expect(decodeDataSet(updated.body)).toMatchObject({ name: "Updated", description: "new", pdpEnabled: true })
      const deleted = yield* call("DELETE", `/v1/datasets/${created.id}`)
      expect(deleted.status).toBe(204)
      const after = yield* callJson("GET", `/v1/datasets/${created.id}`)
      expect(after.body).toMatchObject({ id: created.id, deleted: true })
      expect((yield* call("DELETE", `/v1/datasets/${created.id}`)).status).toBe(404)
    }))

  it.effect("list pages by limit/offset (max 50), sorts, filters nameLike case-insensitively", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      for (const name of ["zeta list", "Alpha List", "mid LIST"]) {
        yield* callJson("POST", "/v1/datasets", { token: bearer, json: { name, schema } })
      }
      const byName = yield* callJson("GET", "/v1/datasets?nameLike=list&sort=name", { token: bearer })
      expect(decodeSummaries(byName.body).map((d) => d.name)).toEqual(["Alpha List", "mid LIST", "zeta list"])
      const desc = yield* callJson("GET", "/v1/datasets?nameLike=LIST&sort=nameDescending", { token: bearer })
      expect(decodeSummaries(desc.body).map((d) => d.name)).toEqual(["zeta list", "mid LIST", "Alpha List"])
      const page = yield* callJson("GET", "/v1/datasets?nameLike=list&sort=name&limit=1&offset=1", { token: bearer })
      expect(decodeSummaries(page.body).map((d) => d.name)).toEqual(["mid LIST"])
      for (
        const sort of DataSetModels.DataSetSort.literals
      ) {
        const res = yield* callJson("GET", `/v1/datasets?sort=${sort}&nameLike=list`, { token: bearer })
        expect(res.status).toBe(200)
        expect(decodeSummaries(res.body)).toHaveLength(3)
      }
      expect((yield* callJson("GET", "/v1/datasets?limit=51", { token: bearer })).status).toBe(400)
      expect((yield* callJson("GET", "/v1/datasets?sort=bogus", { token: bearer })).status).toBe(400)
      const trailing = yield* callJson("GET", "/v1/datasets/?nameLike=list", { token: bearer })
      expect(decodeSummaries(trailing.body)).toHaveLength(3)
      const all = yield* callJson("GET", "/v1/datasets", { token: bearer })
      expect(decodeSummaries(all.body).length).toBeLessThanOrEqual(50)
    }))

  it.effect("CSV import and export round-trip quoting, NULLs and empty strings", () =>
    Effect.gen(function*() {
      const created = yield* createDataSet("RoundTrip")
      const csv = [
        "plain,1,1.50,0.25,2024-01-31,2024-01-31T10:11:12",
        "\"with, comma\",-2,10.000,1e3,2024-02-29,2024-02-29 23:59:59",
        "\"quote \"\"inside\"\"\",,,,,",
        "\"\",3,0.1,2,2020-01-01,2020-01-01T00:00:00Z",
        "\"multi\nline\",4,2,2.5,2020-01-02,2020-01-02T01:00:00+01:00"
      ].join("\n") + "\n"
      const imported = yield* call("PUT", `/v1/datasets/${created.id}/data`, { text: csv })
      expect(imported.status).toBe(204)
      const exported = yield* call("GET", `/v1/datasets/${created.id}/data?includeHeader=true&fileName=rt.csv`, {
        accept: "text/csv"
      })
      expect(exported.status).toBe(200)
      expect(exported.headers["content-type"]).toContain("text/csv")
      expect(exported.headers["content-disposition"]).toBe("attachment; filename=rt.csv")
      expect(yield* exported.text).toBe(
        "Name,Count,Price,Ratio,Day,At\n" +
          "plain,1,1.50,0.25,2024-01-31,2024-01-31T10:11:12\n" +
          "\"with, comma\",-2,10.000,1000,2024-02-29,2024-02-29T23:59:59\n" +
          "\"quote \"\"inside\"\"\",,,,,\n" +
          "\"\",3,0.1,2,2020-01-01,2020-01-01T00:00:00\n" +
          "\"multi\nline\",4,2,2.5,2020-01-02,2020-01-02T00:00:00\n"
      )
      const got = decodeDataSet((yield* callJson("GET", `/v1/datasets/${created.id}`)).body)
      expect(got).toMatchObject({ rows: 5, columns: 6 })
      const append = yield* call("PUT", `/v1/datasets/${created.id}/data?updateMethod=APPEND`, {
        text: "appended,5,5,5,2021-01-01,2021-01-01T00:00:00\n"
      })
      expect(append.status).toBe(204)
      expect(decodeDataSet((yield* callJson("GET", `/v1/datasets/${created.id}`)).body).rows).toBe(6)
      const fallback = yield* call("PUT", `/v1/datasets/${created.id}/data?updateMethod=append`, {
        text: "only,1,1,1,2021-01-01,2021-01-01T00:00:00\n"
      })
      expect(fallback.status).toBe(204)
      const noHeader = yield* call("GET", `/v1/datasets/${created.id}/data`, { accept: "text/csv" })
      expect(yield* noHeader.text).toBe("only,1,1,1,2021-01-01,2021-01-01T00:00:00\n")
      yield* call("PUT", `/v1/datasets/${created.id}/data`, {
        text: "=SUM(A1),-1,-1,1,2021-01-01,2021-01-01T00:00:00\n"
      })
      const escaped = yield* call("GET", `/v1/datasets/${created.id}/data?disableFormulaInterpretation=true`, {
        accept: "text/csv"
      })
      expect(yield* escaped.text).toBe("'=SUM(A1),-1,-1,1,2021-01-01,2021-01-01T00:00:00\n")
    }))

  it.effect("an export in progress is a snapshot: a REPLACE meanwhile does not cut it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const created = yield* createDataSet("Snapshot", {
        name: "Snapshot",
        schema: { columns: [{ type: "LONG", name: "n" }, { type: "STRING", name: "pad" }] }
      })
      // about 16 MB: more than the socket buffers hold, so the export is still running below
      const pad = "x".repeat(200)
      const rows = Array.from({ length: 80_000 }, (_, i) => `${i + 1},${pad}\n`).join("")
      expect((yield* call("PUT", `/v1/datasets/${created.id}/data`, { text: rows })).status).toBe(204)
      const response = yield* call("GET", `/v1/datasets/${created.id}/data`, { accept: "text/csv" })
      const decoder = new TextDecoder()
      let text = ""
      let replaced = false
      yield* Stream.runForEach(response.stream, (chunk) =>
        Effect.gen(function*() {
          text += decoder.decode(chunk, { stream: true })
          if (!replaced) {
            replaced = true
            expect((yield* call("PUT", `/v1/datasets/${created.id}/data`, { text: "7,x\n" })).status).toBe(204)
          }
        }))
      expect(text).toBe(rows)
      const after = yield* call("GET", `/v1/datasets/${created.id}/data`, { accept: "text/csv" })
      expect(yield* after.text).toBe("7,x\n")
      const tables = yield* emulator.sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master
        WHERE type = 'table' AND name LIKE ${`ds_${created.id.replace(/-/g, "")}%`}`
      expect(tables[0]!.n).toBe(1)
    }))

  it.effect("a bad CSV is a 400 naming row and column, and nothing is stored", () =>
    Effect.gen(function*() {
      const created = yield* createDataSet("Strict", {
        name: "Strict",
        schema: { columns: schema.columns.slice(0, 2) }
      })
      yield* call("PUT", `/v1/datasets/${created.id}/data`, { text: "keep,1\n" })
      const tooMany = yield* callJson("PUT", `/v1/datasets/${created.id}/data`, { text: "a,1,extra\n" })
      expect(tooMany.status).toBe(400)
      expect(tooMany.body).toMatchObject({
        status: 400,
        message: "Invalid CSV provided during upload. msg=There are too many columns. Expected 2. Row 1, column 3."
      })
      const badLong = yield* callJson("PUT", `/v1/datasets/${created.id}/data`, { text: "a,1\nb,two\n" })
      expect(badLong.status).toBe(400)
      expect(String((badLong.body as { message: string }).message)).toContain("Row 2, column 2.")
      const badQuote = yield* callJson("PUT", `/v1/datasets/${created.id}/data?updateMethod=APPEND`, {
        text: "a\"b,1\n"
      })
      expect(badQuote.status).toBe(400)
      const wrongType = yield* callJson("PUT", `/v1/datasets/${created.id}/data`, {
        text: "[\"a\",1]",
        contentType: "application/json"
      })
      expect(wrongType.status).toBe(415)
      const exported = yield* call("GET", `/v1/datasets/${created.id}/data`, { accept: "text/csv" })
      expect(yield* exported.text).toBe("keep,1\n")
      expect(decodeDataSet((yield* callJson("GET", `/v1/datasets/${created.id}`)).body).rows).toBe(1)
    }))

  it.effect("SQL query answers Domo's shape with typed values", () =>
    Effect.gen(function*() {
      const created = yield* createDataSet("Queried")
      yield* call("PUT", `/v1/datasets/${created.id}/data`, {
        text: "a,1,1.50,0.5,2024-01-01,2024-01-01T10:00:00\nb,2,2.25,1.5,2024-01-02,2024-01-02T11:00:00\nc,,,,,\n"
      })
      const res = yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
        json: { sql: "SELECT * FROM table" }
      })
      expect(res.status).toBe(200)
      const result = decodeQuery(res.body)
      expect(result.columns).toEqual(["Name", "Count", "Price", "Ratio", "Day", "At"])
      expect(result.metadata.map((m) => m.type)).toEqual(["STRING", "LONG", "DECIMAL", "DOUBLE", "DATE", "DATETIME"])
      expect(result.rows[0]).toEqual(["a", 1, 1.5, 0.5, "2024-01-01", "2024-01-01T10:00:00"])
      expect(result.rows[2]).toEqual(["c", null, null, null, null, null])
      expect(result).toMatchObject({ numRows: 3, numColumns: 6, datasource: created.id })
      expect(Object.keys(res.body as object)).toContain("fromcache")
      const agg = decodeQuery(
        (yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
          json: { sql: "select Name, SUM(Count) AS total from `table` where Count > 1 group by Name" }
        })).body
      )
      expect(agg.rows).toEqual([["b", 2]])
      expect(agg.metadata.map((m) => m.type)).toEqual(["STRING", "LONG"])
      const decimals = decodeQuery(
        (yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
          json: { sql: "SELECT Name, Price FROM table WHERE Price > 2 AND Price < 10" }
        })).body
      )
      expect(decimals.rows).toEqual([["b", 2.25]])
      expect(decimals.metadata.map((m) => m.type)).toEqual(["STRING", "DECIMAL"])
      const empty = decodeQuery(
        (yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
          json: { sql: "SELECT Name FROM table WHERE 1 = 0" }
        })).body
      )
      expect(empty).toMatchObject({ columns: ["Name"], rows: [], numRows: 0 })
      const bad = yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
        json: { sql: "SELEC nothing" }
      })
      expect(bad.status).toBe(400)
      const write = yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
        json: { sql: "DELETE FROM table" }
      })
      expect(write.status).toBe(400)
      expect(
        decodeQuery(
          (yield* callJson("POST", `/v1/datasets/query/execute/${created.id}`, {
            json: { sql: "SELECT COUNT(*) FROM table" }
          })).body
        ).rows
      ).toEqual([[3]])
    }))

  it.effect("PDP policies: create 201, list, get, update, delete 204, validation", () =>
    Effect.gen(function*() {
      const created = yield* createDataSet("Secured")
      const policy = yield* callJson("POST", `/v1/datasets/${created.id}/policies`, {
        json: { name: "Only A", filters: [{ column: "Name", values: ["a"], operator: "EQUALS" }], users: [27] }
      })
      expect(policy.status).toBe(201)
      const p = Schema.decodeUnknownSync(DataSetModels.Policy)(policy.body)
      expect(p).toMatchObject({ type: "user", name: "Only A", users: [27], groups: [] })
      expect(p.filters[0]).toEqual({ column: "Name", values: ["a"], operator: "EQUALS", not: false })
      const listed = yield* callJson("GET", `/v1/datasets/${created.id}/policies`)
      expect((listed.body as Array<{ name: string }>).map((x) => x.name)).toEqual(["All Rows", "Only A"])
      const updated = yield* callJson("PUT", `/v1/datasets/${created.id}/policies/${p.id}`, { json: { groups: [4] } })
      expect(updated.status).toBe(200)
      expect(updated.body).toMatchObject({ id: p.id, name: "Only A", groups: [4] })
      const badColumn = yield* callJson("POST", `/v1/datasets/${created.id}/policies`, {
        json: { name: "x", filters: [{ column: "Nope", values: ["a"], operator: "EQUALS" }] }
      })
      expect(badColumn.status).toBe(400)
      const badOperator = yield* callJson("POST", `/v1/datasets/${created.id}/policies`, {
        json: { name: "x", filters: [{ column: "Name", values: ["a"], operator: "SOUNDS_LIKE" }] }
      })
      expect(badOperator.status).toBe(400)
      const tooLong = yield* callJson("POST", `/v1/datasets/${created.id}/policies`, {
        json: { name: "x", filters: [{ column: "Name", values: ["x".repeat(300)], operator: "EQUALS" }] }
      })
      expect(tooLong.status).toBe(400)
      expect((yield* call("DELETE", `/v1/datasets/${created.id}/policies/${p.id}`)).status).toBe(204)
      expect((yield* callJson("GET", `/v1/datasets/${created.id}/policies/${p.id}`)).status).toBe(404)
    }))

  it.effect("a token without the data scope gets 403", () =>
    Effect.gen(function*() {
      const userOnly = yield* token("user")
      const res = yield* callJson("GET", "/v1/datasets", { token: userOnly })
      expect(res.status).toBe(403)
      expect(res.body).toMatchObject({ status: 403, statusReason: "Forbidden" })
    }))
})
