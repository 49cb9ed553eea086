import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import fc from "fast-check"
import * as Zlib from "node:zlib"
import * as DomoTable from "../src/DomoTable.js"
import { type Block, BLOCK_BYTES, blockBytesFor, encodeRows, scanCsv } from "../src/internal/uploadBlocks.js"
import { intoParts } from "../src/internal/uploadParts.js"
import { until } from "./utils/helpers.js"

const utf8 = new TextEncoder()
const text = new TextDecoder()

const Item = DomoTable.make("Item", {
  id: DomoTable.long,
  name: DomoTable.string,
  note: DomoTable.nullable(DomoTable.string)
})
type Item = DomoTable.Row<typeof Item>

const item = (i: number): Item => ({
  id: i,
  name: i % 7 === 0 ? `name, "${i}"\nwith a line break` : `name ${i}`,
  note: i % 3 === 0 ? null : "ü"
})

const join = (chunks: ReadonlyArray<Uint8Array>): string => text.decode(Buffer.concat(chunks))
const blockText = (blocks: ReadonlyArray<Block>) => join(blocks.flatMap((b) => b.chunks))

/** cuts `bytes` at the given offsets */
const split = (bytes: Uint8Array, cuts: ReadonlyArray<number>): Array<Uint8Array> => {
  const points = [...new Set([0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length])].sort((a, b) => a - b)
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end))
}

const scan = (pieces: ReadonlyArray<Uint8Array>, header = false) =>
  Stream.fromIterable(pieces).pipe(
    scanCsv({ header }),
    Stream.runCollect,
    Effect.map(Chunk.toArray),
    Effect.either,
    Effect.runSync
  )

describe("CSV input → blocks", () => {
  const csv = (n: number) => Either.getOrThrow(DomoTable.formatCsv(Item, Array.from({ length: n }, (_, i) => item(i))))

  it("keeps every byte and counts records, whatever the chunking (quotes, line breaks inside quotes, CRLF)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 12 }),
        fc.boolean(),
        (n, cuts, crlf) => {
          const source = crlf ? csv(n).replace(/(?<!\n[^"]*)\n(?=[0-9]|$)/g, "\r\n") : csv(n)
          const blocks = Either.getOrThrow(scan(split(utf8.encode(source), cuts)))
          expect(blockText(blocks)).toBe(source)
          expect(blocks.reduce((sum, b) => sum + b.rows, 0)).toBe(n)
          for (const b of blocks) {
            expect(b.bytes).toBe(b.chunks.reduce((sum, c) => sum + c.length, 0))
            // every block ends at a record boundary
            expect(b.chunks[b.chunks.length - 1].at(-1)).toBe(0x0a)
          }
        }
      ),
      { numRuns: 200 }
    )
  })

  it("cuts large inputs into ~1 MiB blocks at record boundaries", () => {
    const source = utf8.encode(csv(100_000))
    const blocks = Either.getOrThrow(scan([source]))
    expect(blocks.length).toBeGreaterThan(1)
    for (const b of blocks.slice(0, -1)) expect(b.bytes).toBeGreaterThanOrEqual(BLOCK_BYTES)
    expect(blocks.reduce((sum, b) => sum + b.rows, 0)).toBe(100_000)
    expect(Either.getOrThrow(DomoTable.parseCsv(Item, blockText(blocks)))).toHaveLength(100_000)
  })

  it("drops a header and adds the missing last line break", () => {
    const blocks = Either.getOrThrow(scan(split(utf8.encode("id,name,note\n1,a,b\n2,\"c\nd\",e"), [3, 15, 22]), true))
    expect(blockText(blocks)).toBe("1,a,b\n2,\"c\nd\",e\n")
    expect(blocks.reduce((sum, b) => sum + b.rows, 0)).toBe(2)
  })

  it("drops a leading UTF-8 byte order mark", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf])
    const body = utf8.encode("1,a,b\n")
    expect(Either.map(scan([bom, body]), blockText)).toEqual(Either.right("1,a,b\n"))
    expect(Either.map(scan([Buffer.concat([bom, body])]), blockText)).toEqual(Either.right("1,a,b\n"))
    expect(Either.map(scan([Buffer.concat([bom, utf8.encode("id,name,note\n"), body])], true), blockText))
      .toEqual(Either.right("1,a,b\n"))
  })

  it("a header alone is no rows", () => {
    expect(scan([utf8.encode("id,name,note\n")], true)).toEqual(Either.right([]))
    expect(scan([], false)).toEqual(Either.right([]))
  })

  it("fails on CSV that ends inside a quoted field", () => {
    const result = scan([utf8.encode("1,\"a\n2,b,c\n")])
    expect(Either.isLeft(result) && result.left).toMatchObject({ reason: "the CSV ends inside a quoted field" })
  })
})

