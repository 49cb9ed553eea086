import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import fc from "fast-check"
import * as DomoTable from "../src/DomoTable.js"

const Sales = DomoTable.make("Sales", {
  region: DomoTable.string,
  units: DomoTable.long,
  big: DomoTable.bigint,
  ratio: DomoTable.double,
  price: DomoTable.decimal,
  day: DomoTable.date,
  at: DomoTable.datetime,
  note: DomoTable.nullable(DomoTable.string),
  maybe: DomoTable.nullable(DomoTable.long)
})
type Sale = DomoTable.Row<typeof Sales>

const sale: Sale = {
  region: "North, \"East\"",
  units: 9007199254740991,
  big: 9223372036854775807n,
  ratio: 0.1,
  price: BigDecimal.unsafeFromString("12345678901234567890.000000000000000000001"),
  day: new Date("2024-02-29T00:00:00Z"),
  at: new Date("2024-03-10T23:59:58Z"),
  note: null,
  maybe: -3
}
const saleCsv = "\"North, \"\"East\"\"\",9007199254740991,9223372036854775807,0.1," +
  "12345678901234567890.000000000000000000001,2024-02-29,2024-03-10 23:59:58,,-3\n"

describe("DomoTable definition", () => {
  it("types flow from the column definitions", () => {
    expectTypeOf<Sale>().toEqualTypeOf<{
      readonly region: string
      readonly units: number
      readonly big: bigint
      readonly ratio: number
      readonly price: BigDecimal.BigDecimal
      readonly day: Date
      readonly at: Date
      readonly note: string | null
      readonly maybe: number | null
    }>()
  })

  it("gives Domo's column schema, in order", () => {
    expect(Sales.domoSchema).toEqual({
      columns: [
        { type: "STRING", name: "region" },
        { type: "LONG", name: "units" },
        { type: "LONG", name: "big" },
        { type: "DOUBLE", name: "ratio" },
        { type: "DECIMAL", name: "price" },
        { type: "DATE", name: "day" },
        { type: "DATETIME", name: "at" },
        { type: "STRING", name: "note" },
        { type: "LONG", name: "maybe" }
      ]
    })
    expect(Sales.columns.filter((c) => c.nullable).map((c) => c.name)).toEqual(["note", "maybe"])
    expect(JSON.parse(JSON.stringify(Sales))).toMatchObject({ _id: "DomoTable", name: "Sales" })
  })

  it("has a row Schema for values", () => {
    expect(Schema.is(Sales.schema)(sale)).toBe(true)
    expect(Schema.is(Sales.schema)({ ...sale, units: 1.5 })).toBe(false)
    expect(Schema.is(Sales.schema)({ ...sale, note: undefined })).toBe(false)
  })
})

