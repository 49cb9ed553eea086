import { AccountModels } from "@effect-domo/client"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const conforms = (method: string, path: string, status: number, body: unknown) =>
  expect(validate("Account-API.yaml", method, path, status, body)).toEqual([])

const mysql = {
  name: "Warehouse",
  type: {
    id: "mysql",
    properties: { host: "db.example.com", port: "3306", database: "sales", username: "etl", password: "s3cret" }
  }
}

layer(testLayer({ seed: 14 }))("accounts", (it) => {
  it.effect("create, get, list, update (202), delete (204); properties never echoed", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/accounts", { json: mysql })
      expect(created.status).toBe(200)
      conforms("POST", "/v1/accounts", 200, created.body)
      const account = Schema.decodeUnknownSync(AccountModels.Account)(created.body)
      expect(created.body).toEqual({
        id: account.id,
        name: "Warehouse",
        valid: true,
        type: { id: "mysql", properties: {} }
      })
      // ids are digit strings
      expect(account.id).toMatch(/^\d+$/)
      expect(JSON.stringify(created.body)).not.toContain("s3cret")

      const got = yield* callJson("GET", `/v1/accounts/${account.id}`)
      conforms("GET", `/v1/accounts/${account.id}`, 200, got.body)
      expect(got.body).toEqual(created.body)

      const list = yield* callJson("GET", "/v1/accounts?limit=50&offset=0")
      conforms("GET", "/v1/accounts", 200, list.body)
      expect(list.body).toContainEqual(created.body)

      const patched = yield* callJson("PATCH", `/v1/accounts/${account.id}`, {
        json: { name: "Warehouse 2", type: { id: "mysql", properties: { password: "n3w" } } }
      })
      expect(patched.status).toBe(202)
      conforms("PATCH", `/v1/accounts/${account.id}`, 200, patched.body)
      expect(patched.body).toMatchObject({ id: account.id, name: "Warehouse 2", valid: true })
      expect((yield* callJson("PATCH", `/v1/accounts/${account.id}`, { json: { type: { id: "snowflake" } } })).status)
        .toBe(400)

      expect((yield* callJson("DELETE", `/v1/accounts/${account.id}`)).status).toBe(204)
      expect((yield* callJson("GET", `/v1/accounts/${account.id}`)).status).toBe(404)
    }))

  it.effect("create checks the account type and its required properties", () =>
    Effect.gen(function*() {
      const unknownType = yield* callJson("POST", "/v1/accounts", { json: { name: "x", type: { id: "nope" } } })
      expect(unknownType.status).toBe(400)
      expect(unknownType.body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      const missing = yield* callJson("POST", "/v1/accounts", {
        json: { name: "x", type: { id: "mysql", properties: { host: "h" } } }
      })
      expect(missing.status).toBe(400)
      const badPort = yield* callJson("POST", "/v1/accounts", {
        json: { ...mysql, type: { id: "mysql", properties: { ...mysql.type.properties, port: "abc" } } }
      })
      expect(badPort.status).toBe(400)
      expect((yield* callJson("POST", "/v1/accounts", { json: { type: { id: "mysql" } } })).status).toBe(400)
    }))

  it.effect("sharing: POST (SDKs) and GET (docs) make the account visible to the user", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* emulator.registerClient({
        clientId: "other-client",
        clientSecret: "other-secret",
        scopes: ["account", "user"],
        userId: 77,
        userName: "Other User",
        role: "Participant",
        customer: "emulator"
      })
      // the other client's user exists once it is seeded
      expect((yield* callJson("GET", "/v1/users/77")).status).toBe(200)
      const a = (yield* callJson("POST", "/v1/accounts", { json: { ...mysql, name: "Shared by POST" } })).body as {
        id: string
      }
      const b = (yield* callJson("POST", "/v1/accounts", { json: { ...mysql, name: "Shared by GET" } })).body as {
        id: string
      }
      const otherToken = yield* tokenFor("other-client", "other-secret")
      expect((yield* callJson("GET", `/v1/accounts/${a.id}`, { token: otherToken })).status).toBe(404)

      const posted = yield* callJson("POST", `/v1/accounts/${a.id}/shares`, { json: { user: { id: 77 } } })
      expect(posted.status).toBe(200)
      const viaGet = yield* callJson("GET", `/v1/accounts/${b.id}/shares?user=77`)
      expect(viaGet.status).toBe(200)
      const visible = (yield* callJson("GET", "/v1/accounts", { token: otherToken })).body as Array<{ id: string }>
      expect(visible.map((x) => x.id)).toEqual([a.id, b.id])
      expect((yield* callJson("POST", `/v1/accounts/${a.id}/shares`, { json: { user: { id: 4242 } } })).status).toBe(
        404
      )
      expect((yield* callJson("POST", `/v1/accounts/${a.id}/shares`, { json: {} })).status).toBe(400)
    }))

  it.effect("account types: list (paged) and get", () =>
    Effect.gen(function*() {
      const list = yield* callJson("GET", "/v1/account-types")
      expect(list.status).toBe(200)
      conforms("GET", "/v1/account-types", 200, list.body)
      const types = Schema.decodeUnknownSync(AccountModels.AccountTypeList)(list.body)
      expect(types.map((t) => t.id)).toContain("domo-csv")
      expect(types[0]).toEqual({ id: types[0]!.id, name: types[0]!.name })
      expect((yield* callJson("GET", "/v1/account-types?limit=2&offset=1")).body).toEqual([
        { id: types[1]!.id, name: types[1]!.name },
        { id: types[2]!.id, name: types[2]!.name }
      ])
      const got = yield* callJson("GET", "/v1/account-types/mysql")
      conforms("GET", "/v1/account-types/mysql", 200, got.body)
      const mysqlType = Schema.decodeUnknownSync(AccountModels.AccountType)(got.body)
      expect(mysqlType._templates?.["default"]?.properties?.map((p) => p.name)).toContain("password")
      expect((yield* callJson("GET", "/v1/account-types/nope")).status).toBe(404)
    }))

  it.effect("scope: a token without `account` gets Domo's 403", () =>
    Effect.gen(function*() {
      const t = yield* token("data user dashboard")
      for (
        const [method, path] of [
          ["GET", "/v1/accounts"],
          ["POST", "/v1/accounts"],
          ["GET", "/v1/accounts/1"],
          ["PATCH", "/v1/accounts/1"],
          ["DELETE", "/v1/accounts/1"],
          ["POST", "/v1/accounts/1/shares"],
          ["GET", "/v1/accounts/1/shares"],
          ["GET", "/v1/account-types"],
          ["GET", "/v1/account-types/mysql"]
        ] as const
      ) {
        const r = yield* callJson(method, path, { token: t })
        expect(r.status).toBe(403)
      }
    }))
})

const tokenFor = (clientId: string, secret: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const response = yield* Effect.tryPromise(() =>
      fetch(`${emulator.url}/oauth/token?grant_type=client_credentials`, {
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` }
      }).then((r) => r.json() as Promise<{ access_token: string }>)
    )
    return response.access_token
  })
