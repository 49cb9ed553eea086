import { describe, expect, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as PageModels from "../src/PageModels.js"
import { Pages } from "../src/Pages.js"
import { requestTotal, routeCount, testLayer, withScopes } from "./utils/families.js"

let n = 0
const unique = (prefix: string) => `${prefix} ${Date.now()} ${++n}`

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const findNode = (
  nodes: ReadonlyArray<PageModels.PageTreeNode>,
  id: number
): PageModels.PageTreeNode | undefined => {
  for (const node of nodes) {
    if (node.id === id) return node
    const inner = findNode(node.children, id)
    if (inner !== undefined) return inner
  }
  return undefined
}

describe("Pages against the emulator", () => {
  layer(testLayer({ seed: 16 }))((it) => {
    it.effect("the tree: top-level pages with their subpages, paged by top-level page", () =>
      Effect.gen(function*() {
        const pages = yield* Pages
        const top = yield* pages.create({ name: unique("Sales") })
        const child = yield* pages.create({ name: unique("Sales EU"), parentId: top.id })
        const grandchild = yield* pages.create({ name: unique("Sales FR"), parentId: child.id })
        const other = yield* pages.create({ name: unique("Ops") })

        const tree = yield* collect(pages.list())
        const topNode = tree.find((node) => node.id === top.id)
        expect(topNode?.children.map((c) => c.id)).toEqual([child.id])
        expect(topNode?.children[0]?.children.map((c) => c.id)).toEqual([grandchild.id])
        expect(tree.some((node) => node.id === other.id)).toBe(true)
        // subpages are only under their parent, not at the top
        expect(tree.some((node) => node.id === child.id)).toBe(false)

        const before = yield* routeCount("GET /v1/pages")
        const paged = yield* collect(pages.list({ pageSize: 1 }))
        expect(paged.map((p) => p.id)).toEqual(tree.map((p) => p.id))
        expect((yield* routeCount("GET /v1/pages")) - before).toBe(tree.length + 1)
      }))

    it.effect("get, update (Domo answers 204: the page is read back), delete", () =>
      Effect.gen(function*() {
        const pages = yield* Pages
        const parent = yield* pages.create({ name: unique("Parent") })
        const page = yield* pages.create({ name: unique("Page"), locked: false, cardIds: [11, 12] })
        expect(page.parentId ?? 0).toBe(0)
        const fetched = yield* pages.get(page.id)
        expect(fetched).toMatchObject({ id: page.id, name: page.name, cardIds: [11, 12] })

        const updated = yield* pages.update(page.id, {
          name: "Renamed",
          locked: true,
          parentId: parent.id,
          visibility: { userIds: [1], groupIds: [] }
        })
        expect(updated).toMatchObject({ id: page.id, name: "Renamed", locked: true, parentId: parent.id })
        expect(updated.visibility?.userIds).toEqual([1])
        const tree = yield* collect(pages.list())
        expect(findNode(tree, parent.id)?.children.some((c) => c.id === page.id)).toBe(true)

        yield* pages.delete(page.id)
        const gone = yield* Effect.flip(pages.get(page.id))
        expect(gone._tag).toBe("NotFoundError")
      }))

    it.effect("collections: create, list, update (read back), re-order, delete", () =>
      Effect.gen(function*() {
        const pages = yield* Pages
        const page = yield* pages.create({ name: unique("Board"), cardIds: [1, 2, 3] })
        const first = yield* pages.createCollection(page.id, { title: "KPIs", description: "top", cardIds: [1, 2] })
        const second = yield* pages.createCollection(page.id, { title: "Details", cardIds: [3] })
        expect(first).toMatchObject({ title: "KPIs", description: "top", cardIds: [1, 2] })
        expect((yield* pages.collections(page.id)).map((c) => c.id)).toEqual([first.id, second.id])

        const renamed = yield* pages.updateCollection(page.id, first.id, { title: "Key figures" })
        expect(renamed).toMatchObject({ id: first.id, title: "Key figures", cardIds: [1, 2] })

        yield* pages.update(page.id, { collectionIds: [second.id, first.id] })
        expect((yield* pages.collections(page.id)).map((c) => c.id)).toEqual([second.id, first.id])
        expect((yield* pages.get(page.id)).collectionIds).toEqual([second.id, first.id])

        yield* pages.deleteCollection(page.id, second.id)
        expect((yield* pages.collections(page.id)).map((c) => c.id)).toEqual([first.id])

        // Domo's rules, typed: cards must be on the page; a missing collection is a 404
        const offPage = yield* Effect.flip(pages.createCollection(page.id, { title: "X", cardIds: [99] }))
        expect(offPage._tag === "BadRequestError" && offPage.status).toBe(400)
        const missing = yield* Effect.flip(pages.updateCollection(page.id, second.id, { title: "Y" }))
        expect(missing._tag).toBe("NotFoundError")
      }))

    it.effect("bad input is typed: rejected ids before sending, Domo's 400 for a cycle", () =>
      Effect.gen(function*() {
        const pages = yield* Pages
        const before = yield* requestTotal
        expect((yield* Effect.flip(pages.get(-5)))._tag).toBe("BadRequestError")
        expect((yield* Effect.flip(pages.collections(Number.POSITIVE_INFINITY)))._tag).toBe("BadRequestError")
        expect((yield* Effect.flip(pages.deleteCollection(1, 0.5)))._tag).toBe("BadRequestError")
        expect(yield* requestTotal).toBe(before)

        const parent = yield* pages.create({ name: unique("Loop") })
        const child = yield* pages.create({ name: unique("Loop child"), parentId: parent.id })
        const cycle = yield* Effect.flip(pages.update(parent.id, { parentId: child.id }))
        expect(cycle._tag === "BadRequestError" && cycle.status).toBe(400)
        expect((yield* pages.get(parent.id)).parentId ?? 0).toBe(0)
      }))

    it.effect("a token without the dashboard scope gets ForbiddenError", () =>
      Effect.gen(function*() {
        const name = unique("Forbidden")
        const errors = yield* Effect.gen(function*() {
          const pages = yield* Pages
          return [
            yield* Effect.flip(collect(pages.list())),
            yield* Effect.flip(pages.create({ name })),
            yield* Effect.flip(pages.collections(1))
          ]
        }).pipe(withScopes(["data", "user"]))
        for (const error of errors) expect(error._tag).toBe("ForbiddenError")
        const tree = yield* collect((yield* Pages).list())
        expect(tree.some((node) => node.name === name)).toBe(false)
      }))
  })
})