describe("DomoTable CSV values", () => {
  it("encodes every type by Domo's rules, without float loss", () => {
    expect(DomoTable.formatCsv(Sales, [sale])).toEqual(Either.right(saleCsv))
  })

  it("decodes them back to the same values", () => {
    expect(DomoTable.parseCsv(Sales, saleCsv)).toEqual(Either.right([sale]))
  })

  it("reads DATETIME in the forms exports and query results use", () => {
    const T = DomoTable.make("T", { at: DomoTable.datetime })
    const read = (text: string) => Either.map(DomoTable.parseCsv(T, text + "\n"), (rows) => rows[0].at.toISOString())
    expect(read("2019-03-19T18:49:02")).toEqual(Either.right("2019-03-19T18:49:02.000Z"))
    expect(read("2019-03-19 18:49:02")).toEqual(Either.right("2019-03-19T18:49:02.000Z"))
    expect(read("2019-03-19T18:49:02.5Z")).toEqual(Either.right("2019-03-19T18:49:02.500Z"))
    expect(read("2019-03-19T18:49:02+02:00")).toEqual(Either.right("2019-03-19T16:49:02.000Z"))
    expect(read("2019-03-19T18:49")).toEqual(Either.right("2019-03-19T18:49:00.000Z"))
  })

  it("writes DATE as the UTC day and DATETIME in UTC, whole seconds", () => {
    const T = DomoTable.make("T", { day: DomoTable.date, at: DomoTable.datetime })
    const at = new Date("2020-01-01T23:30:00.999-02:00")
    expect(DomoTable.formatCsv(T, [{ day: at, at }])).toEqual(Either.right("2020-01-02,2020-01-02 01:30:00\n"))
  })

  it("writes decimals in plain notation", () => {
    const T = DomoTable.make("T", { d: DomoTable.decimal })
    const rows = ["1e-20", "-0.5", "1e21", "0", "100.10"].map((s) => ({ d: BigDecimal.unsafeFromString(s) }))
    expect(DomoTable.formatCsv(T, rows)).toEqual(
      Either.right("0.00000000000000000001\n-0.5\n1000000000000000000000\n0\n100.10\n")
    )
  })

  const decodeFailures: ReadonlyArray<readonly [string, string, string, string]> = [
    ["units", "12x", "expected an integer", "a non-integer LONG"],
    ["units", "9007199254740992", "safe-integer range", "a LONG beyond 2^53"],
    ["big", "9223372036854775808", "64-bit range", "a bigint LONG beyond int64"],
    ["ratio", "0x10", "expected a number", "a hex DOUBLE"],
    ["price", "1,5", "", "a DECIMAL with a comma"],
    ["day", "2023-02-29", "expected a date", "a DATE that does not exist"],
    ["at", "2024-01-01 24:00:00", "expected a date-time", "an hour 24"],
    ["units", "", "non-nullable", "a null LONG"],
    ["region", "", "non-nullable", "a null STRING"]
  ]
  for (const [column, value, reason, name] of decodeFailures) {
    it(`names row, column and value: ${name}`, () => {
      const fields = saleCsv.slice(0, -1)
      // Replace one field of the second row.
      const index = Sales.columns.findIndex((c) => c.name === column)
      const parts = DomoTable.formatCsv(Sales, [{ ...sale, region: "x" }])
      const cells = Either.getOrThrow(parts).slice(0, -1).split(",")
      cells[index] = value.includes(",") ? `"${value}"` : value
      const result = DomoTable.parseCsv(Sales, `${fields}\n${cells.join(",")}\n`)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left).toMatchObject({ _tag: "CsvDecodeError", table: "Sales", row: 2, column, value })
        expect(result.left.reason).toContain(reason)
        expect(result.left.message).toContain(`row 2, column "${column}"`)
      }
    })
  }

  const encodeFailures: ReadonlyArray<readonly [string, unknown, string]> = [
    ["units", 1.5, "safe integer"],
    ["units", 2 ** 53, "safe integer"],
    ["ratio", Number.NaN, "finite"],
    ["day", new Date(Number.NaN), "valid Date"],
    ["region", null, "non-nullable"],
    ["big", 2n ** 64n, "64-bit"]
  ]
  for (const [column, value, reason] of encodeFailures) {
    it(`refuses to encode a bad ${column}: ${String(value)}`, () => {
      const bad = { ...sale, [column]: value } as Sale
      const result = DomoTable.formatCsv(Sales, [sale, bad, sale])
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left).toMatchObject({ _tag: "CsvEncodeError", row: 2, column })
        expect(result.left.reason).toContain(reason)
      }
    })
  }

  it("stops an encoding stream at the bad row; earlier rows are emitted", () =>
    Effect.gen(function*() {
      const chunks: Array<Uint8Array> = []
      const result = yield* Stream.make(sale, sale, { ...sale, units: 0.5 }, sale).pipe(
        DomoTable.encodeCsv(Sales),
        Stream.runForEach((c) => Effect.sync(() => chunks.push(c))),
        Effect.flip
      )
      expect(result).toMatchObject({ _tag: "CsvEncodeError", row: 3, column: "units", value: "0.5" })
      expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe(saleCsv + saleCsv)
    }).pipe(Effect.runPromise))
})

