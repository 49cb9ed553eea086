import { ActivityLogModels } from "@effect-domo/client"
import { expect, layer } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const audit = (query: string, options: { token?: string } = {}) => callJson("GET", `/v1/audit?${query}`, options)

const entries = (r: { status: number; body: unknown }) => {
  expect(r.status).toBe(200)
  expect(validate("Activity-Log-API.yaml", "GET", "/v1/audit", 200, r.body)).toEqual([])
  return Schema.decodeUnknownSync(ActivityLogModels.ActivityLogPage)(r.body)
}

layer(testLayer({ seed: 16 }))("activity log", (it) => {
  it.effect("records what the API did, across families, with Domo's entry fields", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const dataset = (yield* callJson("POST", "/v1/datasets", {
        json: { name: "Audited DataSet", schema: { columns: [{ type: "STRING", name: "a" }] } }
      })).body as { id: string }
      const user = (yield* callJson("POST", "/v1/users", {
        json: { name: "Audited User", email: "audited@example.com", role: "Participant" }
      })).body as { id: number }
      const page = (yield* callJson("POST", "/v1/pages", { json: { name: "Audited Page" } })).body as { id: number }
      const log = entries(yield* audit("start=0&limit=1000"))
      const find = (objectType: string, objectId: string) =>
        log.find((e) => e.objectType === objectType && e.objectId === objectId)
      expect(find("USER", String(user.id))).toMatchObject({
        actionType: "CREATED",
        objectName: "Audited User",
        userId: String(emulator.userId),
        userType: "USER"
      })
      expect(find("PAGE", String(page.id))).toMatchObject({ actionType: "CREATED", objectName: "Audited Page" })
      expect(log.some((e) => e.objectId === dataset.id)).toBe(true)
      // time is ISO-8601 on the wire and decodes to a DateTime
      const raw = (yield* audit("start=0&limit=1")).body as Array<{ time: string }>
      expect(raw[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
      expect(DateTime.isDateTime(log[0]!.time)).toBe(true)
    }))

  it.effect("start/end (epoch ms, inclusive), user, limit, offset", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* callJson("POST", "/v1/groups", { json: { name: "Window 1" } })
      const all = entries(yield* audit("start=0&limit=1000"))
      const last = all[all.length - 1]!
      const lastMs = DateTime.toEpochMillis(last.time)
      // a window starting after the last entry is empty; one ending before the first too
      expect(entries(yield* audit(`start=${lastMs + 1}`))).toEqual([])
      const first = DateTime.toEpochMillis(all[0]!.time)
      expect(entries(yield* audit(`start=0&end=${first - 1}`))).toEqual([])
      expect(entries(yield* audit(`start=${lastMs}&end=${lastMs}`)).length).toBeGreaterThan(0)

      // paging
      const page1 = entries(yield* audit("start=0&limit=2&offset=0"))
      const page2 = entries(yield* audit("start=0&limit=2&offset=2"))
      expect(page1.length).toBe(2)
      expect([...page1, ...page2].map((e) => e.objectId)).toEqual(all.slice(0, 4).map((e) => e.objectId))
      expect((yield* audit("start=0&limit=1000")).status).toBe(200)
      expect((yield* audit("start=0&limit=1001")).status).toBe(400)

      // by user: another client's actions are its user's
      yield* emulator.registerClient({
        clientId: "auditor",
        clientSecret: "auditor-secret",
        scopes: ["user", "audit"],
        userId: 55,
        userName: "Second Admin",
        role: "Admin",
        customer: "emulator"
      })
      const other = yield* Effect.tryPromise(() =>
        fetch(`${emulator.url}/oauth/token?grant_type=client_credentials`, {
          headers: { authorization: `Basic ${Buffer.from("auditor:auditor-secret").toString("base64")}` }
        }).then((r) => r.json() as Promise<{ access_token: string }>)
      )
      yield* callJson("POST", "/v1/groups", { json: { name: "By user 55" }, token: other.access_token })
      const mine = entries(yield* audit("start=0&limit=1000&user=55"))
      expect(mine.map((e) => e.objectName)).toEqual(["By user 55"])
      expect(mine[0]).toMatchObject({ userId: "55", userName: "Second Admin" })
      expect(entries(yield* audit(`start=0&limit=1000&user=${emulator.userId}`)).map((e) => e.objectName)).not
        .toContain("By user 55")
    }))

  it.effect("start is required; bad numbers are 400s", () =>
    Effect.gen(function*() {
      for (const query of ["", "end=5", "start=abc", "start=0&end=x", "start=10&end=5", "start=0&offset=-1"]) {
        const r = yield* audit(query)
        expect(r.status).toBe(400)
        expect(r.body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      }
    }))

  it.effect("scope: a token without `audit` gets Domo's 403", () =>
    Effect.gen(function*() {
      const r = yield* audit("start=0", { token: yield* token("data user dashboard account workflow") })
      expect(r.status).toBe(403)
      expect(r.body).toMatchObject({ status: 403, statusReason: "Forbidden" })
      expect((yield* audit("start=0", { token: yield* token("audit") })).status).toBe(200)
    }))
})
