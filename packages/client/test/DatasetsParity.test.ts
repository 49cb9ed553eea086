import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Datasets, layer as datasetsLayer, layerTest } from "../src/Datasets.js"
import * as Domo from "../src/Domo.js"
import * as DomoTable from "../src/DomoTable.js"
import { configFor } from "./utils/families.js"

// The same scenarios against the emulator (over HTTP) and the in-memory layer: same results,
// same typed errors.
const emulatorLayer = datasetsLayer.pipe(
  Layer.provideMerge(Domo.layer),
  Layer.provide(configFor()),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provide(Emulator.layer({ seed: 9 }))
)

const Orders = DomoTable.make("Orders", {
  item: DomoTable.string,
  qty: DomoTable.long,
  price: DomoTable.decimal,
  day: DomoTable.date,
  at: DomoTable.datetime,
  note: DomoTable.nullable(DomoTable.string)
})
type Order = DomoTable.Row<typeof Orders>
const order = (i: number): Order => ({
  item: i % 5 === 0 ? `item "${i}", boxed` : `item ${i}`,
  qty: i,
  price: BigDecimal.unsafeFromString(`${i}.05`),
  day: new Date(Date.UTC(2024, 1, 1 + (i % 28))),
  at: new Date(Date.UTC(2024, 1, 1, 8, i % 60, 0)),
  note: i % 2 === 0 ? null : ""
})

const text = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Stream.runFold(stream, "", (acc, bytes) => acc + new TextDecoder().decode(bytes))

const missing = "00000000-0000-4000-8000-0000000fffff"

