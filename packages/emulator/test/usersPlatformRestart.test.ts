import { AccountModels, ActivityLogModels, GroupModels, ProjectModels, UserModels } from "@effect-domo/client"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import * as Emulator from "../src/Emulator.js"
import { callJson } from "./helpers.js"

const withEmulator = <A, E>(
  options: Emulator.EmulatorOptions,
  effect: Effect.Effect<A, E, Emulator.Emulator | HttpClient.HttpClient>
) => Effect.scoped(Effect.provide(effect, Layer.merge(Emulator.layer(options), NodeHttpClient.layerUndici)))

describe("platform families on a data file", () => {
  it.live(
    "users, groups, pages, accounts, projects and the activity log survive a restart",
    () =>
      Effect.gen(function*() {
        const dataFile = Emulator.tempDataFile()
        const first = yield* withEmulator(
          { dataFile },
          Effect.gen(function*() {
            const user = (yield* callJson("POST", "/v1/users/", {
              json: { name: "Kept User", email: "kept@example.com", role: "Participant" }
            })).body as { id: number }
            const group = (yield* callJson("POST", "/v1/groups/", { json: { name: "Kept Group" } })).body as {
              id: number
            }
            yield* callJson("PUT", `/v1/groups/${group.id}/users/${user.id}`)
            const page = (yield* callJson("POST", "/v1/pages", { json: { name: "Kept Page" } })).body as { id: number }
            const account = (yield* callJson("POST", "/v1/accounts", {
              json: { name: "Kept Account", type: { id: "google-sheets", properties: { refreshToken: "t" } } }
            })).body as { id: string }
            const project = (yield* callJson("POST", "/v1/projects", { json: { name: "Kept Project" } })).body as {
              id: string
            }
            const embed = (yield* callJson("POST", "/v1/cards/embed/auth", {
              json: { authorizations: [{ token: "Ab3dE", permissions: ["READ"] }] }
            })).body as { authentication: string }
            // the demo client's user is deleted: it must stay deleted after the restart (seeded once)
            const emulator = yield* Emulator.Emulator
            const demoDeleted = (yield* callJson("DELETE", `/v1/users/${emulator.userId}`)).status
            return { user, group, page, account, project, embed, demoDeleted, demo: emulator.userId }
          })
        )
        const second = yield* withEmulator(
          { dataFile },
          Effect.gen(function*() {
            return {
              user: yield* callJson("GET", `/v1/users/${first.user.id}`),
              demo: yield* callJson("GET", `/v1/users/${first.demo}`),
              embed: yield* callJson("POST", "/v1/stories/embed/auth", {
                json: { authorizations: [{ token: "Ab3dE", permissions: ["READ"] }] }
              }),
              members: yield* callJson("GET", `/v1/groups/${first.group.id}/users`),
              page: yield* callJson("GET", `/v1/pages/${first.page.id}`),
              account: yield* callJson("GET", `/v1/accounts/${first.account.id}`),
              project: yield* callJson("GET", `/v1/projects/${first.project.id}`),
              users: yield* callJson("GET", "/v1/users?limit=500"),
              log: yield* callJson("GET", "/v1/audit?start=0&limit=1000"),
              nextUser: yield* callJson("POST", "/v1/users", {
                json: { name: "Next", email: "next@example.com", role: "Participant" }
              })
            }
          })
        )
        Fs.rmSync(dataFile, { force: true })
        expect(Schema.decodeUnknownSync(UserModels.User)(second.user.body)).toMatchObject({
          name: "Kept User",
          groups: [{ id: first.group.id, name: "Kept Group" }]
        })
        expect(first.demoDeleted).toBe(204)
        expect(first.embed.authentication.split(".").length).toBe(3)
        expect(second.embed.status).toBe(200)
        expect(second.demo.body).toMatchObject({ id: first.demo, deleted: true })
        expect(second.members.body).toEqual([first.user.id])
        expect(second.page.body).toMatchObject({ name: "Kept Page" })
        expect(Schema.decodeUnknownSync(AccountModels.Account)(second.account.body).name).toBe("Kept Account")
        expect(Schema.decodeUnknownSync(ProjectModels.Project)(second.project.body).name).toBe("Kept Project")
        // the seeded user is not seeded twice; new ids do not collide with kept ones
        const ids = (second.users.body as Array<{ id: number }>).map((u) => u.id)
        expect(new Set(ids).size).toBe(ids.length)
        expect((second.nextUser.body as { id: number }).id).toBeGreaterThan(first.user.id)
        const log = Schema.decodeUnknownSync(ActivityLogModels.ActivityLogPage)(second.log.body)
        expect(log.map((e) => e.objectName)).toEqual(
          expect.arrayContaining(["Kept User", "Kept Group", "Kept Page", "Kept Account", "Kept Project"])
        )
      }),
    30_000
  )
})

describe("wire schemas decode what Domo's docs and SDKs send", () => {
  it("activity-log time in either format, a bare entry as a one-entry page", () => {
    const page = Schema.decodeUnknownSync(ActivityLogModels.ActivityLogPage)({
      userName: "Domo Admin",
      userId: 27,
      actorId: "0",
      objectId: 1234,
      time: "2017-12-13 10:57:35 PM",
      actionType: "VIEWED"
    })
    expect(page.length).toBe(1)
    expect(page[0]).toMatchObject({ userId: "27", actorId: 0, objectId: "1234" })
    expect(DateTime.formatIso(page[0]!.time)).toBe("2017-12-13T22:57:35.000Z")
    const iso = Schema.decodeUnknownSync(ActivityLogModels.ActivityLogPage)([{ time: "2017-12-13T22:57:35Z" }])
    expect(DateTime.toEpochMillis(iso[0]!.time)).toBe(DateTime.toEpochMillis(page[0]!.time))
    expect(() => Schema.decodeUnknownSync(ActivityLogModels.ActivityLogPage)([{ time: "yesterday" }])).toThrow()
  })

  it("ids as strings or numbers", () => {
    expect(Schema.decodeUnknownSync(GroupModels.Group)({ id: "5", creatorId: 87659738 })).toEqual({
      id: 5,
      creatorId: "87659738"
    })
    expect(Schema.encodeSync(GroupModels.Group)({ id: 5, creatorId: "87659738" })).toEqual({
      id: 5,
      creatorId: "87659738"
    })
    expect(Schema.decodeUnknownSync(AccountModels.Account)({ id: 88 }).id).toBe("88")
    expect(Schema.decodeUnknownSync(UserModels.User)({ id: 1, roleId: 1 }).roleId).toBe("1")
    expect(Schema.decodeUnknownSync(ProjectModels.Task)({ id: 7, tags: ["a", { name: "b" }] })).toEqual({
      id: "7",
      tags: ["a", { name: "b" }]
    })
  })
})
