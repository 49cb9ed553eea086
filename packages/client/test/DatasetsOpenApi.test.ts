import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import * as DataSetModels from "../src/DataSetModels.js"
import * as DomoTable from "../src/DomoTable.js"

// Domo's own OpenAPI file (vendored by the emulator's tests): every example the DataSet API
// documents goes through what `Datasets` decodes it with, and the CSV / query examples through
// DomoTable.
type Json = Record<string, unknown>
const spec = parse(
  readFileSync(new URL("../../emulator/test/fixtures/domo-openapi/DataSet-API.yaml", import.meta.url), "utf8")
) as Json

const content = (path: string, method: string, status: number, type: string): Json => {
  const paths = spec.paths as Record<string, Record<string, Json>>
  const responses = paths[path][method].responses as Record<string, Json>
  return (responses[String(status)].content as Json)[type] as Json
}
const examples = (c: Json): Array<unknown> =>
  Object.values((c.examples ?? {}) as Record<string, { value: unknown }>).map((e) => e.value)

describe("DataSet API examples (Domo's OpenAPI)", () => {
  it("every JSON response example decodes with the schema Datasets uses", () => {
    const cases = [
      ["/v1/datasets/{dataset_id}", "get", 200, DataSetModels.DataSet],
      ["/v1/datasets/{dataset_id}", "put", 200, DataSetModels.DataSet],
      ["/v1/datasets", "post", 201, DataSetModels.DataSet],
      ["/v1/datasets", "get", 200, Schema.Array(DataSetModels.DataSetSummary)],
      ["/v1/datasets/query/execute/{dataset_id}", "post", 200, DataSetModels.QueryResult],
      ["/v1/datasets/{dataset_id}/policies/{pdp_id}", "get", 200, DataSetModels.Policy],
      ["/v1/datasets/{dataset_id}/policies", "post", 201, DataSetModels.Policy],
      ["/v1/datasets/{dataset_id}/policies", "get", 200, Schema.Array(DataSetModels.Policy)]
    ] as const
    let decoded = 0
    for (const [path, method, status, schema] of cases) {
      for (const example of examples(content(path, method, status, "application/json"))) {
        expect(Either.isRight(Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>)(example))).toBe(
          true
        )
        decoded++
      }
    }
    expect(decoded).toBeGreaterThanOrEqual(cases.length)
  })

  it("the export example decodes with a table inferred from its header; empty fields are nulls", () => {
    const [csv] = examples(content("/v1/datasets/{dataset_id}/data", "get", 200, "text/csv")) as Array<string>
    const table = Either.getOrThrow(DomoTable.fromDomoSchema("Export", {
      columns: ["name", "role", "quote", "side"].map((name) => ({ type: "STRING", name }))
    }))
    const rows = Either.getOrThrow(DomoTable.parseCsv(table, csv, { header: true }))
    expect(rows).toHaveLength(3)
    expect(rows[0].quote).toBe("Help me, Obi-Wan Kenobi. You're my only hope.")
    expect(rows[1]).toEqual({ name: "Qui-Gon Jinn", role: null, quote: null, side: null })
  })

  it("the query example decodes into typed rows by its metadata types", () => {
    const [result] = examples(content("/v1/datasets/query/execute/{dataset_id}", "post", 200, "application/json"))
    const decoded = Schema.decodeUnknownSync(DataSetModels.QueryResult)(result)
    const table = Either.getOrThrow(DomoTable.fromDomoSchema("Query", {
      columns: decoded.columns.map((name, i) => ({ name, type: decoded.metadata[i]?.type ?? "STRING" }))
    }))
    const rows = Either.getOrThrow(DomoTable.decodeQueryRows(table, decoded))
    expect(rows).toHaveLength(decoded.numRows)
    for (const row of rows) {
      for (const [i, name] of decoded.columns.entries()) {
        const type = decoded.metadata[i]?.type
        const value = row[name]
        if (value === null) continue
        if (type === "DATETIME") expect(value).toBeInstanceOf(Date)
        if (type === "LONG" || type === "DOUBLE") expect(typeof value).toBe("number")
        if (type === "STRING") expect(typeof value).toBe("string")
      }
    }
  })
})
