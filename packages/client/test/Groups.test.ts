import { describe, expect, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Groups } from "../src/Groups.js"
import { Users } from "../src/Users.js"
import { requestTotal, routeCount, testLayer, withScopes } from "./utils/families.js"

let n = 0
const unique = (prefix: string) => `${prefix} ${Date.now()} ${++n}`

describe("Groups against the emulator", () => {
  layer(testLayer({ seed: 12 }))((it) => {
    it.effect("create, get, update, list, delete", () =>
      Effect.gen(function*() {
        const groups = yield* Groups
        const name = unique("Analysts")
        const created = yield* groups.create({ name })
        expect(created.id).toBeGreaterThan(0)
        expect(created.name).toBe(name)
        // Domo sends creatorId as a digit string
        expect(typeof created.creatorId).toBe("string")

        const fetched = yield* groups.get(created.id)
        expect(fetched).toMatchObject({ id: created.id, name })

        const renamed = yield* groups.update(created.id, { name: `${name} (EU)`, active: true })
        expect(renamed.name).toBe(`${name} (EU)`)
        expect((yield* groups.get(created.id)).name).toBe(`${name} (EU)`)

        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(groups.list()))
        expect(all.some((g) => g.id === created.id && g.name === `${name} (EU)`)).toBe(true)

        yield* groups.delete(created.id)
        const after = Chunk.toReadonlyArray(yield* Stream.runCollect(groups.list()))
        expect(after.some((g) => g.id === created.id)).toBe(false)
      }))

    it.effect("members: add, list (paged), remove; adding twice is harmless", () =>
      Effect.gen(function*() {
        const groups = yield* Groups
        const users = yield* Users
        const group = yield* groups.create({ name: unique("Members") })
        const ids: Array<number> = []
        for (let i = 0; i < 5; i++) {
          const user = yield* users.create({
            name: `Member ${i}`,
            email: `member.${Date.now()}.${++n}@example.com`,
            role: "Participant"
          })
          ids.push(user.id)
          yield* groups.addMember(group.id, user.id)
        }
        yield* groups.addMember(group.id, ids[0]!)
        const members = Chunk.toReadonlyArray(yield* Stream.runCollect(groups.members(group.id)))
        expect([...members].sort()).toEqual([...ids].sort())

        const before = yield* routeCount("GET /v1/groups/:id/users")
        const paged = Chunk.toReadonlyArray(yield* Stream.runCollect(groups.members(group.id, { pageSize: 2 })))
        expect(paged).toEqual(members)
        // 2 + 2 + 1: the short third page ends the stream
        expect((yield* routeCount("GET /v1/groups/:id/users")) - before).toBe(3)

        yield* groups.removeMember(group.id, ids[1]!)
        const remaining = Chunk.toReadonlyArray(yield* Stream.runCollect(groups.members(group.id)))
        expect(remaining).not.toContain(ids[1])
        expect(remaining.length).toBe(4)
        // the user's own record lists the group
        const user = yield* users.get(ids[0]!)
        expect(user.groups?.some((g) => g.id === group.id)).toBe(true)
      }))

    it.effect("bad input and missing groups are typed errors", () =>
      Effect.gen(function*() {
        const groups = yield* Groups
        const before = yield* requestTotal
        const bad = yield* Effect.flip(groups.addMember(1.5, 1))
        expect(bad._tag).toBe("BadRequestError")
        const badUser = yield* Effect.flip(groups.addMember(1, -3))
        expect(badUser._tag).toBe("BadRequestError")
        expect(yield* requestTotal).toBe(before)
        const badMembers = yield* Effect.flip(Stream.runCollect(groups.members(-1)))
        expect(badMembers._tag).toBe("BadRequestError")

        const missing = yield* Effect.flip(groups.get(987654))
        expect(missing._tag).toBe("NotFoundError")
        const empty = yield* Effect.flip(groups.create({ name: "" }))
        expect(empty._tag).toBe("BadRequestError")
      }))

    it.effect("a token without the user scope gets ForbiddenError", () =>
      Effect.gen(function*() {
        const name = unique("Forbidden")
        const errors = yield* Effect.gen(function*() {
          const groups = yield* Groups
          return [
            yield* Effect.flip(Stream.runCollect(groups.list())),
            yield* Effect.flip(groups.create({ name })),
            yield* Effect.flip(groups.addMember(1, 1)),
            yield* Effect.flip(Stream.runCollect(groups.members(1)))
          ]
        }).pipe(withScopes(["data", "dashboard"]))
        for (const error of errors) expect(error._tag).toBe("ForbiddenError")
        const all = yield* Stream.runCollect((yield* Groups).list())
        expect(Chunk.some(all, (g) => g.name === name)).toBe(false)
      }))
  })
})
