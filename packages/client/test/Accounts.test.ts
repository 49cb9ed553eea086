import { describe, expect, it, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as AccountModels from "../src/AccountModels.js"
import { Accounts } from "../src/Accounts.js"
import * as AccountsModule from "../src/Accounts.js"
import { as, registerClient, requestTotal, routeCount, scripted, testLayer, withScopes } from "./utils/families.js"

let n = 0
const unique = (prefix: string) => `${prefix} ${Date.now()} ${++n}`

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const mysql = (name: string): AccountModels.CreateAccount => ({
  name,
  type: {
    id: "mysql",
    properties: { host: "db.example.com", port: "3306", database: "sales", username: "etl", password: "s3cr3t-pw" }
  }
})

describe("Accounts against the emulator", () => {
  layer(testLayer({ seed: 17 }))((it) => {
    it.effect("account types: list (paged) and get with the property templates", () =>
      Effect.gen(function*() {
        const accounts = yield* Accounts
        const types = yield* collect(accounts.listTypes())
        expect(types.map((t) => t.id)).toContain("mysql")
        expect(types.map((t) => t.id)).toContain("domo-csv")

        const before = yield* routeCount("GET /v1/account-types")
        expect((yield* collect(accounts.listTypes({ pageSize: 2 }))).map((t) => t.id)).toEqual(types.map((t) => t.id))
        expect((yield* routeCount("GET /v1/account-types")) - before).toBe(Math.floor(types.length / 2) + 1)

        const type = yield* accounts.getType("mysql")
        expect(type.name).toBe("MySQL")
        const names = type._templates?.["default"]?.properties?.map((p) => p.name)
        expect(names).toEqual(expect.arrayContaining(["host", "port", "password"]))
        expect((yield* Effect.flip(accounts.getType("no-such-type")))._tag).toBe("NotFoundError")
      }))

    it.effect("create, get, list, update (PATCH), delete; properties are never echoed", () =>
      Effect.gen(function*() {
        const accounts = yield* Accounts
        const created = yield* accounts.create(mysql(unique("Warehouse")))
        expect(created.id).toMatch(/^\d+$/)
        expect(created.type?.id).toBe("mysql")
        expect(JSON.stringify(created)).not.toContain("s3cr3t-pw")

        const fetched = yield* accounts.get(created.id)
        expect(fetched).toMatchObject({ id: created.id, name: created.name })
        expect(JSON.stringify(fetched)).not.toContain("s3cr3t-pw")
        expect((yield* collect(accounts.list())).some((a) => a.id === created.id)).toBe(true)

        const updated = yield* accounts.update(created.id, {
          name: "Warehouse (prod)",
          type: { id: "mysql", properties: { password: "n3w-pw" } }
        })
        expect(updated).toMatchObject({ id: created.id, name: "Warehouse (prod)" })
        expect((yield* accounts.get(created.id)).name).toBe("Warehouse (prod)")

        yield* accounts.delete(created.id)
        expect((yield* Effect.flip(accounts.get(created.id)))._tag).toBe("NotFoundError")
      }))

    it.effect("share: another user sees the account only once it is shared", () =>
      Effect.gen(function*() {
        const accounts = yield* Accounts
        const other = yield* registerClient(7777, "Colleague")
        const account = yield* accounts.create(mysql(unique("Shared")))
        const hidden = yield* Effect.flatMap(Accounts, (a) => Effect.flip(a.get(account.id))).pipe(as(other))
        expect(hidden._tag).toBe("NotFoundError")

        yield* accounts.share(account.id, 7777)
        const seen = yield* Effect.flatMap(Accounts, (a) => a.get(account.id)).pipe(as(other))
        expect(seen.id).toBe(account.id)
        const listed = yield* Effect.flatMap(Accounts, (a) => collect(a.list())).pipe(as(other))
        expect(listed.some((a) => a.id === account.id)).toBe(true)

        const nobody = yield* Effect.flip(accounts.share(account.id, 99_999))
        expect(nobody._tag).toBe("NotFoundError")
      }))

    it.effect("bad input: typed errors, before sending when the client can tell", () =>
      Effect.gen(function*() {
        const accounts = yield* Accounts
        const before = yield* requestTotal
        expect((yield* Effect.flip(accounts.get("  ")))._tag).toBe("BadRequestError")
        expect((yield* Effect.flip(accounts.share("1", -1)))._tag).toBe("BadRequestError")
        expect(yield* requestTotal).toBe(before)

        const unknownType = yield* Effect.flip(accounts.create({ name: "X", type: { id: "nope", properties: {} } }))
        expect(unknownType._tag === "BadRequestError" && unknownType.status).toBe(400)
        const missingProperty = yield* Effect.flip(
          accounts.create({ name: "X", type: { id: "mysql", properties: { host: "h" } } })
        )
        expect(missingProperty._tag === "BadRequestError" && missingProperty.status).toBe(400)
        expect(missingProperty.message).toContain("requires the property")
      }))

    it.effect("a token without the account scope gets ForbiddenError", () =>
      Effect.gen(function*() {
        const name = unique("Forbidden")
        const errors = yield* Effect.gen(function*() {
          const accounts = yield* Accounts
          return [
            yield* Effect.flip(collect(accounts.list())),
            yield* Effect.flip(accounts.create(mysql(name))),
            yield* Effect.flip(collect(accounts.listTypes())),
            yield* Effect.flip(accounts.getType("mysql"))
          ]
        }).pipe(withScopes(["data", "user", "dashboard"]))
        for (const error of errors) expect(error._tag).toBe("ForbiddenError")
        expect((yield* collect((yield* Accounts).list())).some((a) => a.name === name)).toBe(false)
      }))
  })
})

describe("Accounts on a scripted server", () => {
  it.scoped("update answered 202 with no body (pydomo's expectation): the account is read back", () =>
    Effect.gen(function*() {
      const { context, server } = yield* scripted(AccountsModule.layer)
      const accounts = Context.get(context, Accounts)
      server.script("/v1/accounts/88", { status: 202, body: "" }, {
        status: 200,
        body: { id: "88", name: "Leonhard Euler's Account", valid: true, type: { id: "xyz", properties: {} } }
      })
      const updated = yield* accounts.update("88", { name: "Leonhard Euler's Account" })
      expect(updated).toEqual({
        id: "88",
        name: "Leonhard Euler's Account",
        valid: true,
        type: { id: "xyz", properties: {} }
      })
      expect(server.state.apiCalls.slice(-2).map((c) => c.method)).toEqual(["PATCH", "GET"])
      // the docs' 200-with-the-account needs no read-back; a numeric id decodes to Domo's digit string
      server.script("/v1/accounts/89", { status: 200, body: { id: 89, name: "Other", valid: false } })
      const direct = yield* accounts.update("89", { name: "Other" })
      expect(direct.id).toBe("89")
      expect(server.state.apiCalls.at(-1)?.method).toBe("PATCH")
      // delete: the docs' 200 with an empty body and pydomo's 204 both succeed
      server.script("/v1/accounts/90", { status: 200, body: "" }, { status: 204 })
      yield* accounts.delete("90")
      yield* accounts.delete("90")
      // share goes as the SDKs send it
      server.script("/v1/accounts/88/shares", { status: 200, body: "" })
      yield* accounts.share("88", 27)
      const share = server.state.apiCalls.at(-1)!
      expect(share.method).toBe("POST")
      expect(JSON.parse(share.body)).toEqual({ user: { id: 27 } })
    }))
})
