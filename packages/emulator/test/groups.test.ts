import { GroupModels } from "@effect-domo/client"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const conforms = (method: string, path: string, status: number, body: unknown) =>
  expect(validate("Group-API.yaml", method, path, status, body)).toEqual([])

const newUser = (email: string) =>
  Effect.map(
    callJson("POST", "/v1/users?sendInvite=false", { json: { name: email, email, role: "Participant" } }),
    (r) => (r.body as { id: number }).id
  )

layer(testLayer({ seed: 12 }))("groups", (it) => {
  it.effect("create, get, update, list, delete", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const created = yield* callJson("POST", "/v1/groups", { json: { name: "Analysts" } })
      expect(created.status).toBe(200)
      conforms("POST", "/v1/groups", 200, created.body)
      const group = Schema.decodeUnknownSync(GroupModels.Group)(created.body)
      // creatorId is a digit string, as Domo's docs show
      expect(created.body).toEqual({
        id: group.id,
        name: "Analysts",
        active: true,
        creatorId: String(emulator.userId),
        default: false
      })

      const got = yield* callJson("GET", `/v1/groups/${group.id}`)
      conforms("GET", `/v1/groups/${group.id}`, 200, got.body)
      expect(got.body).toMatchObject({ id: group.id, name: "Analysts", active: true, memberCount: 0 })

      const updated = yield* callJson("PUT", `/v1/groups/${group.id}`, {
        json: { name: "Data Analysts", active: false }
      })
      expect(updated.status).toBe(200)
      expect(updated.body).toMatchObject({ id: group.id, name: "Data Analysts", active: false })

      const list = yield* callJson("GET", "/v1/groups?limit=500&offset=0")
      conforms("GET", "/v1/groups", 200, list.body)
      expect(list.body).toContainEqual({ id: group.id, name: "Data Analysts", default: false, memberCount: 0 })

      const deleted = yield* callJson("DELETE", `/v1/groups/${group.id}`)
      expect(deleted.status).toBe(204)
      expect((yield* callJson("GET", `/v1/groups/${group.id}`)).body).toEqual({
        id: group.id,
        name: "Data Analysts",
        deleted: true
      })
      const after = yield* callJson("GET", "/v1/groups?limit=500")
      expect((after.body as Array<{ id: number }>).map((g) => g.id)).not.toContain(group.id)
      expect((yield* callJson("PUT", `/v1/groups/${group.id}`, { json: { name: "x" } })).status).toBe(404)
    }))

  it.effect("members: add, list (paged), remove", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const group = (yield* callJson("POST", "/v1/groups", { json: { name: "Team" } })).body as { id: number }
      const a = yield* newUser("a@example.com")
      const b = yield* newUser("b@example.com")
      for (const id of [emulator.userId, a, b]) {
        const r = yield* callJson("PUT", `/v1/groups/${group.id}/users/${id}`)
        expect(r.status).toBe(204)
      }
      const members = yield* callJson("GET", `/v1/groups/${group.id}/users`)
      conforms("GET", `/v1/groups/${group.id}/users`, 200, members.body)
      expect(members.body).toEqual([emulator.userId, a, b])
      expect((yield* callJson("GET", `/v1/groups/${group.id}/users?limit=1&offset=1`)).body).toEqual([a])
      expect((yield* callJson("GET", `/v1/groups/${group.id}`)).body).toMatchObject({ memberCount: 3 })
      // the user shows its groups
      expect((yield* callJson("GET", `/v1/users/${a}`)).body).toMatchObject({
        groups: [{ id: group.id, name: "Team" }]
      })

      expect((yield* callJson("DELETE", `/v1/groups/${group.id}/users/${a}`)).status).toBe(204)
      expect((yield* callJson("GET", `/v1/groups/${group.id}/users`)).body).toEqual([emulator.userId, b])
      // a deleted user leaves its groups
      expect((yield* callJson("DELETE", `/v1/users/${b}`)).status).toBe(204)
      expect((yield* callJson("GET", `/v1/groups/${group.id}/users`)).body).toEqual([emulator.userId])
      // unknown user or group: 404
      expect((yield* callJson("PUT", `/v1/groups/${group.id}/users/424242`)).status).toBe(404)
      expect((yield* callJson("PUT", `/v1/groups/999/users/${a}`)).status).toBe(404)
      expect((yield* callJson("GET", `/v1/groups/${group.id}/users?limit=501`)).status).toBe(400)
    }))

  it.effect("bad bodies and duplicate names are rejected without storing anything", () =>
    Effect.gen(function*() {
      expect((yield* callJson("POST", "/v1/groups", { json: { active: true } })).status).toBe(400)
      expect((yield* callJson("POST", "/v1/groups", { json: { name: 7 } })).status).toBe(400)
      yield* callJson("POST", "/v1/groups", { json: { name: "Unique" } })
      const dup = yield* callJson("POST", "/v1/groups", { json: { name: "UNIQUE" } })
      expect(dup.status).toBe(409)
      expect(dup.body).toMatchObject({ status: 409, statusReason: "Conflict" })
      const list = (yield* callJson("GET", "/v1/groups?limit=500")).body as Array<{ name: string }>
      expect(list.filter((g) => g.name.toLowerCase() === "unique").length).toBe(1)
    }))

  it.effect("scope: a token without `user` gets Domo's 403", () =>
    Effect.gen(function*() {
      const dataOnly = yield* token("data")
      for (
        const [method, path] of [
          ["GET", "/v1/groups"],
          ["POST", "/v1/groups"],
          ["GET", "/v1/groups/1"],
          ["PUT", "/v1/groups/1"],
          ["DELETE", "/v1/groups/1"],
          ["GET", "/v1/groups/1/users"],
          ["PUT", "/v1/groups/1/users/1"],
          ["DELETE", "/v1/groups/1/users/1"]
        ] as const
      ) {
        const r = yield* callJson(method, path, { token: dataOnly })
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ status: 403, statusReason: "Forbidden" })
      }
    }))

  describe("activity", () => {
    it.effect("group changes are recorded", () =>
      Effect.gen(function*() {
        const group = (yield* callJson("POST", "/v1/groups", { json: { name: "Audited" } })).body as { id: number }
        const log = (yield* callJson("GET", "/v1/audit?start=0&limit=1000")).body as Array<Record<string, unknown>>
        expect(log).toContainEqual(
          expect.objectContaining({ actionType: "CREATED", objectType: "GROUP", objectId: String(group.id) })
        )
      }))
  })
})
