import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Datasets, layer as datasetsLayer } from "../src/Datasets.js"
import * as Domo from "../src/Domo.js"
import * as DomoTable from "../src/DomoTable.js"
import { configFor, routeCount } from "./utils/families.js"

const testLayer = datasetsLayer.pipe(
  Layer.provideMerge(Domo.layer),
  Layer.provide(configFor()),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provideMerge(Emulator.layer({ seed: 5 }))
)

const Friends = DomoTable.make("Friends", {
  name: DomoTable.string,
  visits: DomoTable.long,
  spent: DomoTable.decimal,
  ratio: DomoTable.double,
  since: DomoTable.date,
  seen: DomoTable.datetime,
  note: DomoTable.nullable(DomoTable.string)
})
type Friend = DomoTable.Row<typeof Friends>

const friend = (i: number): Friend => ({
  name: i % 7 === 0 ? `Friend, "${i}"\nsecond line` : `Friend ${i}`,
  visits: i * 3,
  spent: BigDecimal.unsafeFromString(`${i}.${String(i % 100).padStart(2, "0")}`),
  ratio: i / 8,
  since: new Date(Date.UTC(2020, 0, 1 + (i % 365))),
  seen: new Date(Date.UTC(2024, 5, 1, i % 24, i % 60, i % 60)),
  note: i % 3 === 0 ? null : i % 3 === 1 ? "" : `note ${i}`
})

const text = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Stream.runFold(stream, "", (acc, bytes) => acc + new TextDecoder().decode(bytes))

