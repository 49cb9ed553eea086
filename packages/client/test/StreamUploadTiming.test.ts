import { Emulator } from "@effect-domo/emulator"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import * as StreamUpload from "../src/StreamUpload.js"
import { driveUntilDone, eventually, pendingSleeps } from "./utils/helpers.js"
import {
  expectedCsv,
  exportItems,
  failingParts,
  Item,
  items,
  newStream,
  partIds,
  sha256,
  testLayer
} from "./utils/streamFixtures.js"

describe("StreamUpload timing", () => {
  it.live(
    "a token lifetime shorter than the upload: renewed between parts, the upload completes",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const stream = yield* newStream()
        // every part answer takes 0.4 s, parts go one at a time: the upload outlives several tokens
        yield* failingParts(1000, { _tag: "Latency", ms: 400 })
        const result = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(8_000)), {
          partSize: 16 * 1024,
          concurrency: 1
        })
        expect(result.parts).toBeGreaterThan(6)
        const calls = yield* partIds(stream.id, result.executionId)
        // a token may lapse while a slow part is in flight: that part is replayed once with a new one
        expect(calls.filter((e) => e.status === 200)).toHaveLength(result.parts)
        expect(calls.every((e) => e.status === 200 || e.status === 401)).toBe(true)
        // several tokens carried the parts
        expect(new Set(calls.map((e) => e.tokenFingerprint)).size).toBeGreaterThan(1)
        yield* emulator.faults.clear
        expect(sha256(yield* exportItems(stream.dataSet.id))).toBe(yield* expectedCsv(items(8_000)))
      }).pipe(Effect.provide(testLayer({ tokenLifetimeSeconds: 1 }))),
    60_000
  )

  it.live(
    "an asynchronous commit (ACTIVE in the commit answer, as Domo's docs show) is polled until it ends",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        yield* emulator.faults.set({ commitDelayMs: 700 })
        const stream = yield* newStream()
        const progress: Array<string> = []
        const result = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(2_000)), {
          onProgress: (event) => Effect.sync(() => progress.push(event._tag))
        })
        expect(result).toMatchObject({ rows: 2_000, rowCountChecked: true })
        expect(result.execution).toMatchObject({ currentState: "SUCCESS", rows: 2_000 })
        expect(result.execution.endedAt).toBeTruthy()
        expect(progress.at(-1)).toBe("Committed")
        // the commit answered ACTIVE; the execution was read again until it had ended
        const entries = yield* emulator.requestLog.entries
        const polls = entries.filter((e) =>
          e.method === "GET" && e.path === `/v1/streams/${stream.id}/executions/${result.executionId}`
        )
        expect(polls.length).toBeGreaterThan(1)
        expect(sha256(yield* exportItems(stream.dataSet.id))).toBe(yield* expectedCsv(items(2_000)))
      }).pipe(Effect.provide(testLayer())),
    60_000
  )

  it.live(
    "an asynchronous commit that ends in ERROR fails the upload at the commit stage",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const client = yield* DomoHttpClient.DomoHttpClient
        yield* emulator.faults.set({ commitDelayMs: 300 })
        const stream = yield* newStream()
        // the DataSet's schema changes once the parts are in: the emulator cannot apply them
        const error = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(500)), {
          onProgress: (event) =>
            event._tag === "Committing"
              ? Effect.asVoid(
                HttpClientRequest.put(`/v1/datasets/${stream.dataSet.id}`).pipe(
                  HttpClientRequest.bodyUnsafeJson({
                    schema: { columns: [...Item.domoSchema.columns, { type: "STRING", name: "extra" }] }
                  }),
                  client.execute,
                  Effect.orDie
                )
              )
              : Effect.void
        }).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "StreamUploadError", stage: "commit" })
        expect(error.reason).toContain("ERROR")
      }).pipe(Effect.provide(testLayer())),
    60_000
  )

  it.effect(
    "429 Retry-After is honoured on the TestClock: the part waits exactly that long",
    () =>
      Effect.gen(function*() {
        const stream = yield* newStream()
        yield* failingParts(1, { _tag: "Status", status: 429, retryAfter: 7 })
        const fiber = yield* StreamUpload.upload(stream.id, StreamUpload.fromRows(Item, items(100)), {
          concurrency: 1
        }).pipe(Effect.fork)
        // the part's retry waits for exactly the server's Retry-After (7 s) on the TestClock
        yield* eventually(
          Effect.map(pendingSleeps(60_000), (due) => due.includes(7000) ? Option.some(due) : Option.none())
        )
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        const exit = yield* driveUntilDone(fiber)
        expect(Exit.isSuccess(exit)).toBe(true)
      }).pipe(Effect.provide(testLayer())),
    60_000
  )
})