describe("DomoTable header, inference, checks", () => {
  it("maps columns by the header, in any order", () => {
    const T = DomoTable.make("T", { a: DomoTable.long, b: DomoTable.string })
    expect(DomoTable.parseCsv(T, "b,a\nx,1\ny,2\n", { header: true })).toEqual(
      Either.right([{ a: 1, b: "x" }, { a: 2, b: "y" }])
    )
    const missing = DomoTable.parseCsv(T, "b,c\nx,1\n", { header: true })
    expect(Either.isLeft(missing) && missing.left).toMatchObject({ row: 0, column: "a" })
    expect(Either.isLeft(missing) && missing.left.message).toContain("the header")
  })

  it("column names with quotes, backslashes and unicode survive the compiled row builder", () => {
    const T = DomoTable.make("T", { "a\"b": DomoTable.string, "c\\d": DomoTable.long, "żółw 🐢": DomoTable.string })
    const rows = DomoTable.parseCsv(T, "\"a\"\"b\",c\\d,żółw 🐢\nx,1,y\n", { header: true })
    expect(rows).toEqual(Either.right([{ "a\"b": "x", "c\\d": 1, "żółw 🐢": "y" }]))
  })

  it("infers a table from a dataset schema for untyped use", () => {
    const inferred = DomoTable.fromDomoSchema("Live", {
      columns: [{ type: "STRING", name: "name" }, { type: "LONG", name: "n" }, { type: "DATE", name: "d" }]
    })
    expect(Either.isRight(inferred)).toBe(true)
    if (Either.isLeft(inferred)) return
    const rows = DomoTable.parseCsv(inferred.right, "Leia,3,2024-01-02\n,,\n")
    expect(rows).toEqual(Either.right([
      { name: "Leia", n: 3, d: new Date("2024-01-02T00:00:00Z") },
      { name: null, n: null, d: null }
    ]))
    expect(DomoTable.formatCsv(inferred.right, Either.getOrThrow(rows))).toEqual(
      Either.right("Leia,3,2024-01-02\n,,\n")
    )
    const bad = DomoTable.fromDomoSchema("Bad", { columns: [{ type: "BOOLEAN", name: "flag" }] })
    expect(Either.isLeft(bad) && bad.left.differences).toEqual(["column \"flag\" has the unknown type BOOLEAN"])
  })

  it("checks a table against a live schema, listing every difference", () => {
    expect(DomoTable.check(Sales, Sales.domoSchema)).toEqual(Either.void)
    const result = DomoTable.check(Sales, {
      columns: [{ type: "STRING", name: "region" }, { type: "DOUBLE", name: "units" }]
    }, "abc")
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("SchemaMismatch")
      expect(result.left.datasetId).toBe("abc")
      expect(result.left.differences[0]).toBe("the table has 9 columns, the dataset 2")
      expect(result.left.differences[1]).toContain("column 2 is \"units\" LONG in the table, \"units\" DOUBLE")
      expect(result.left.differences).toHaveLength(9)
    }
  })

  it("textSchema decodes records as the compiled decoder does", () => {
    const decode = Schema.decodeUnknownEither(DomoTable.textSchema(Sales))
    const fields: Record<string, string | null> = Object.fromEntries(
      Sales.columns.map((c, i) => [c.name, saleCsv.slice(0, -1).replace("\"North, \"\"East\"\"\"", "R").split(",")[i]])
    )
    fields.note = null
    const result = decode(fields)
    expect(Either.map(result, (r) => ({ ...r, region: sale.region }))).toEqual(Either.right(sale))
    expect(Either.isLeft(decode({ ...fields, units: "1.5" }))).toBe(true)
    expect(Either.isLeft(decode({ ...fields, units: null }))).toBe(true)
  })
})

const saleArb: fc.Arbitrary<Sale> = fc.record({
  region: fc.string({ unit: "grapheme", maxLength: 10 }),
  units: fc.maxSafeInteger(),
  big: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  ratio: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  price: fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -10, max: 30 })).map((
    [v, s]
  ) => BigDecimal.make(v, s)),
  day: fc.integer({ min: -719_162, max: 2_932_896 }).map((d) => new Date(d * 86_400_000)),
  at: fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }).map((s) => new Date(s * 1000)),
  note: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
  maybe: fc.option(fc.integer(), { nil: null })
})

describe("DomoTable round trips (property)", () => {
  it("any typed rows → CSV bytes (any chunking) → the same rows", () => {
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 20 }), fc.integer({ min: 1, max: 64 }), (rows, size) => {
        const back = Stream.fromIterable(rows).pipe(
          DomoTable.encodeCsv(Sales),
          Stream.mapConcat((bytes) =>
            Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))
          ),
          DomoTable.decodeCsv(Sales),
          Stream.runCollect,
          Effect.map(Chunk.toArray),
          Effect.runSync
        )
        expect(back).toEqual(rows)
      }),
      { numRuns: 200 }
    )
  })
})
