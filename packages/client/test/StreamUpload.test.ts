import { Emulator } from "@effect-domo/emulator"
import { expect, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import * as DomoTable from "../src/DomoTable.js"
import { Streams } from "../src/Streams.js"
import * as StreamUpload from "../src/StreamUpload.js"
import { renderings } from "./utils/LeakScanner.js"
import {
  expectedCsv,
  exportCsv,
  exportItems,
  failingParts,
  Item,
  item,
  items,
  newStream,
  partIds,
  sha256,
  testLayer
} from "./utils/streamFixtures.js"

layer(testLayer(), { timeout: 120_000, excludeTestServices: true })("StreamUpload against the emulator", (it) => {
  it.effect("1,000,000 rows in many parts arrive complete and in order, part ids 1…n", () =>
    Effect.gen(function*() {
      const stream = yield* newStream()
      const rows = 1_000_000
      const result = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(rows)), {
        partSize: 1024 * 1024,
        concurrency: 4
      })
      expect(result.rows).toBe(rows)
      expect(result.rowCountChecked).toBe(true)
      expect(result.execution.currentState).toBe("SUCCESS")
      expect(result.parts).toBeGreaterThan(15)
      expect(result.sentBytes).toBeLessThan(result.bytes)
      // consecutive part ids from 1, each uploaded once
      const calls = yield* partIds(stream.id, result.executionId)
      const ids = calls.map((e) => Number(e.path.split("/").at(-1))).sort((a, b) => a - b)
      expect(ids).toEqual(Array.from({ length: result.parts }, (_, i) => i + 1))
      // the DataSet holds exactly the rows, in order
      const csv = yield* exportItems(stream.dataSet.id)
      expect(sha256(csv)).toBe(yield* expectedCsv(items(rows)))
      const streams = yield* Streams
      const after = yield* streams.get(stream.id)
      expect(after.dataSet.rows).toBe(rows)
    }), 300_000)

  it.effect("a part failing twice (503) then succeeding: the upload completes", () =>
    Effect.gen(function*() {
      const stream = yield* newStream()
      yield* failingParts(2, { _tag: "Status", status: 503 })
      const result = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(20_000)), {
        partSize: 64 * 1024
      })
      expect(result.rows).toBe(20_000)
      const calls = yield* partIds(stream.id, result.executionId)
      expect(calls.filter((e) => e.status === 503)).toHaveLength(2)
      expect(calls.filter((e) => e.status === 200)).toHaveLength(result.parts)
      expect(sha256(yield* exportItems(stream.dataSet.id))).toBe(yield* expectedCsv(items(20_000)))
    }))

  it.effect("429 with Retry-After during parts: waited for, then the upload completes", () =>
    Effect.gen(function*() {
      const stream = yield* newStream()
      yield* failingParts(2, { _tag: "Status", status: 429, retryAfter: 1 })
      const result = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(5_000)), {
        partSize: 32 * 1024
      })
      expect(result.rows).toBe(5_000)
      const calls = yield* partIds(stream.id, result.executionId)
      expect(calls.filter((e) => e.status === 429)).toHaveLength(2)
      expect(sha256(yield* exportItems(stream.dataSet.id))).toBe(yield* expectedCsv(items(5_000)))
    }))

  it.effect("a part failing for good: execution aborted, error names the part, DataSet unchanged", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const streams = yield* Streams
      const stream = yield* newStream()
      yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(100)))
      const before = yield* exportCsv(stream.dataSet.id)
      yield* failingParts(1000, { _tag: "Status", status: 500 })
      const error = yield* StreamUpload.replace(stream.id, StreamUpload.fromRows(Item, items(10_000, 500)), {
        partSize: 32 * 1024
      }).pipe(Effect.flip, Effect.ensuring(emulator.faults.clear))
      expect(error).toBeInstanceOf(StreamUpload.StreamUploadError)
      const failure = error as StreamUpload.StreamUploadError
      expect(failure.stage).toBe("part")
      expect(failure.partId).toBeTypeOf("number")
      expect(failure.aborted).toBe(true)
      expect(failure.message).toContain(`part ${failure.partId} failed`)
      expect(failure.message).toContain("HTTP 500")
      expect(failure.message).toContain("nothing was committed")
      expect((failure.cause as { _tag: string })._tag).toBe("ServerError")
      // no secret in any rendering of the error (String, JSON, inspect, message, stack)
      const entries = yield* emulator.requestLog.entries
      const secrets = [
        Redacted.value(emulator.clientSecret),
        ...entries.flatMap((e) => e.token === undefined ? [] : [Redacted.value(e.token)])
      ]
      expect(secrets.length).toBeGreaterThan(1)
      for (const text of renderings(failure)) {
        for (const secret of secrets) expect(text.includes(secret)).toBe(false)
      }
      const execution = yield* streams.getExecution(stream.id, failure.executionId!)
      expect(execution.currentState).toBe("ABORTED")
      expect(yield* exportCsv(stream.dataSet.id)).toBe(before)
    }))

  it.effect("interruption mid-upload: execution aborted, DataSet unchanged", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const streams = yield* Streams
      const stream = yield* newStream()
      yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(100)))
      const before = yield* exportCsv(stream.dataSet.id)
      yield* failingParts(1000, { _tag: "Latency", ms: 400 })
      const started = yield* Deferred.make<number>()
      const uploaded = yield* Deferred.make<void>()
      const fiber = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(50_000)), {
        partSize: 32 * 1024,
        onProgress: (event) =>
          event._tag === "Started"
            ? Deferred.succeed(started, event.executionId)
            : event._tag === "PartUploaded"
            ? Deferred.succeed(uploaded, undefined)
            : Effect.void
      }).pipe(Effect.fork)
      const executionId = yield* Deferred.await(started)
      // some parts are in, others in flight
      yield* Deferred.await(uploaded)
      yield* Fiber.interrupt(fiber)
      yield* emulator.faults.clear
      const execution = yield* streams.getExecution(stream.id, executionId)
      expect(execution.currentState).toBe("ABORTED")
      expect(yield* exportCsv(stream.dataSet.id)).toBe(before)
    }))

  it.effect("a bad row aborts: the error names the row, nothing is committed", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream()
      yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(10)))
      const before = yield* exportCsv(stream.dataSet.id)
      const rows = Stream.concat(items(30_000), Stream.make({ id: Number.NaN, name: "bad", note: null }))
      const error = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, rows), {
        partSize: 64 * 1024
      }).pipe(Effect.flip)
      expect(error.stage).toBe("input")
      expect(error.aborted).toBe(true)
      expect(error.message).toContain("row 30001")
      expect((yield* streams.getExecution(stream.id, error.executionId!)).currentState).toBe("ABORTED")
      expect(yield* exportCsv(stream.dataSet.id)).toBe(before)
    }))

  it.effect("the source's own failure aborts and passes through unchanged", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream()
      let executionId = -1
      const rows = Stream.concat(items(20_000), Stream.fail("disk gone" as const))
      const error = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, rows), {
        partSize: 64 * 1024,
        onProgress: (event) => Effect.sync(() => event._tag === "Started" && (executionId = event.executionId))
      }).pipe(Effect.flip)
      expect(error).toBe("disk gone")
      expect((yield* streams.getExecution(stream.id, executionId)).currentState).toBe("ABORTED")
    }))

  it.effect("a defect in the source (a throwing map) aborts the execution too", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream()
      let executionId = -1
      const rows = items(20_000).pipe(Stream.map((row) => {
        if (row.id === 15_000) throw new Error("bug in the caller's code")
        return row
      }))
      const exit = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, rows), {
        partSize: 64 * 1024,
        onProgress: (event) => Effect.sync(() => event._tag === "Started" && (executionId = event.executionId))
      }).pipe(Effect.exit)
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect((yield* streams.getExecution(stream.id, executionId)).currentState).toBe("ABORTED")
    }))

  it.effect("a table that does not match the DataSet: typed error, no execution started", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream()
      const Other = DomoTable.make("Other", { id: DomoTable.string })
      const error = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Other, Stream.make({ id: "x" })))
        .pipe(Effect.flip)
      expect(error.stage).toBe("schema")
      expect(error.executionId).toBeUndefined()
      expect(yield* Stream.runCollect(streams.listExecutions(stream.id))).toHaveLength(0)
    }))

  it.effect("CSV bytes with a header, any chunking; APPEND adds, progress events add up", () =>
    Effect.gen(function*() {
      const stream = yield* newStream()
      yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(3)))
      const csv = new TextEncoder().encode(
        "id,name,note\n" + Either.getOrThrow(DomoTable.formatCsv(Item, Array.from({ length: 2000 }, (_, i) => item(i))))
      )
      const pieces = Stream.range(0, Math.ceil(csv.length / 777) - 1).pipe(
        Stream.map((i) => csv.subarray(i * 777, (i + 1) * 777))
      )
      const events: Array<StreamUpload.Progress> = []
      const result = yield* StreamUpload.append(stream.id, StreamUpload.fromCsv(pieces, { header: true }), {
        partSize: 16 * 1024,
        gzipLevel: "none",
        onProgress: (event) => Effect.sync(() => events.push(event))
      })
      expect(result.rows).toBe(2000)
      expect(result.sentBytes).toBe(result.bytes)
      const done = events.filter((e) => e._tag === "PartUploaded")
      expect(done).toHaveLength(result.parts)
      expect(done.at(-1)).toMatchObject({ partsDone: result.parts, rowsDone: 2000, bytesDone: result.bytes })
      expect(events[0]._tag).toBe("Started")
      expect(events.at(-1)?._tag).toBe("Committed")
      const streams = yield* Streams
      expect((yield* streams.get(stream.id)).dataSet.rows).toBe(2003)
    }))

  it.effect("progress as a Stream: every event in order, ending with Committed; failures fail the stream", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const stream = yield* newStream()
      const events = yield* Stream.runCollect(
        StreamUpload.uploadWithProgress(stream.id, StreamUpload.fromRows(Item, items(5_000)), { partSize: 16 * 1024 })
      ).pipe(Effect.map((chunk) => [...chunk]))
      const parts = events.filter((e) => e._tag === "PartUploaded")
      expect(parts.length).toBeGreaterThan(2)
      expect(parts.map((e) => e.partId)).toEqual(parts.map((_, i) => i + 1))
      expect(events.map((e) => e._tag)).toEqual([
        "Started",
        ...parts.map(() => "PartUploaded"),
        "Committing",
        "Committed"
      ])
      expect(parts.at(-1)?.rowsDone).toBe(5_000)

      yield* failingParts(1000, { _tag: "Status", status: 400 })
      const error = yield* Stream.runDrain(
        StreamUpload.uploadWithProgress(stream.id, StreamUpload.fromRows(Item, items(100)))
      ).pipe(Effect.flip, Effect.ensuring(emulator.faults.clear))
      expect(error).toMatchObject({ _tag: "StreamUploadError", stage: "part", partId: 1, aborted: true })
    }))

  it.effect("UPSERT by key columns replaces matching rows and adds the others", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream({ updateMethod: "UPSERT", keyColumnNames: ["id"] })
      expect(stream.keyColumnNames).toEqual(["id"])
      yield* StreamUpload.upsert(stream.id, StreamUpload.fromRows(Item, items(10)))
      const changed = Stream.make({ id: 3, name: "three", note: "x" }, { id: 42, name: "new", note: null })
      yield* StreamUpload.upsert(stream.id, StreamUpload.fromRows(Item, changed))
      expect((yield* streams.get(stream.id)).dataSet.rows).toBe(11)
      const csv = yield* exportItems(stream.dataSet.id)
      expect(csv).toContain("3,three,x\n")
      expect(csv).toContain("42,new,\n")
      expect(csv).not.toContain("3,name 3,")
    }))

  it.effect("createForTable: upsert keys that are not the table's columns are a typed error, nothing sent", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const before = (yield* Stream.runCollect(streams.list())).length
      for (
        const [keys, detail] of [
          [[], "UPSERT needs at least one key column"],
          [["id", "nope"], "key column(s) not in table Item: nope"]
        ] as const
      ) {
        const error = yield* StreamUpload.createForTable(Item, {
          mode: { updateMethod: "UPSERT", keyColumnNames: keys }
        })
          .pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "BadRequestError", detail: expect.stringContaining(detail) })
      }
      expect((yield* Stream.runCollect(streams.list())).length).toBe(before)
    }))

  it.effect("an empty input commits an empty execution", () =>
    Effect.gen(function*() {
      const stream = yield* newStream()
      yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(5)))
      const result = yield* StreamUpload.replace(stream.id, StreamUpload.fromRows(Item, Stream.empty))
      expect(result).toMatchObject({ rows: 0, parts: 0 })
      expect(yield* exportItems(stream.dataSet.id)).toBe("")
    }))

  it.effect("invalid options are a typed error before anything is sent", () =>
    Effect.gen(function*() {
      const stream = yield* newStream()
      for (const options of [{ partSize: 0 }, { concurrency: 1.5 }, { gzipLevel: 11 }]) {
        const error = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(1)), options).pipe(
          Effect.flip
        )
        expect(error.message).toContain("invalid options")
      }
      const streams = yield* Streams
      expect(yield* Stream.runCollect(streams.listExecutions(stream.id))).toHaveLength(0)
    }))
})

