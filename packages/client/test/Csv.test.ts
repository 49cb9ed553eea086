import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import fc from "fast-check"
import Papa from "papaparse"
import * as DomoTable from "../src/DomoTable.js"

// RFC 4180 and Domo's CSV rules, checked on untyped text columns (nullable STRING).
const Text3 = DomoTable.make("Text3", {
  a: DomoTable.nullable(DomoTable.string),
  b: DomoTable.nullable(DomoTable.string),
  c: DomoTable.nullable(DomoTable.string)
})
type Text3 = DomoTable.Row<typeof Text3>

const row = (a: string | null, b: string | null, c: string | null): Text3 => ({ a, b, c })
const parse = (text: string) => DomoTable.parseCsv(Text3, text)
const utf8 = new TextEncoder()

/** Decodes `bytes` split at the given offsets, through the streaming decoder. */
const decodeSplit = (bytes: Uint8Array, cuts: ReadonlyArray<number>) => {
  const points = [0, ...[...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((x, y) => x - y)]
  const pieces = points.map((p, i) => bytes.subarray(p, i + 1 < points.length ? points[i + 1] : bytes.length))
  return Stream.fromIterable(pieces).pipe(
    Stream.rechunk(1),
    DomoTable.decodeCsv(Text3),
    Stream.runCollect,
    Effect.map(Chunk.toArray),
    Effect.either,
    Effect.runSync
  )
}

const cases: ReadonlyArray<readonly [string, string, ReadonlyArray<Text3>]> = [
  ["plain fields", "a,b,c\n", [row("a", "b", "c")]],
  ["quotes are not part of the value", "\"a\",b,c\n", [row("a", "b", "c")]],
  ["a comma inside quotes", "\"a,a\",b,c\n", [row("a,a", "b", "c")]],
  ["a doubled quote", "\"a\"\"a\",b,\"\"\"\"\n", [row("a\"a", "b", "\"")]],
  ["LF inside quotes", "\"x\ny\",b,c\n", [row("x\ny", "b", "c")]],
  ["CRLF inside quotes", "\"x\r\ny\",b,c\r\n", [row("x\r\ny", "b", "c")]],
  ["a lone CR inside quotes", "\"x\ry\",b,c\n", [row("x\ry", "b", "c")]],
  ["CRLF records", "a,b,c\r\nd,e,f\r\n", [row("a", "b", "c"), row("d", "e", "f")]],
  ["LF-only records", "a,b,c\nd,e,f\n", [row("a", "b", "c"), row("d", "e", "f")]],
  ["no trailing line break", "a,b,c\nd,e,f", [row("a", "b", "c"), row("d", "e", "f")]],
  ["no trailing line break after a quoted field", "a,b,\"c\"", [row("a", "b", "c")]],
  ["unicode and emoji", "żółw,日本語,🐢\n", [row("żółw", "日本語", "🐢")]],
  ["empty unquoted fields are null", ",,\n", [row(null, null, null)]],
  ["empty quoted fields are empty strings", "\"\",\"\",\"\"\n", [row("", "", "")]],
  ["a trailing comma is a null last field", "a,b,\n", [row("a", "b", null)]],
  ["\\N is null, quoted it is text", "\\N,\"\\N\",x\n", [row(null, "\\N", "x")]],
  ["spaces are kept", " a , b ,c \n", [row(" a ", " b ", "c ")]],
  ["empty input", "", []]
]

describe("CSV decoding (RFC 4180 + Domo)", () => {
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(parse(text)).toEqual(Either.right(expected))
      // Any split of the bytes (inside quotes, inside a multi-byte character, between CR and LF)
      // gives the same rows.
      const bytes = utf8.encode(text)
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(decodeSplit(bytes, [cut])).toEqual(Either.right(expected))
      }
      expect(decodeSplit(bytes, Array.from({ length: bytes.length }, (_, i) => i))).toEqual(Either.right(expected))
    })
  }

  const failures: ReadonlyArray<readonly [string, string, number, string]> = [
    ["a quote in an unquoted field", "a,b,c\nx\",b,c\n", 2, "double quote inside an unquoted field"],
    ["text after a closing quote", "\"a\"a\",b,c\n", 1, "closing quote must be followed"],
    ["a quote that never closes", "a,b,c\n\"abc,d\n", 2, "never closed"],
    ["too few fields", "a,b,c\na,b\n", 2, "expected 3 fields, found 2"],
    ["too many fields", "a,b,c,d\n", 1, "expected 3 fields, found 4"],
    ["a blank line between rows", "a,b,c\n\nd,e,f\n", 2, "expected 3 fields, found 1"],
    ["a bare CR ending a field", "a,b,c\rd,e,f\n", 1, "carriage return not followed by a line feed"]
  ]
  for (const [name, text, rowNumber, reason] of failures) {
    it(`fails with a typed error: ${name}`, () => {
      const result = parse(text)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left._tag).toBe("CsvDecodeError")
        expect(result.left.row).toBe(rowNumber)
        expect(result.left.reason).toContain(reason)
        expect(result.left.message).toContain(`row ${rowNumber}`)
      }
      const bytes = utf8.encode(text)
      for (let cut = 1; cut < bytes.length; cut++) {
        const split = decodeSplit(bytes, [cut])
        expect(Either.isLeft(split) && split.left.row).toBe(rowNumber)
      }
    })
  }

  it("rejects bytes that are not UTF-8", () => {
    const result = decodeSplit(new Uint8Array([97, 44, 98, 44, 0xff, 0xfe, 10]), [])
    expect(Either.isLeft(result) && result.left.reason).toContain("not valid UTF-8")
  })

  it("rows before an error are delivered, the error stops the stream", () => {
    const seen: Array<Text3> = []
    const result = Stream.make(utf8.encode("a,b,c\nd,e,f\nx\"y,1,2\ng,h,i\n")).pipe(
      DomoTable.decodeCsv(Text3),
      Stream.runForEach((r) => Effect.sync(() => seen.push(r))),
      Effect.either,
      Effect.runSync
    )
    expect(seen).toEqual([row("a", "b", "c"), row("d", "e", "f")])
    expect(Either.isLeft(result) && result.left.row).toBe(3)
  })

  it("one column (no comma anywhere) and quoted records between plain ones", () => {
    const One = DomoTable.make("One", { a: DomoTable.nullable(DomoTable.string) })
    const lines = Array.from({ length: 2000 }, (_, i) => i % 7 === 0 ? "" : i % 5 === 0 ? `"q,${i}"` : `v${i}`)
    const expected = lines.map((l) => ({ a: l === "" ? null : l.startsWith("\"") ? l.slice(1, -1) : l }))
    expect(DomoTable.parseCsv(One, lines.join("\n") + "\n")).toEqual(Either.right(expected))
    expect(parse("a,,c\n\"x,y\",\\N,\n,b,\n")).toEqual(
      Either.right([row("a", null, "c"), row("x,y", null, null), row(null, "b", null)])
    )
  })
})

