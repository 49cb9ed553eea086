import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { loadCsv } from "../src/internal/csvLoad.js"
import { createTable } from "../src/internal/tables.js"

const columns = [{ type: "STRING", name: "Name" }, { type: "LONG", name: "Age" }] as const
const bytes = (text: string) => new TextEncoder().encode(text)

layer(SqliteClient.layer({ filename: ":memory:" }))("loadCsv", (it) => {
  it.effect("a body chunk holding only part of a character does not end the body early", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* createTable("split", columns)
      // "é" is C3 A9 in UTF-8: each byte in a chunk of its own decodes to "" at first
      const body = Stream.make(bytes("x,1\nab"), new Uint8Array([0xC3]), new Uint8Array([0xA9]), bytes(",2\n"))
      const { rows } = yield* loadCsv("split", columns, body, [])
      expect(rows).toBe(2)
      const stored = yield* sql<{ Name: string; Age: number }>`SELECT Name, Age FROM split ORDER BY rowid`
      expect(stored.map((r) => [r.Name, r.Age])).toEqual([["x", 1], ["abé", 2]])
    }))

  it.effect("a last row without a line break is read; an empty body loads nothing", () =>
    Effect.gen(function*() {
      yield* createTable("tail", columns)
      expect(yield* loadCsv("tail", columns, Stream.make(bytes("x,1\ny,"), bytes("2")), [])).toEqual({ rows: 2 })
      yield* createTable("empty", columns)
      expect(yield* loadCsv("empty", columns, Stream.make(new Uint8Array(0)), [])).toEqual({ rows: 0 })
    }))
})