let counter = 0
const unique = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`

describe("Datasets against the emulator", () => {
  layer(testLayer, { timeout: 120_000 })((it) => {
    it.effect("create, get, update, delete: every answer decoded; unknown ids are NotFoundError", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const created = yield* datasets.create({
          name: "Leia",
          description: "rebels",
          schema: { columns: [{ type: "STRING", name: "name" }, { type: "LONG", name: "n" }] }
        })
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
        expect(created.schema?.columns).toHaveLength(2)
        const fetched = yield* datasets.get(created.id)
        expect(fetched).toMatchObject({ id: created.id, name: "Leia", description: "rebels", pdpEnabled: false })
        const updated = yield* datasets.update(created.id, { name: "Leia Organa", pdpEnabled: true })
        expect(updated).toMatchObject({ name: "Leia Organa", pdpEnabled: true })
        yield* datasets.delete(created.id)
        expect((yield* datasets.get(created.id)).deleted).toBe(true)

        const missing = "00000000-0000-4000-8000-000000000000"
        expect((yield* Effect.flip(datasets.get(missing)))._tag).toBe("NotFoundError")
        expect((yield* Effect.flip(datasets.importCsv(missing, "a\n")))._tag).toBe("NotFoundError")
        expect((yield* Effect.flip(Stream.runDrain(datasets.exportCsv(missing))))._tag).toBe("NotFoundError")
        const empty = yield* Effect.flip(datasets.get(" "))
        expect(empty).toMatchObject({ _tag: "BadRequestError" })
      }))

    it.effect("list: 120 datasets over 3 lazy pages of 50, nameLike and sort", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const prefix = unique("paged")
        for (let i = 0; i < 120; i++) {
          yield* datasets.create({
            name: `${prefix} ${String(i).padStart(3, "0")}`,
            schema: { columns: [{ type: "STRING", name: "x" }] }
          })
        }
        const before = yield* routeCount("GET /v1/datasets")
        const all = Chunk.toReadonlyArray(
          yield* Stream.runCollect(datasets.list({ nameLike: prefix.toUpperCase(), sort: "name" }))
        )
        expect(all).toHaveLength(120)
        expect(all.map((d) => d.name)).toEqual(all.map((d) => d.name).sort())
        expect((yield* routeCount("GET /v1/datasets")) - before).toBe(3)

        const lazy = yield* routeCount("GET /v1/datasets")
        const first = yield* Stream.runCollect(Stream.take(datasets.list({ nameLike: prefix, pageSize: 10 }), 5))
        expect(Chunk.size(first)).toBe(5)
        expect((yield* routeCount("GET /v1/datasets")) - lazy).toBe(1)

        const descending = yield* Stream.runCollect(
          Stream.take(datasets.list({ nameLike: prefix, sort: "nameDescending", pageSize: 500 }), 1)
        )
        expect(Chunk.unsafeHead(descending).name).toBe(`${prefix} 119`)
      }))

    it.effect("CSV import (string, bytes, stream; REPLACE and APPEND) and export (with and without header)", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.create({
          name: unique("csv"),
          schema: { columns: [{ type: "STRING", name: "name" }, { type: "LONG", name: "n" }] }
        })
        yield* datasets.importCsv(ds.id, "\"a,1\",1\nb,2\n")
        expect(yield* text(datasets.exportCsv(ds.id))).toBe("\"a,1\",1\nb,2\n")
        yield* datasets.importCsv(ds.id, new TextEncoder().encode("c,3\n"), { updateMethod: "APPEND" })
        const chunks = Stream.fromIterable(["d,", "4\ne", ",5\n"]).pipe(Stream.encodeText)
        yield* datasets.importCsv(ds.id, chunks, { updateMethod: "APPEND" })
        expect(yield* text(datasets.exportCsv(ds.id, { includeHeader: true, fileName: "x.csv" }))).toBe(
          "name,n\n\"a,1\",1\nb,2\nc,3\nd,4\ne,5\n"
        )
        yield* datasets.importCsv(ds.id, "z,26\n")
        expect(yield* text(datasets.exportCsv(ds.id))).toBe("z,26\n")
        expect((yield* datasets.get(ds.id)).rows).toBe(1)
      }))

    it.effect("bad CSV is Domo's typed 400 and the previous data stays", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.create({
          name: unique("bad"),
          schema: { columns: [{ type: "STRING", name: "name" }, { type: "LONG", name: "n" }] }
        })
        yield* datasets.importCsv(ds.id, "keep,1\n")
        const broken = yield* Effect.flip(datasets.importCsv(ds.id, "x,1\n\"broken,2\n"))
        expect(broken._tag).toBe("BadRequestError")
        const range = yield* Effect.flip(datasets.importCsv(ds.id, "x,notanumber\n", { updateMethod: "APPEND" }))
        expect(range._tag).toBe("BadRequestError")
        expect(yield* text(datasets.exportCsv(ds.id))).toBe("keep,1\n")
      }))

    it.effect("typed: createFromTable, importRows, exportRows and queryRows give the same rows back", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.createFromTable(Friends, { name: unique("friends") })
        expect(ds.schema).toEqual(Friends.domoSchema)
        const rows = Array.from({ length: 500 }, (_, i) => friend(i))
        yield* datasets.importRows(Friends, ds.id, rows)
        const back = Chunk.toReadonlyArray(yield* Stream.runCollect(datasets.exportRows(Friends, ds.id)))
        expect(back).toEqual(rows)

        const queried = yield* datasets.queryRows(Friends, ds.id, "SELECT * FROM table WHERE visits < 30")
        expect(queried).toEqual(rows.slice(0, 10))
        const raw = yield* datasets.query(ds.id, "SELECT name, visits FROM table WHERE visits = 3")
        expect(raw).toMatchObject({ columns: ["name", "visits"], rows: [["Friend 1", 3]], numRows: 1 })

        // APPEND from a stream of rows
        yield* datasets.importRows(Friends, ds.id, Stream.make(friend(1000)), { updateMethod: "APPEND" })
        expect((yield* datasets.get(ds.id)).rows).toBe(501)

        // untyped: a table inferred from the live schema
        const inferred = yield* datasets.table(ds.id)
        const first = yield* Stream.runHead(datasets.exportRows(inferred, ds.id))
        expect(first._tag === "Some" && first.value).toMatchObject({ name: "Friend, \"0\"\nsecond line", visits: 0 })
      }))

    it.effect("a table that does not match the live schema: SchemaMismatch, nothing sent", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.createFromTable(Friends, { name: unique("mismatch") })
        const Wrong = DomoTable.make("Wrong", { name: DomoTable.string, visits: DomoTable.double })
        const puts = yield* routeCount("PUT /v1/datasets/:id/data")
        const error = yield* Effect.flip(datasets.importRows(Wrong, ds.id, [{ name: "x", visits: 1.5 }]))
        expect(error._tag).toBe("SchemaMismatch")
        expect(error._tag === "SchemaMismatch" && error.differences).toContain(
          "column 2 is \"visits\" DOUBLE in the table, \"visits\" LONG in the dataset"
        )
        expect(yield* routeCount("PUT /v1/datasets/:id/data")).toBe(puts)
        const exported = yield* Effect.flip(Stream.runDrain(datasets.exportRows(Wrong, ds.id)))
        expect(exported._tag).toBe("SchemaMismatch")
      }))

    it.effect("a row that cannot be encoded aborts the upload: CsvEncodeError, previous data kept", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.createFromTable(Friends, { name: unique("abort") })
        yield* datasets.importRows(Friends, ds.id, [friend(1)])
        // enough rows that the upload is under way when the bad one comes
        const rows = Stream.range(0, 50_000).pipe(
          Stream.map((i) => (i === 40_000 ? { ...friend(i), visits: 0.5 } : friend(i)))
        )
        const error = yield* Effect.flip(datasets.importRows(Friends, ds.id, rows))
        expect(error).toMatchObject({ _tag: "CsvEncodeError", row: 40_001, column: "visits", value: "0.5" })
        const kept = Chunk.toReadonlyArray(yield* Stream.runCollect(datasets.exportRows(Friends, ds.id)))
        expect(kept).toEqual([friend(1)])
      }))

    it.effect("a value the table cannot hold is a CsvDecodeError naming row, column and value", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const Longs = DomoTable.make("Longs", { n: DomoTable.long })
        const ds = yield* datasets.createFromTable(Longs, { name: unique("longs") })
        // 2^53: not a safe integer, exact in a double (the emulator exports LONGs via doubles today)
        yield* datasets.importCsv(ds.id, "1\n9007199254740992\n")
        const error = yield* Effect.flip(Stream.runDrain(datasets.exportRows(Longs, ds.id)))
        expect(error).toMatchObject({ _tag: "CsvDecodeError", row: 2, column: "n", value: "9007199254740992" })
        const Bigs = DomoTable.make("Longs", { n: DomoTable.bigint })
        const bigs = Chunk.toReadonlyArray(yield* Stream.runCollect(datasets.exportRows(Bigs, ds.id)))
        expect(bigs).toEqual([{ n: 1n }, { n: 9007199254740992n }])
      }))

    it.effect("PDP policies: create, list, get, update, delete", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.createFromTable(Friends, { name: unique("pdp") })
        const emulator = yield* Emulator.Emulator
        const created = yield* datasets.createPolicy(ds.id, {
          name: "Only friends",
          filters: [{ column: "name", values: ["Friend 1"], operator: "EQUALS", not: false }],
          users: [emulator.userId]
        })
        expect(created).toMatchObject({ name: "Only friends", type: "user", users: [emulator.userId], groups: [] })
        const listed = yield* datasets.listPolicies(ds.id)
        expect(listed.map((p) => p.id)).toContain(created.id)
        expect(yield* datasets.getPolicy(ds.id, created.id)).toEqual(created)
        const updated = yield* datasets.updatePolicy(ds.id, created.id, { name: "Renamed" })
        expect(updated).toMatchObject({ id: created.id, name: "Renamed" })
        yield* datasets.deletePolicy(ds.id, created.id)
        expect((yield* Effect.flip(datasets.getPolicy(ds.id, created.id)))._tag).toBe("NotFoundError")
        expect((yield* Effect.flip(datasets.getPolicy(ds.id, -1)))._tag).toBe("BadRequestError")
      }))

    it.effect("Simple API: create without a schema, import JSON rows", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets
        const ds = yield* datasets.createJson({ name: unique("simple"), description: "json" })
        expect(ds.pdpEnabled).toBe(false)
        yield* datasets.importJson(ds.id, [{ name: "Leia", age: 19 }, { name: "Han", age: 32 }])
        const fetched = yield* datasets.get(ds.id)
        expect(fetched.rows).toBe(2)
        expect(fetched.schema?.columns.map((c) => c.name)).toEqual(["name", "age"])
        const empty = yield* Effect.flip(datasets.importJson(ds.id, []))
        expect(empty._tag).toBe("BadRequestError")
      }))
  })
})