describe("CSV encoding", () => {
  it("quotes only when needed; null is empty, the empty string is \"\"", () => {
    const text = DomoTable.formatCsv(Text3, [
      row("plain", "has,comma", "has \"quote\""),
      row("line\nbreak", "cr\rhere", "crlf\r\nhere"),
      row(null, "", "\\N"),
      row(" spaced ", "żółw 🐢", "x")
    ])
    expect(text).toEqual(Either.right(
      "plain,\"has,comma\",\"has \"\"quote\"\"\"\n" +
        "\"line\nbreak\",\"cr\rhere\",\"crlf\r\nhere\"\n" +
        ",\"\",\"\\N\"\n" +
        " spaced ,żółw 🐢,x\n"
    ))
  })

  it("writes a header on request", () => {
    const T = DomoTable.make("T", { "a,b": DomoTable.string, c: DomoTable.long })
    expect(DomoTable.formatCsv(T, [{ "a,b": "x", c: 1 }], { header: true })).toEqual(Either.right("\"a,b\",c\nx,1\n"))
  })

  it("batches rows into large chunks, not one chunk per row", () =>
    Effect.gen(function*() {
      const rows = Array.from({ length: 20_000 }, (_, i) => row(`name ${i}`, String(i), null))
      const chunks = yield* Stream.fromIterable(rows).pipe(
        Stream.rechunk(1),
        DomoTable.encodeCsv(Text3),
        Stream.runCollect,
        Effect.map(Chunk.toArray)
      )
      const total = chunks.reduce((n, c) => n + c.length, 0)
      expect(chunks.length).toBeLessThan(5)
      expect(total).toBeGreaterThan(200_000)
      const decoded = yield* Stream.fromIterable(chunks).pipe(DomoTable.decodeCsv(Text3), Stream.runCollect)
      expect(Chunk.toArray(decoded)).toEqual(rows)
    }).pipe(Effect.runPromise))
})

