import { Emulator } from "@effect-domo/emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
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
