import { UserModels } from "@effect-domo/client"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const conforms = (method: string, path: string, status: number, body: unknown) =>
  expect(validate("User-API.yaml", method, path, status, body)).toEqual([])

layer(testLayer({ seed: 11 }))("users", (it) => {
  describe("seeded demo user", () => {
    it.effect("the demo client's user exists as an Admin", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator
        const got = yield* callJson("GET", `/v1/users/${emulator.userId}`)
        expect(got.status).toBe(200)
        conforms("GET", `/v1/users/${emulator.userId}`, 200, got.body)
        const user = Schema.decodeUnknownSync(UserModels.User)(got.body)
        expect(user).toMatchObject({ id: emulator.userId, role: "Admin", roleId: "1", deleted: false })
        const list = yield* callJson("GET", "/v1/users?limit=500")
        expect((list.body as Array<{ id: number }>).map((u) => u.id)).toContain(emulator.userId)
      }))
  })

  it.effect("create, get, update, list, delete", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/users?sendInvite=False", {
        json: { name: "Ada Lovelace", email: "ada@example.com", role: "Privileged", title: "Analyst", timezone: "UTC" }
      })
      expect(created.status).toBe(200)
      conforms("POST", "/v1/users", 200, created.body)
      const user = Schema.decodeUnknownSync(UserModels.User)(created.body)
      expect(user).toMatchObject({
        name: "Ada Lovelace",
        email: "ada@example.com",
        role: "Privileged",
        title: "Analyst"
      })
      // Domo's create answer omits timezone and locale
      expect(created.body).not.toHaveProperty("timezone")

      const got = yield* callJson("GET", `/v1/users/${user.id}`)
      conforms("GET", `/v1/users/${user.id}`, 200, got.body)
      expect(got.body).toMatchObject({ id: user.id, timezone: "UTC", groups: [], deleted: false })

      const updated = yield* callJson("PUT", `/v1/users/${user.id}`, {
        json: { name: "Ada King", email: "ada@example.com", role: "Admin" }
      })
      expect(updated.status).toBe(200)
      expect(updated.body).toMatchObject({
        id: user.id,
        name: "Ada King",
        role: "Admin",
        roleId: "1",
        title: "Analyst"
      })

      const list = yield* callJson("GET", "/v1/users?limit=500&offset=0")
      expect(list.status).toBe(200)
      conforms("GET", "/v1/users", 200, list.body)
      const item = (list.body as Array<{ id: number }>).find((u) => u.id === user.id)
      expect(item).toEqual({ id: user.id, name: "Ada King", email: "ada@example.com", role: "Admin", title: "Analyst" })

      const deleted = yield* callJson("DELETE", `/v1/users/${user.id}`)
      expect(deleted.status).toBe(204)
      const after = yield* callJson("GET", `/v1/users/${user.id}`)
      expect(after.body).toMatchObject({ id: user.id, deleted: true })
      const listAfter = yield* callJson("GET", "/v1/users?limit=500")
      expect((listAfter.body as Array<{ id: number }>).map((u) => u.id)).not.toContain(user.id)
      expect((yield* callJson("DELETE", `/v1/users/${user.id}`)).status).toBe(404)
    }))

  it.effect("sendInvite is parsed case-insensitively; bad values and bodies are 400s", () =>
    Effect.gen(function*() {
      for (const [i, invite] of ["true", "TRUE", "True", "false", "FALSE"].entries()) {
        const r = yield* callJson("POST", `/v1/users?sendInvite=${invite}`, {
          json: { name: `Invitee ${i}`, email: `invitee${i}@example.com`, role: "Participant" }
        })
        expect(r.status).toBe(200)
      }
      const bad = yield* callJson("POST", "/v1/users?sendInvite=maybe", {
        json: { name: "X", email: "x@example.com", role: "Participant" }
      })
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      const missing = yield* callJson("POST", "/v1/users", { json: { name: "No Email", role: "Participant" } })
      expect(missing.status).toBe(400)
      const role = yield* callJson("POST", "/v1/users", {
        json: { name: "Bad Role", email: "role@example.com", role: "Overlord" }
      })
      expect(role.status).toBe(400)
      const dup = yield* callJson("POST", "/v1/users", {
        json: { name: "Again", email: "INVITEE0@example.com", role: "Participant" }
      })
      expect(dup.status).toBe(409)
      // nothing was stored by the failed calls
      const all = yield* callJson("GET", "/v1/users?limit=500")
      expect((all.body as Array<{ email: string }>).filter((u) => u.email === "role@example.com")).toEqual([])
    }))

  it.effect("paging: limit 1..500, offset", () =>
    Effect.gen(function*() {
      const page1 = yield* callJson("GET", "/v1/users?limit=2&offset=0")
      const page2 = yield* callJson("GET", "/v1/users?limit=2&offset=2")
      const ids1 = (page1.body as Array<{ id: number }>).map((u) => u.id)
      const ids2 = (page2.body as Array<{ id: number }>).map((u) => u.id)
      expect(ids1.length).toBe(2)
      expect(ids1.some((id) => ids2.includes(id))).toBe(false)
      expect((yield* callJson("GET", "/v1/users?limit=501")).status).toBe(400)
      expect((yield* callJson("GET", "/v1/users?limit=0")).status).toBe(400)
    }))

  it.effect("unknown users are 404s with Domo's body", () =>
    Effect.gen(function*() {
      const r = yield* callJson("GET", "/v1/users/999")
      expect(r.status).toBe(404)
      expect(r.body).toMatchObject({ status: 404, statusReason: "Not Found" })
      expect((yield* callJson("PUT", "/v1/users/999", { json: { name: "x" } })).status).toBe(404)
    }))

  it.effect("a user owning a DataSet cannot be deleted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* callJson("POST", "/v1/datasets", {
        json: { name: "owned", schema: { columns: [{ type: "STRING", name: "a" }] } }
      })
      const r = yield* callJson("DELETE", `/v1/users/${emulator.userId}`)
      expect(r.status).toBe(400)
      expect((yield* callJson("GET", `/v1/users/${emulator.userId}`)).body).toMatchObject({ deleted: false })
    }))

  it.effect("scope: a token without `user` gets Domo's 403", () =>
    Effect.gen(function*() {
      const dataOnly = yield* token("data")
      for (
        const [method, path] of [
          ["GET", "/v1/users"],
          ["GET", "/v1/users/1"],
          ["POST", "/v1/users"],
          ["PUT", "/v1/users/1"],
          ["DELETE", "/v1/users/1"]
        ] as const
      ) {
        const r = yield* callJson(method, path, { token: dataOnly, json: {} })
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ status: 403, statusReason: "Forbidden" })
      }
      expect((yield* callJson("GET", "/v1/users", { token: yield* token("user") })).status).toBe(200)
    }))

  it.effect("concurrent creates get distinct ids", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const created = yield* Effect.forEach(
        Array.from({ length: 25 }, (_, i) => i),
        (i) =>
          callJson("POST", "/v1/users", {
            token: bearer,
            json: { name: `Parallel ${i}`, email: `parallel${i}@example.com`, role: "Participant" }
          }),
        { concurrency: "unbounded" }
      )
      expect(created.map((r) => r.status)).toEqual(created.map(() => 200))
      const ids = created.map((r) => (r.body as { id: number }).id)
      expect(new Set(ids).size).toBe(ids.length)
    }))

  it.effect("changes are recorded in the activity log", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/users?sendInvite=true", {
        json: { name: "Logged User", email: "logged@example.com", role: "Participant" }
      })
      const id = (created.body as { id: number }).id
      const log = yield* callJson("GET", "/v1/audit?start=0&limit=1000")
      expect(log.status).toBe(200)
      expect(log.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actionType: "CREATED",
            objectType: "USER",
            objectId: String(id),
            objectName: "Logged User"
          })
        ])
      )
    }))
})
