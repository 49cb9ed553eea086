import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { call, callJson, testLayer } from "./helpers.js"

layer(testLayer())("LONG values beyond 2^53", (it) => {
  it.effect("round-trip exactly through import and export (SQLite keeps 64-bit integers)", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/datasets", {
        json: { name: "big", schema: { columns: [{ type: "LONG", name: "n" }, { type: "STRING", name: "s" }] } }
      })
      const id = (created.body as { id: string }).id
      const csv = "9007199254740993,a\n-9223372036854775808,b\n9223372036854775807,c\n42,d\n,e\n"
      const imported = yield* call("PUT", `/v1/datasets/${id}/data`, { text: csv, contentType: "text/csv" })
      expect(imported.status).toBe(204)
      const exported = yield* call("GET", `/v1/datasets/${id}/data`)
      expect(yield* exported.text).toBe(csv)
    }))
})