describe("CSV decoding keeps memory bounded", () => {
  it("a stream chunk holding many byte buffers is decoded buffer by buffer, not into one huge chunk", () =>
    Effect.gen(function*() {
      const rows = Array.from({ length: 20_000 }, (_, i) => row(`name ${i}`, String(i), null))
      const text = Either.getOrThrow(DomoTable.formatCsv(Text3, rows))
      const bytes = utf8.encode(text)
      const pieces = Array.from(
        { length: Math.ceil(bytes.length / 1024) },
        (_, i) => bytes.subarray(i * 1024, (i + 1) * 1024)
      )
      // Stream.fromIterable puts up to 4096 elements in one chunk: all the pieces arrive at once
      const sizes = yield* Stream.fromIterable(pieces).pipe(
        DomoTable.decodeCsv(Text3),
        Stream.chunks,
        Stream.map(Chunk.size),
        Stream.runCollect,
        Effect.map(Chunk.toArray)
      )
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(rows.length)
      expect(Math.max(...sizes)).toBeLessThan(200)
    }).pipe(Effect.runPromise))
})

const textArb = fc.string({ unit: "grapheme", maxLength: 12 })
const specialArb = fc.constantFrom("", "\"", ",", "\n", "\r", "\r\n", "\\N", "\"\"", " ", "a\"b", "🐢")
const fieldArb = fc.oneof(textArb, specialArb, fc.constant(null))
const rowArb = fc.record({ a: fieldArb, b: fieldArb, c: fieldArb })

describe("CSV round trips (property)", () => {
  it("any rows → CSV → the same rows, under any chunking", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), fc.array(fc.nat(2000), { maxLength: 12 }), (rows, cuts) => {
        const text = DomoTable.formatCsv(Text3, rows)
        expect(Either.isRight(text)).toBe(true)
        if (Either.isLeft(text)) return
        expect(parse(text.right)).toEqual(Either.right(rows))
        expect(decodeSplit(utf8.encode(text.right), cuts)).toEqual(Either.right(rows))
      }),
      { numRuns: 300 }
    )
  })

  it("agrees with papaparse as a reference parser, both ways", () => {
    // papaparse reads null and "" alike (""), so compare with nulls as "".
    const nonNull = fc.record({ a: fc.oneof(textArb, specialArb), b: fc.oneof(textArb, specialArb), c: textArb })
    fc.assert(
      fc.property(fc.array(nonNull, { minLength: 1, maxLength: 20 }), (rows) => {
        const ours = DomoTable.formatCsv(Text3, rows)
        if (Either.isLeft(ours)) throw ours.left
        const theirs = Papa.parse<Array<string>>(ours.right.slice(0, -1), { newline: "\n" })
        expect(theirs.errors).toEqual([])
        expect(theirs.data).toEqual(rows.map((r) => [r.a, r.b, r.c]))

        // papaparse leaves `\\N` unquoted, which Domo (and we) read as null.
        const unparsed = Papa.unparse(rows.map((r) => [r.a, r.b, r.c]), { newline: "\n" })
        const back = parse(unparsed)
        const orEmpty = (s: string | null) => s === null || s === "\\N" ? "" : s
        expect(Either.map(back, (rs) => rs.map((r) => [orEmpty(r.a), orEmpty(r.b), orEmpty(r.c)]))).toEqual(
          Either.right(rows.map((r) => [orEmpty(r.a), orEmpty(r.b), orEmpty(r.c)]))
        )
      }),
      { numRuns: 300 }
    )
  })
})