describe("rows → blocks", () => {
  const encode = <E>(rows: Stream.Stream<Item, E>) =>
    rows.pipe(encodeRows(Item), Stream.runCollect, Effect.map(Chunk.toArray), Effect.either, Effect.runSync)

  it("gives the table's CSV with exact row counts, whatever the input chunking", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), (n, size) => {
        const rows = Array.from({ length: n }, (_, i) => item(i))
        const blocks = Either.getOrThrow(encode(Stream.fromIterable(rows).pipe(Stream.rechunk(size))))
        expect(blockText(blocks)).toBe(Either.getOrThrow(DomoTable.formatCsv(Item, rows)))
        expect(blocks.reduce((sum, b) => sum + b.rows, 0)).toBe(n)
      }),
      { numRuns: 100 }
    )
  })

  it("cuts ~1 MiB blocks that each end after their last row, even from one huge input chunk", () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => item(i))
    const blocks = Either.getOrThrow(encode(Stream.fromChunk(Chunk.unsafeFromArray(rows))))
    expect(blocks.length).toBeGreaterThan(1)
    let offset = 0
    for (const b of blocks) {
      const decoded = Either.getOrThrow(DomoTable.parseCsv(Item, join(b.chunks)))
      expect(decoded).toEqual(rows.slice(offset, offset + b.rows))
      offset += b.rows
    }
    expect(offset).toBe(60_000)
  })

  it("a bad value fails with CsvEncodeError naming the row and column", () => {
    const rows = [item(1), item(2), { id: 1.5, name: "x", note: null }, item(4)]
    const result = encode(Stream.fromIterable(rows))
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CsvEncodeError", row: 3, column: "id" })
  })
})

describe("blocks → parts", () => {
  const rows = Array.from({ length: 30_000 }, (_, i) => item(i))
  const expected = Either.getOrThrow(DomoTable.formatCsv(Item, rows))

  const parts = (partSize: number, gzipLevel: number | undefined) =>
    Stream.fromIterable(rows).pipe(
      encodeRows(Item, blockBytesFor(partSize)),
      intoParts({ partSize, gzipLevel, compressorBacklog: 256 * 1024 }),
      Stream.mapEffect((part) => Effect.map(part.body, (body) => ({ part, body })), { concurrency: 3 }),
      Stream.runCollect,
      Effect.map(Chunk.toArray)
    )

  it.effect("numbers parts 1…n, cuts at the size, and the gzipped parts hold the input in order", () =>
    Effect.gen(function*() {
      const all = yield* parts(100_000, 1)
      expect(all.map((p) => p.part.id)).toEqual(all.map((_, i) => i + 1))
      expect(all.length).toBeGreaterThan(3)
      for (const { part } of all.slice(0, -1)) expect(part.bytes).toBeGreaterThanOrEqual(100_000)
      const texts = all.map(({ body, part }) => {
        expect(part.gzip).toBe(true)
        expect([body[0], body[1]]).toEqual([0x1f, 0x8b])
        const plain = Zlib.gunzipSync(body)
        expect(plain.length).toBe(part.bytes)
        // each part is whole records: it decodes on its own, with the part's row count
        expect(Either.getOrThrow(DomoTable.parseCsv(Item, plain.toString("utf8")))).toHaveLength(part.rows)
        return plain.toString("utf8")
      })
      expect(texts.join("")).toBe(expected)
      expect(all.reduce((sum, p) => sum + p.part.rows, 0)).toBe(rows.length)
    }))

  it.effect("without gzip, parts are the plain CSV", () =>
    Effect.gen(function*() {
      const all = yield* parts(500_000, undefined)
      expect(all.every((p) => !p.part.gzip)).toBe(true)
      expect(all.map((p) => text.decode(p.body)).join("")).toBe(expected)
    }))

  it.effect("one part when the input is smaller than a part; none for no input", () =>
    Effect.gen(function*() {
      const one = yield* parts(100 * 1024 * 1024, 6)
      expect(one.map((p) => p.part.id)).toEqual([1])
      expect(Zlib.gunzipSync(one[0].body).toString("utf8")).toBe(expected)
      const none = yield* Stream.empty.pipe(
        encodeRows(Item),
        intoParts({ partSize: 1000, gzipLevel: 1, compressorBacklog: 1000 }),
        Stream.runCollect
      )
      expect(Chunk.size(none)).toBe(0)
    }))

  it.live("pulls the input only as far as the parts in flight allow (bounded memory)", () =>
    Effect.gen(function*() {
      let pulled = 0
      // an endless input; the uploads never finish
      const endless = Stream.iterate(0, (i) => i + 1).pipe(
        Stream.rechunk(1000),
        Stream.map((i) => {
          pulled++
          return item(i)
        })
      )
      const fiber = yield* endless.pipe(
        encodeRows(Item, blockBytesFor(200_000)),
        intoParts({ partSize: 200_000, gzipLevel: 1, compressorBacklog: 100_000 }),
        Stream.mapEffect(() => Effect.never, { concurrency: 2 }),
        Stream.runDrain,
        Effect.fork
      )
      // wait until the pipeline has stalled: the count stops moving
      let last = -1
      yield* until(() => {
        const stalled = pulled === last && pulled > 0
        last = pulled
        return stalled
      }, 20_000)
      yield* Fiber.interrupt(fiber)
      // 2 uploads + the mapEffect buffer + the part being filled, ~200 KB (~12 k rows) each
      expect(pulled).toBeLessThan(100_000)
    }))
})
