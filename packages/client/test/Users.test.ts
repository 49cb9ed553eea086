import { Emulator } from "@effect-domo/emulator"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { ActivityLog } from "../src/ActivityLog.js"
import { Users } from "../src/Users.js"
import * as UsersModule from "../src/Users.js"
import { requestTotal, routeCount, scripted, testLayer, withScopes } from "./utils/families.js"

let n = 0
const email = (prefix: string) => `${prefix}.${Date.now()}.${++n}@example.com`

describe("Users against the emulator", () => {
  layer(testLayer({ seed: 11 }))((it) => {
    it.effect("create, get, update, delete: every answer decoded", () =>
      Effect.gen(function*() {
        const users = yield* Users
        const address = email("ada")
        const created = yield* users.create({
          name: "Ada Lovelace",
          email: address,
          role: "Participant",
          title: "Analyst"
        })
        expect(created.id).toBeGreaterThan(0)
        expect(created.email).toBe(address)
        expect(created.role).toBe("Participant")

        const fetched = yield* users.get(created.id)
        expect(fetched).toMatchObject({ id: created.id, name: "Ada Lovelace", title: "Analyst", email: address })

        const updated = yield* users.update(created.id, {
          name: "Ada King",
          email: address,
          role: "Privileged",
          title: "Countess"
        })
        expect(updated).toMatchObject({ id: created.id, name: "Ada King", role: "Privileged", title: "Countess" })
        expect((yield* users.get(created.id)).name).toBe("Ada King")

        yield* users.delete(created.id)
        const deleted = yield* users.get(created.id)
        expect(deleted.deleted).toBe(true)
        // deleting twice is Domo's 404, typed
        const again = yield* Effect.flip(users.delete(created.id))
        expect(again._tag).toBe("NotFoundError")
      }))

    it.effect("sendInvite reaches Domo as true/false (the activity log says whether an invite went out)", () =>
      Effect.gen(function*() {
        const users = yield* Users
        const log = yield* ActivityLog
        const start = Date.now() - 1000
        const invited = yield* users.create({ name: "Invited", email: email("inv"), role: "Participant" }, {
          sendInvite: true
        })
        const quiet = yield* users.create({ name: "Quiet", email: email("quiet"), role: "Participant" })
        const entries = Chunk.toReadonlyArray(yield* Stream.runCollect(log.entries({ start })))
        const about = (id: number) => entries.find((e) => e.objectId === String(id) && e.actionType === "CREATED")
        expect(about(invited.id)?.additionalComment).toBe("Invitation sent")
        expect(about(quiet.id)?.additionalComment ?? "").toBe("")
      }))

    it.effect("list pages lazily with the requested page size, up to Domo's 500", () =>
      Effect.gen(function*() {
        const users = yield* Users
        for (let i = 0; i < 7; i++) {
          yield* users.create({ name: `Paged ${i}`, email: email("paged"), role: "Participant" })
        }
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(users.list()))
        expect(all.length).toBeGreaterThanOrEqual(8)
        expect(new Set(all.map((u) => u.id)).size).toBe(all.length)

        // page size 3: every user once, in ceil((n+1)/3) requests (the last page is short or empty)
        const before = yield* routeCount("GET /v1/users")
        const paged = Chunk.toReadonlyArray(yield* Stream.runCollect(users.list({ pageSize: 3 })))
        expect(paged.map((u) => u.id)).toEqual(all.map((u) => u.id))
        const requests = (yield* routeCount("GET /v1/users")) - before
        expect(requests).toBe(Math.floor(all.length / 3) + 1)

        // lazy: taking 2 of a 3-item page asks for one page only
        const beforeTake = yield* routeCount("GET /v1/users")
        const two = yield* Stream.runCollect(Stream.take(users.list({ pageSize: 3 }), 2))
        expect(Chunk.size(two)).toBe(2)
        expect((yield* routeCount("GET /v1/users")) - beforeTake).toBe(1)

        // a page size above 500 is clamped to 500 (the emulator, like Domo's docs, rejects more);
        // everything fits in one page, which one more (empty) page confirms
        const beforeBig = yield* routeCount("GET /v1/users")
        expect(Chunk.size(yield* Stream.runCollect(users.list({ pageSize: 10_000 })))).toBe(all.length)
        expect((yield* routeCount("GET /v1/users")) - beforeBig).toBe(2)

        // offset skips
        const skipped = Chunk.toReadonlyArray(yield* Stream.runCollect(users.list({ offset: 2 })))
        expect(skipped.map((u) => u.id)).toEqual(all.slice(2).map((u) => u.id))
      }))

    it.effect("bad input is a typed BadRequestError and nothing is sent", () =>
      Effect.gen(function*() {
        const users = yield* Users
        const before = yield* requestTotal
        const error = yield* Effect.flip(users.get(-1))
        expect(error._tag).toBe("BadRequestError")
        expect(error.message).toContain("user id")
        const nan = yield* Effect.flip(users.delete(Number.NaN))
        expect(nan._tag).toBe("BadRequestError")
        expect(yield* requestTotal).toBe(before)

        // what only Domo can judge comes back as Domo's 400 / 409, typed, with its message
        const role = yield* Effect.flip(users.create({ name: "X", email: email("x"), role: "Emperor" }))
        expect(role._tag).toBe("BadRequestError")
        expect(role._tag === "BadRequestError" && role.status).toBe(400)
        const address = email("dup")
        yield* users.create({ name: "Dup", email: address, role: "Participant" })
        const dup = yield* Effect.flip(users.create({ name: "Dup 2", email: address, role: "Participant" }))
        expect(dup._tag).toBe("ConflictError")
        const missing = yield* Effect.flip(users.get(123))
        expect(missing._tag).toBe("NotFoundError")
      }))

    it.effect("a token without the user scope gets ForbiddenError, and nothing changes", () =>
      Effect.gen(function*() {
        const address = email("forbidden")
        const outcome = yield* Effect.gen(function*() {
          const users = yield* Users
          return [
            yield* Effect.flip(users.get(1)),
            yield* Effect.flip(Stream.runCollect(users.list())),
            yield* Effect.flip(users.create({ name: "No", email: address, role: "Participant" })),
            yield* Effect.flip(users.delete(1))
          ]
        }).pipe(withScopes(["data"]))
        for (const error of outcome) {
          expect(error._tag).toBe("ForbiddenError")
          expect(error._tag === "ForbiddenError" && error.status).toBe(403)
        }
        const all = yield* Stream.runCollect((yield* Users).list())
        expect(Chunk.some(all, (u) => u.email === address)).toBe(false)
        expect((yield* (yield* Users).get(1)).deleted ?? false).toBe(false)
      }))
  })
})

