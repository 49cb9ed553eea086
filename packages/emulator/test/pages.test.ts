import { PageModels } from "@effect-domo/client"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const conforms = (method: string, path: string, status: number, body: unknown) =>
  expect(validate("Page-API.yaml", method, path, status, body)).toEqual([])

const createPage = (json: unknown) =>
  Effect.map(callJson("POST", "/v1/pages", { json }), (r) => {
    expect(r.status).toBe(200)
    return Schema.decodeUnknownSync(PageModels.Page)(r.body)
  })

layer(testLayer({ seed: 13 }))("pages", (it) => {
  it.effect("create, get, update, delete, and the tree", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const created = yield* callJson("POST", "/v1/pages", {
        json: { name: "Sales", locked: true, cardIds: [11, 12], visibility: { userIds: [emulator.userId] } }
      })
      expect(created.status).toBe(200)
      conforms("POST", "/v1/pages", 200, created.body)
      const top = Schema.decodeUnknownSync(PageModels.Page)(created.body)
      expect(top).toMatchObject({
        name: "Sales",
        parentId: 0,
        locked: true,
        cardIds: [11, 12],
        owners: [{ id: emulator.userId, type: "USER" }],
        visibility: { userIds: [emulator.userId], groupIds: [] }
      })
      const child = yield* createPage({ name: "Sales EMEA", parentId: top.id })
      const grandchild = yield* createPage({ name: "Sales UK", parentId: child.id })
      expect(child.parentId).toBe(top.id)

      const got = yield* callJson("GET", `/v1/pages/${child.id}`)
      conforms("GET", `/v1/pages/${child.id}`, 200, got.body)
      expect(got.body).toMatchObject({ id: child.id, name: "Sales EMEA", parentId: top.id, collectionIds: [] })

      const tree = yield* callJson("GET", "/v1/pages")
      conforms("GET", "/v1/pages", 200, tree.body)
      const nodes = Schema.decodeUnknownSync(PageModels.PageTree)(tree.body)
      expect(nodes.find((n) => n.id === top.id)).toEqual({
        id: top.id,
        name: "Sales",
        children: [{
          id: child.id,
          name: "Sales EMEA",
          children: [{ id: grandchild.id, name: "Sales UK", children: [] }]
        }]
      })

      // update answers 204 (what pydomo requires); partial
      const updated = yield* callJson("PUT", `/v1/pages/${child.id}`, { json: { name: "Sales Europe", locked: true } })
      expect(updated.status).toBe(204)
      expect((yield* callJson("GET", `/v1/pages/${child.id}`)).body).toMatchObject({
        name: "Sales Europe",
        locked: true,
        parentId: top.id
      })
      // moving a page under its own subpage is refused
      expect((yield* callJson("PUT", `/v1/pages/${child.id}`, { json: { parentId: grandchild.id } })).status).toBe(400)
      expect((yield* callJson("PUT", `/v1/pages/${child.id}`, { json: { parentId: 987 } })).status).toBe(400)

      // deleting a page moves its subpages up
      expect((yield* callJson("DELETE", `/v1/pages/${child.id}`)).status).toBe(204)
      expect((yield* callJson("GET", `/v1/pages/${child.id}`)).status).toBe(404)
      expect((yield* callJson("GET", `/v1/pages/${grandchild.id}`)).body).toMatchObject({ parentId: top.id })
    }))

  it.effect("the tree pages its top level: limit 1..500, offset", () =>
    Effect.gen(function*() {
      const a = yield* createPage({ name: "P1" })
      const b = yield* createPage({ name: "P2" })
      const all = (yield* callJson("GET", "/v1/pages?limit=500")).body as Array<{ id: number }>
      const at = all.findIndex((p) => p.id === a.id)
      const page = (yield* callJson("GET", `/v1/pages?limit=1&offset=${at + 1}`)).body as Array<{ id: number }>
      expect(page.map((p) => p.id)).toEqual([b.id])
      expect((yield* callJson("GET", "/v1/pages?limit=501")).status).toBe(400)
    }))

  it.effect("collections CRUD", () =>
    Effect.gen(function*() {
      const page = yield* createPage({ name: "With collections", cardIds: [1, 2, 3] })
      const c1 = yield* callJson("POST", `/v1/pages/${page.id}/collections`, {
        json: { title: "Revenue", description: "money", cardIds: [1, 2] }
      })
      expect(c1.status).toBe(200)
      const first = Schema.decodeUnknownSync(PageModels.Collection)(c1.body)
      expect(first).toMatchObject({ title: "Revenue", description: "money", cardIds: [1, 2] })
      const second = Schema.decodeUnknownSync(PageModels.Collection)(
        (yield* callJson("POST", `/v1/pages/${page.id}/collections`, { json: { title: "Costs" } })).body
      )
      const list = yield* callJson("GET", `/v1/pages/${page.id}/collections`)
      conforms("GET", `/v1/pages/${page.id}/collections`, 200, list.body)
      expect((list.body as Array<{ id: number }>).map((c) => c.id)).toEqual([first.id, second.id])
      expect((yield* callJson("GET", `/v1/pages/${page.id}`)).body).toMatchObject({
        collectionIds: [first.id, second.id]
      })

      // cards must already be on the page
      const offPage = yield* callJson("POST", `/v1/pages/${page.id}/collections`, {
        json: { title: "X", cardIds: [9] }
      })
      expect(offPage.status).toBe(400)

      const put = yield* callJson("PUT", `/v1/pages/${page.id}/collections/${first.id}`, {
        json: { title: "Revenue 2", cardIds: [3] }
      })
      expect(put.status).toBe(204)
      // collectionIds re-orders, never adds or removes
      expect(
        (yield* callJson("PUT", `/v1/pages/${page.id}`, { json: { collectionIds: [second.id, first.id] } })).status
      ).toBe(204)
      expect((yield* callJson("PUT", `/v1/pages/${page.id}`, { json: { collectionIds: [first.id] } })).status).toBe(
        400
      )
      const reordered = (yield* callJson("GET", `/v1/pages/${page.id}/collections`)).body
      expect(reordered).toEqual([
        { id: second.id, title: "Costs", description: "", cardIds: [] },
        { id: first.id, title: "Revenue 2", description: "money", cardIds: [3] }
      ])

      expect((yield* callJson("DELETE", `/v1/pages/${page.id}/collections/${second.id}`)).status).toBe(204)
      expect((yield* callJson("DELETE", `/v1/pages/${page.id}/collections/${second.id}`)).status).toBe(404)
      expect((yield* callJson("GET", `/v1/pages/${page.id}/collections`)).body).toHaveLength(1)
    }))

  it.effect("bad bodies are 400s and store nothing", () =>
    Effect.gen(function*() {
      const before = ((yield* callJson("GET", "/v1/pages?limit=500")).body as Array<unknown>).length
      expect((yield* callJson("POST", "/v1/pages", { json: { locked: true } })).status).toBe(400)
      expect((yield* callJson("POST", "/v1/pages", { json: { name: "Orphan", parentId: 4242 } })).status).toBe(400)
      const r = yield* callJson("POST", "/v1/pages", { json: { name: "Bad", cardIds: "nope" } })
      expect(r.body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      expect(((yield* callJson("GET", "/v1/pages?limit=500")).body as Array<unknown>).length).toBe(before)
    }))

  it.effect("scope: a token without `dashboard` gets Domo's 403", () =>
    Effect.gen(function*() {
      const userOnly = yield* token("user data")
      for (
        const [method, path] of [
          ["GET", "/v1/pages"],
          ["POST", "/v1/pages"],
          ["GET", "/v1/pages/1"],
          ["PUT", "/v1/pages/1"],
          ["DELETE", "/v1/pages/1"],
          ["GET", "/v1/pages/1/collections"],
          ["POST", "/v1/pages/1/collections"],
          ["PUT", "/v1/pages/1/collections/2"],
          ["DELETE", "/v1/pages/1/collections/2"]
        ] as const
      ) {
        const r = yield* callJson(method, path, { token: userOnly })
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ status: 403 })
      }
      expect((yield* callJson("GET", "/v1/pages", { token: yield* token("dashboard") })).status).toBe(200)
    }))
})
