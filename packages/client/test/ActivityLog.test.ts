import { describe, expect, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { ActivityLog } from "../src/ActivityLog.js"
import * as ActivityLogModule from "../src/ActivityLog.js"
import type * as GroupModels from "../src/GroupModels.js"
import { Groups } from "../src/Groups.js"
import { as, registerClient, requestTotal, routeCount, scripted, testLayer, withScopes } from "./utils/families.js"

let n = 0
const unique = (prefix: string) => `${prefix} ${Date.now()} ${++n}`

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

describe("ActivityLog against the emulator", () => {
  layer(testLayer({ seed: 13 }))((it) => {
    it.effect("entries between two instants: what the API did, decoded (time as a DateTime)", () =>
      Effect.gen(function*() {
        const log = yield* ActivityLog
        const groups = yield* Groups
        const start = new Date(Date.now() - 1000)
        const names = [unique("Audit A"), unique("Audit B"), unique("Audit C")]
        const created: Array<GroupModels.Group> = []
        for (const name of names) created.push(yield* groups.create({ name }))
        const entries = yield* collect(log.entries({ start, end: Date.now() + 1000 }))
        for (const group of created) {
          const entry = entries.find((e) => e.objectId === String(group.id) && e.actionType === "CREATED")
          expect(entry).toBeDefined()
          expect(entry?.objectType).toBe("GROUP")
          expect(DateTime.isDateTime(entry?.time)).toBe(true)
          expect(DateTime.toEpochMillis(entry!.time)).toBeGreaterThanOrEqual(start.getTime() - 1000)
        }

        // a window that ends before they were made holds none of them
        const before = yield* collect(log.entries({ start: 0, end: start }))
        expect(before.some((e) => created.some((g) => e.objectId === String(g.id)))).toBe(false)
      }))

    it.effect("pages through everything, lazily, at most 1000 a page", () =>
      Effect.gen(function*() {
        const log = yield* ActivityLog
        const groups = yield* Groups
        const start = Date.now() - 1000
        for (let i = 0; i < 7; i++) yield* groups.create({ name: unique("Paged audit") })
        const end = Date.now() + 1000
        const all = yield* collect(log.entries({ start, end }))
        expect(all.length).toBeGreaterThanOrEqual(7)

        const before = yield* routeCount("GET /v1/audit")
        const paged = yield* collect(log.entries({ start, end, pageSize: 2 }))
        expect(paged).toEqual(all)
        expect((yield* routeCount("GET /v1/audit")) - before).toBe(Math.floor(all.length / 2) + 1)

        const beforeTake = yield* routeCount("GET /v1/audit")
        expect((yield* collect(Stream.take(log.entries({ start, end, pageSize: 2 }), 3))).length).toBe(3)
        expect((yield* routeCount("GET /v1/audit")) - beforeTake).toBe(2)

        // 5000 asked, 1000 sent (Domo's maximum): all in one page, confirmed by one empty page
        const beforeBig = yield* routeCount("GET /v1/audit")
        expect(yield* collect(log.entries({ start, end, pageSize: 5000 }))).toEqual(all)
        expect((yield* routeCount("GET /v1/audit")) - beforeBig).toBe(2)
      }))

    it.effect("filtered by user: only that user's entries", () =>
      Effect.gen(function*() {
        const log = yield* ActivityLog
        const other = yield* registerClient(4242, "Other Admin")
        const start = Date.now() - 1000
        const mine = yield* (yield* Groups).create({ name: unique("Mine") })
        const theirs = yield* Effect.flatMap(Groups, (groups) => groups.create({ name: unique("Theirs") })).pipe(
          as(other)
        )
        const end = Date.now() + 1000
        const theirEntries = yield* collect(log.entries({ start, end, userId: 4242 }))
        expect(theirEntries.length).toBeGreaterThan(0)
        expect(theirEntries.every((e) => e.userId === "4242")).toBe(true)
        expect(theirEntries.some((e) => e.objectId === String(theirs.id))).toBe(true)
        expect(theirEntries.some((e) => e.objectId === String(mine.id))).toBe(false)
        const everyone = yield* collect(log.entries({ start, end }))
        expect(everyone.some((e) => e.objectId === String(mine.id))).toBe(true)
      }))

    it.effect("invalid instants fail with BadRequestError before any call", () =>
      Effect.gen(function*() {
        const log = yield* ActivityLog
        const before = yield* requestTotal
        const reversed = yield* Effect.flip(Stream.runCollect(log.entries({ start: 2000, end: 1000 })))
        expect(reversed._tag).toBe("BadRequestError")
        expect(reversed.message).toContain("end is before start")
        const invalid = yield* Effect.flip(Stream.runCollect(log.entries({ start: new Date("nope") })))
        expect(invalid._tag).toBe("BadRequestError")
        const badUser = yield* Effect.flip(Stream.runCollect(log.entries({ start: 0, userId: -1 })))
        expect(badUser._tag).toBe("BadRequestError")
        expect(yield* requestTotal).toBe(before)
      }))

    it.effect("a token without the audit scope gets ForbiddenError", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flatMap(ActivityLog, (log) =>
          Effect.flip(Stream.runCollect(log.entries({ start: 0 }))))
          .pipe(withScopes(["data", "user"]))
        expect(error._tag).toBe("ForbiddenError")
        expect(error._tag === "ForbiddenError" && error.status).toBe(403)
      }))
  })
})

describe("ActivityLog on a scripted server", () => {
  it.scoped("the shape of Domo's docs: one object instead of an array, time as `yyyy-MM-dd h:mm:ss PM`", () =>
    Effect.gen(function*() {
      const { context, server } = yield* scripted(ActivityLogModule.layer)
      const log = Context.get(context, ActivityLog)
      server.script("/v1/audit", {
        status: 200,
        body: {
          userName: "Leonhard Euler",
          userId: "27",
          userType: "USER",
          actorId: 0,
          objectName: "Sales",
          objectId: "1234",
          objectType: "PAGE",
          time: "2017-12-13 10:57:35 PM",
          device: "desktop",
          actionType: "VIEWED"
        }
      }, { status: 200, body: [] })
      const entries = yield* collect(log.entries({ start: 0, end: new Date("2018-01-01T00:00:00Z"), userId: 27 }))
      expect(entries.length).toBe(1)
      expect(DateTime.formatIso(entries[0]!.time)).toBe("2017-12-13T22:57:35.000Z")
      expect(entries[0]!.actionType).toBe("VIEWED")
      // a first page shorter than `limit` is confirmed by one more (here empty) page
      const calls = server.state.apiCalls.filter((c) => c.path === "/v1/audit")
      expect(calls.map((c) => new URLSearchParams(c.query).get("offset"))).toEqual(["0", "1"])
      const query = new URLSearchParams(calls[0]!.query)
      expect(Object.fromEntries(query)).toEqual({
        start: "0",
        end: String(Date.UTC(2018, 0, 1)),
        user: "27",
        limit: "1000",
        offset: "0"
      })
    }))
})