describe("Users on a scripted server", () => {
  it.scoped("an answer that does not match the wire schema is a DecodeError naming the field", () =>
    Effect.gen(function*() {
      const { context, server } = yield* scripted(UsersModule.layer)
      const users = Context.get(context, Users)
      server.script("/v1/users/5", { status: 200, body: { id: "five", name: "X" } })
      const error = yield* Effect.flip(users.get(5))
      expect(error._tag).toBe("DecodeError")
      expect(error._tag === "DecodeError" && error.at).toBe("id")
      server.script("/v1/users", { status: 200, body: { users: [] } })
      const list = yield* Effect.flip(Stream.runCollect(users.list()))
      expect(list._tag).toBe("DecodeError")
      server.script("/v1/users/6", { status: 200, body: "<html>not json</html>" })
      const html = yield* Effect.flip(users.get(6))
      expect(html._tag === "DecodeError" && html.issue).toBe("body is not JSON")
    }))

  it.scoped("a server that clamps `limit` below what was asked loses nothing", () =>
    Effect.gen(function*() {
      const { context, server } = yield* scripted(UsersModule.layer)
      const users = Context.get(context, Users)
      const page = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({ id: from + i, name: `U${from + i}` }))
      // asked for 500 a page, the server sends 50, 50, then the last 20
      server.script("/v1/users", { status: 200, body: page(1, 50) }, { status: 200, body: page(51, 50) }, {
        status: 200,
        body: page(101, 20)
      })
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(users.list()))
      expect(all.map((u) => u.id)).toEqual(page(1, 120).map((u) => u.id))
      const calls = server.state.apiCalls.filter((c) => c.path === "/v1/users")
      expect(calls.map((c) => new URLSearchParams(c.query).get("offset"))).toEqual(["0", "50", "100"])
      expect(calls.every((c) => new URLSearchParams(c.query).get("limit") === "500")).toBe(true)
    }))

  it.scoped("create sends the JSON body and sendInvite as Domo's SDKs do", () =>
    Effect.gen(function*() {
      const { context, server } = yield* scripted(UsersModule.layer)
      const users = Context.get(context, Users)
      server.script("/v1/users", { status: 201, body: { id: 77, name: "Ada", email: "a@x.io", role: "Admin" } })
      const created = yield* users.create({ name: "Ada", email: "a@x.io", role: "Admin" }, { sendInvite: true })
      expect(created.id).toBe(77)
      const call = server.state.apiCalls.at(-1)!
      expect(call.method).toBe("POST")
      expect(call.query).toBe("?sendInvite=true")
      expect(JSON.parse(call.body)).toEqual({ name: "Ada", email: "a@x.io", role: "Admin" })
      expect(call.headers["content-type"]).toContain("application/json")
    }))
})

describe("Users paging under faults (real time)", () => {
  layer(testLayer({ seed: 21 }), { excludeTestServices: true })((it) => {
    it.effect("a page answered 503 + Retry-After is retried: every user exactly once", () =>
      Effect.gen(function*() {
        const users = yield* Users
        const emulator = yield* Emulator.Emulator
        for (let i = 0; i < 5; i++) {
          yield* users.create({ name: `Fault ${i}`, email: email("fault"), role: "Participant" })
        }
        const expected = Chunk.toReadonlyArray(yield* Stream.runCollect(users.list())).map((u) => u.id)
        const before = yield* routeCount("GET /v1/users")
        let armed = false
        const seen = yield* users.list({ pageSize: 2 }).pipe(
          // once the first page is in, the next page request (not yet made: paging is lazy) fails once
          Stream.tap(() =>
            armed ? Effect.void : Effect.zipRight(
              Effect.sync(() => {
                armed = true
              }),
              emulator.faults.script({
                method: "GET",
                path: "/v1/users",
                times: 1,
                fault: { _tag: "Status", status: 503, retryAfter: 1 }
              })
            )
          ),
          Stream.runCollect
        )
        expect(Chunk.toReadonlyArray(seen).map((u) => u.id)).toEqual(expected)
        const pages = Math.floor(expected.length / 2) + 1
        expect((yield* routeCount("GET /v1/users")) - before).toBe(pages + 1)
      }))
  })
})