for (const [name, implementation] of [["emulator", emulatorLayer], ["in-memory layerTest", layerTest]] as const) {
  describe(`Datasets behaviour: ${name}`, () => {
    layer(implementation, { timeout: 60_000 })((it) => {
      it.effect("CRUD; an unknown id is NotFoundError everywhere", () =>
        Effect.gen(function*() {
          const datasets = yield* Datasets
          const created = yield* datasets.create({
            name: "Parity",
            schema: { columns: [{ type: "STRING", name: "a" }] }
          })
          expect(yield* datasets.get(created.id)).toMatchObject({ name: "Parity", rows: 0, pdpEnabled: false })
          expect(yield* datasets.update(created.id, { description: "d" })).toMatchObject({ description: "d" })
          yield* datasets.delete(created.id)
          for (
            const call of [
              datasets.get(missing),
              datasets.update(missing, { name: "x" }),
              datasets.delete(missing),
              datasets.importCsv(missing, "a\n"),
              Stream.runDrain(datasets.exportCsv(missing)),
              datasets.query(missing, "SELECT * FROM table"),
              datasets.listPolicies(missing)
            ]
          ) {
            expect((yield* Effect.flip(call))._tag).toBe("NotFoundError")
          }
        }))

      it.effect("list pages through 120 datasets with nameLike and sort", () =>
        Effect.gen(function*() {
          const datasets = yield* Datasets
          for (let i = 0; i < 120; i++) {
            yield* datasets.create({
              name: `Many ${String(i).padStart(3, "0")}`,
              schema: { columns: [{ type: "STRING", name: "a" }] }
            })
          }
          const names = Chunk.toReadonlyArray(
            yield* Stream.runCollect(datasets.list({ nameLike: "many ", sort: "name" }))
          ).map((d) => d.name)
          expect(names).toHaveLength(120)
          expect(names[0]).toBe("Many 000")
          expect(names[119]).toBe("Many 119")
          const page = yield* Stream.runCollect(datasets.list({ nameLike: "MANY", offset: 100, sort: "name" }))
          expect(Chunk.size(page)).toBe(20)
        }))

      it.effect("typed rows round trip; CSV with and without header; APPEND; SELECT *", () =>
        Effect.gen(function*() {
          const datasets = yield* Datasets
          const ds = yield* datasets.createFromTable(Orders)
          const rows = Array.from({ length: 40 }, (_, i) => order(i))
          yield* datasets.importRows(Orders, ds.id, rows)
          expect(Chunk.toReadonlyArray(yield* Stream.runCollect(datasets.exportRows(Orders, ds.id)))).toEqual(rows)
          const csv = yield* text(datasets.exportCsv(ds.id, { includeHeader: true }))
          expect(csv.split("\n")[0]).toBe("item,qty,price,day,at,note")
          // DATETIME text: `T` from the emulator, a space from the in-memory layer (both read back alike)
          expect(csv.split("\n")[1]).toMatch(/^"item ""0"", boxed",0,0.05,2024-02-01,2024-02-01[T ]08:00:00,$/)
          yield* datasets.importRows(Orders, ds.id, [order(40)], { updateMethod: "APPEND" })
          expect((yield* datasets.get(ds.id)).rows).toBe(41)
          expect(yield* datasets.queryRows(Orders, ds.id, "SELECT * FROM table LIMIT 3")).toEqual(rows.slice(0, 3))
        }))

      it.effect("bad input: typed errors, nothing half-imported", () =>
        Effect.gen(function*() {
          const datasets = yield* Datasets
          const ds = yield* datasets.createFromTable(Orders)
          yield* datasets.importRows(Orders, ds.id, [order(1)])
          const broken = yield* Effect.flip(datasets.importCsv(ds.id, "a,1,1.0,2024-01-01,2024-01-01 00:00:00,\n\"b"))
          expect(broken._tag).toBe("BadRequestError")
          const wrongType = yield* Effect.flip(
            datasets.importCsv(ds.id, "a,x,1.0,2024-01-01,2024-01-01 00:00:00,\n", { updateMethod: "APPEND" })
          )
          expect(wrongType._tag).toBe("BadRequestError")
          const badRow = yield* Effect.flip(datasets.importRows(Orders, ds.id, [order(2), { ...order(3), qty: 1.5 }]))
          expect(badRow).toMatchObject({ _tag: "CsvEncodeError", row: 2, column: "qty" })
          const Other = DomoTable.make("Other", { item: DomoTable.string })
          const mismatch = yield* Effect.flip(datasets.importRows(Other, ds.id, [{ item: "x" }]))
          expect(mismatch._tag).toBe("SchemaMismatch")
          expect(Chunk.toReadonlyArray(yield* Stream.runCollect(datasets.exportRows(Orders, ds.id)))).toEqual([
            order(1)
          ])
        }))

      it.effect("PDP policies and the Simple API", () =>
        Effect.gen(function*() {
          const datasets = yield* Datasets
          const ds = yield* datasets.createFromTable(Orders)
          const created = yield* datasets.createPolicy(ds.id, {
            name: "Big orders",
            filters: [{ column: "qty", values: ["10"], operator: "GREATER_THAN", not: false }]
          })
          expect(created).toMatchObject({ name: "Big orders", type: "user", users: [], groups: [] })
          expect((yield* datasets.updatePolicy(ds.id, created.id, { name: "Renamed" })).name).toBe("Renamed")
          expect((yield* datasets.listPolicies(ds.id)).map((p) => p.name)).toContain("Renamed")
          yield* datasets.deletePolicy(ds.id, created.id)
          expect((yield* Effect.flip(datasets.getPolicy(ds.id, created.id)))._tag).toBe("NotFoundError")
          const unknownColumn = yield* Effect.flip(datasets.createPolicy(ds.id, {
            name: "Bad",
            filters: [{ column: "nope", values: ["1"], operator: "EQUALS", not: false }]
          }))
          expect(unknownColumn._tag).toBe("BadRequestError")

          const simple = yield* datasets.createJson({ name: "Simple" })
          yield* datasets.importJson(simple.id, [{ name: "Leia", age: 19 }, { name: "Han", age: 32 }])
          const fetched = yield* datasets.get(simple.id)
          expect(fetched.rows).toBe(2)
          expect(fetched.schema?.columns).toEqual([{ type: "STRING", name: "name" }, { type: "LONG", name: "age" }])
          expect(yield* text(datasets.exportCsv(simple.id))).toBe("Leia,19\nHan,32\n")
        }))
    })
  })
}