layer(testLayer(), { timeout: 60_000, excludeTestServices: true })("Streams service", (it) => {
  it.effect("streams: create from a table, get, list, search by DataSet, update, delete", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream({ updateMethod: "APPEND" })
      expect(stream.updateMethod).toBe("APPEND")
      expect((yield* streams.get(stream.id)).dataSet.id).toBe(stream.dataSet.id)
      const listed = yield* Stream.runCollect(streams.list({ pageSize: 1 }))
      expect([...listed].some((s) => s.id === stream.id)).toBe(true)
      const found = yield* StreamUpload.findByDatasetId(stream.dataSet.id)
      expect(Option.map(found, (s) => s.id)).toEqual(Option.some(stream.id))
      expect(yield* streams.findByDatasetId(Crypto.randomUUID())).toEqual(Option.none())
      const updated = yield* streams.update(stream.id, { updateMethod: "REPLACE" })
      expect(updated.updateMethod).toBe("REPLACE")
      yield* streams.delete(stream.id)
      const gone = yield* Effect.flip(streams.get(stream.id))
      expect(gone._tag).toBe("NotFoundError")
    }))

  it.effect("executions by hand: create, part (plain and gzip), list, get, commit, abort", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const stream = yield* newStream()
      const execution = yield* streams.createExecution(stream.id, { updateMethod: "REPLACE" })
      expect(execution.currentState).toBe("ACTIVE")
      yield* streams.uploadPart(stream.id, execution.id, 1, "1,a,\n2,b,x\n")
      const zlib = yield* Effect.promise(() => import("node:zlib"))
      yield* streams.uploadPart(stream.id, execution.id, 2, zlib.gzipSync("3,c,y\n"))
      expect((yield* streams.getExecution(stream.id, execution.id)).currentState).toBe("ACTIVE")
      const committed = yield* streams.commit(stream.id, execution.id)
      expect(committed.currentState).toBe("SUCCESS")
      expect(yield* exportItems(stream.dataSet.id)).toBe("1,a,\n2,b,x\n3,c,y\n")
      const second = yield* streams.createExecution(stream.id)
      yield* streams.uploadPart(stream.id, second.id, 1, "9,z,\n")
      const aborted = yield* streams.abort(stream.id, second.id)
      expect(aborted.currentState).toBe("ABORTED")
      const all = yield* Stream.runCollect(streams.listExecutions(stream.id))
      expect([...all].map((e) => e.id).sort()).toEqual([execution.id, second.id].sort())
      const third = yield* streams.createExecution(stream.id)
      yield* streams.abortCurrent(stream.id)
      expect((yield* streams.getExecution(stream.id, third.id)).currentState).toBe("ABORTED")
      expect(yield* exportItems(stream.dataSet.id)).toBe("1,a,\n2,b,x\n3,c,y\n")
    }))

  it.effect("bad ids and keys are typed errors and nothing is sent", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      expect((yield* Effect.flip(streams.get(-1)))._tag).toBe("BadRequestError")
      expect((yield* Effect.flip(streams.uploadPart(1, 1, 1.5, "x")))._tag).toBe("BadRequestError")
      const error = yield* Effect.flip(newStream({ updateMethod: "UPSERT", keyColumnNames: ["nope"] }))
      expect(error.message).toContain("nope")
    }))
})
