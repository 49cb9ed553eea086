/**
 * The Page API (`/v1/pages`, scope `dashboard`): the page tree, get, create, update, delete,
 * and page collections CRUD.
 *
 * Status codes follow what Domo's SDKs accept: create 200 (a page or collection object),
 * update 204 (pydomo requires it), delete 204. A page's `parentId` must name a page (0 = top
 * level) and cannot make a cycle; `collectionIds` on update may only re-order the page's
 * collections; a collection's cards must be on the page. Deleting a page moves its subpages
 * up to its parent.
 *
 * @since 0.1.0
 */
import { PageModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Activity from "../Activity.js"
import type { Principal } from "../Auth.js"
import { requireScope } from "../Auth.js"
import { badRequest, notFound } from "../DomoError.js"
import { atomically, compact, empty, intPathParam, json, nextId, paging, parseDoc } from "../internal/kit.js"
import * as RouteFamily from "../RouteFamily.js"

const PAGE_ID_BASE = 1_200_000_000
const COLLECTION_ID_BASE = 1_300_000_000

type PageDoc = Omit<PageModels.Page, "id" | "parentId" | "collectionIds">
type CollectionDoc = Omit<PageModels.Collection, "id">

interface PageRow {
  readonly id: number
  readonly parent_id: number
  readonly doc: string
}

const collectionIdsOf = (pageId: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ id: number }>`SELECT id FROM page_collections WHERE page_id = ${pageId} ORDER BY position, id`,
      (rows) => rows.map((r) => r.id)
    ))

const findPage = (id: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql<PageRow>`SELECT id, parent_id, doc FROM pages WHERE id = ${id}`, (rows) => rows[0])
  )

const requirePage = Effect.gen(function*() {
  const params = yield* HttpRouter.params
  const id = yield* intPathParam(params, "id", "Page")
  const page = yield* findPage(id)
  if (page === undefined) return yield* notFound(`Page ${id} not found`)
  return page
})

const toPage = (row: PageRow) =>
  Effect.map(collectionIdsOf(row.id), (collectionIds): PageModels.Page => ({
    id: row.id,
    parentId: row.parent_id,
    ...parseDoc<PageDoc>(row.doc),
    collectionIds
  }))

const checkParent = (parentId: number, self?: number) =>
  Effect.gen(function*() {
    if (parentId === 0) return
    if (self !== undefined && parentId === self) return yield* badRequest("A page cannot be its own parent")
    let current: number = parentId
    // walk up from the new parent: meeting `self` would make a cycle
    for (let depth = 0; current !== 0 && depth < 10_000; depth++) {
      const row = yield* findPage(current)
      if (row === undefined) return yield* badRequest(`Parent page ${parentId} not found`)
      if (self !== undefined && row.parent_id === self) {
        return yield* badRequest(`Page ${self} cannot move under its own subpage ${parentId}`)
      }
      current = row.parent_id
    }
  })

const owner = (principal: Principal) => ({ id: principal.userId, type: "USER", displayName: principal.userName })

const record = (principal: Principal, actionType: string, id: number, name: string | undefined, objectType = "PAGE") =>
  Activity.record(principal, { actionType, objectType, objectId: String(id), objectName: name })

const tree = Effect.gen(function*() {
  yield* requireScope("dashboard")
  const { limit, offset } = yield* paging(50, 500)
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<PageRow>`SELECT id, parent_id, doc FROM pages ORDER BY id`
  const children = new Map<number, Array<PageRow>>()
  for (const row of rows) {
    const siblings = children.get(row.parent_id) ?? []
    siblings.push(row)
    children.set(row.parent_id, siblings)
  }
  const node = (row: PageRow): PageModels.PageTreeNode => ({
    id: row.id,
    name: parseDoc<PageDoc>(row.doc).name,
    children: (children.get(row.id) ?? []).map(node)
  })
  const top = (children.get(0) ?? []).slice(offset, offset + limit)
  return yield* json(PageModels.PageTree, top.map(node))
})

const get = Effect.gen(function*() {
  yield* requireScope("dashboard")
  const page = yield* requirePage
  return yield* json(PageModels.Page, yield* toPage(page))
})

const create = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("dashboard")
  const body = yield* RouteFamily.jsonBody(PageModels.CreatePage)
  if (body.name.trim() === "") return yield* badRequest("Page name is required")
  const parentId = body.parentId ?? 0
  yield* checkParent(parentId)
  const sql = yield* SqlClient.SqlClient
  const id = yield* nextId("pages", PAGE_ID_BASE)
  const doc: PageDoc = {
    name: body.name,
    ownerId: principal.userId,
    owners: [owner(principal)],
    locked: body.locked ?? false,
    cardIds: body.cardIds ?? [],
    visibility: {
      userIds: body.visibility?.userIds ?? [],
      groupIds: body.visibility?.groupIds ?? []
    }
  }
  yield* sql`INSERT INTO pages (id, parent_id, doc) VALUES (${id}, ${parentId}, ${JSON.stringify(doc)})`
  yield* record(principal, "CREATED", id, body.name)
  return yield* json(PageModels.Page, { id, parentId, ...doc, collectionIds: [] })
}))

const update = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("dashboard")
  const page = yield* requirePage
  const body = yield* RouteFamily.jsonBody(PageModels.UpdatePage)
  const current = parseDoc<PageDoc>(page.doc)
  if (body.name !== undefined && body.name.trim() === "") return yield* badRequest("Page name is required")
  const parentId = body.parentId ?? page.parent_id
  if (parentId !== page.parent_id) yield* checkParent(parentId, page.id)
  const sql = yield* SqlClient.SqlClient
  if (body.collectionIds !== undefined) {
    const existing = yield* collectionIdsOf(page.id)
    const wanted = [...body.collectionIds]
    const same = wanted.length === existing.length && [...wanted].sort().join() === [...existing].sort().join()
    if (!same) {
      return yield* badRequest("collectionIds can only re-order the page's collections, not add or remove one")
    }
    for (const [position, collectionId] of wanted.entries()) {
      yield* sql`UPDATE page_collections SET position = ${position} WHERE id = ${collectionId}`
    }
  }
  const doc: PageDoc = compact({
    ...current,
    name: body.name ?? current.name,
    ownerId: body.ownerId ?? current.ownerId,
    owners: body.owners ?? current.owners,
    locked: body.locked ?? current.locked,
    cardIds: body.cardIds ?? current.cardIds,
    visibility: body.visibility === undefined ? current.visibility : {
      userIds: body.visibility.userIds ?? current.visibility?.userIds ?? [],
      groupIds: body.visibility.groupIds ?? current.visibility?.groupIds ?? []
    }
  })
  yield* sql`UPDATE pages SET parent_id = ${parentId}, doc = ${JSON.stringify(doc)} WHERE id = ${page.id}`
  yield* record(principal, "UPDATED", page.id, doc.name)
  return empty(204)
}))

const remove = Effect.gen(function*() {
  const principal = yield* requireScope("dashboard")
  const page = yield* requirePage
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE pages SET parent_id = ${page.parent_id} WHERE parent_id = ${page.id}`
  yield* sql`DELETE FROM page_collections WHERE page_id = ${page.id}`
  yield* sql`DELETE FROM pages WHERE id = ${page.id}`
  yield* record(principal, "DELETED", page.id, parseDoc<PageDoc>(page.doc).name)
  return empty(204)
})

const checkCards = (page: PageRow, cardIds: ReadonlyArray<number> | undefined) => {
  const onPage = new Set(parseDoc<PageDoc>(page.doc).cardIds ?? [])
  const missing = (cardIds ?? []).filter((id) => !onPage.has(id))
  return missing.length === 0
    ? Effect.void
    : Effect.fail(badRequest(`Cards ${missing.join(", ")} are not on page ${page.id}`))
}

const listCollections = Effect.gen(function*() {
  yield* requireScope("dashboard")
  const page = yield* requirePage
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ id: number; doc: string }>`SELECT id, doc FROM page_collections
    WHERE page_id = ${page.id} ORDER BY position, id`
  return yield* json(PageModels.CollectionList, rows.map((r) => ({ id: r.id, ...parseDoc<CollectionDoc>(r.doc) })))
})

const createCollection = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("dashboard")
  const page = yield* requirePage
  const body = yield* RouteFamily.jsonBody(PageModels.CreateCollection)
  if (body.title.trim() === "") return yield* badRequest("Collection title is required")
  yield* checkCards(page, body.cardIds)
  const sql = yield* SqlClient.SqlClient
  const id = yield* nextId("page_collections", COLLECTION_ID_BASE)
  const doc: CollectionDoc = { title: body.title, description: body.description ?? "", cardIds: body.cardIds ?? [] }
  const position = (yield* collectionIdsOf(page.id)).length
  yield* sql`INSERT INTO page_collections (id, page_id, position, doc) VALUES (${id}, ${page.id}, ${position},
    ${JSON.stringify(doc)})`
  yield* record(principal, "CREATED", id, body.title, "PAGE_COLLECTION")
  return yield* json(PageModels.Collection, { id, ...doc })
}))

const requireCollection = (page: PageRow) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const id = yield* intPathParam(params, "collectionId", "Collection")
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: number; doc: string }>`SELECT id, doc FROM page_collections
      WHERE id = ${id} AND page_id = ${page.id}`
    if (rows.length === 0) return yield* notFound(`Collection ${id} not found on page ${page.id}`)
    return { id, doc: parseDoc<CollectionDoc>(rows[0]!.doc) }
  })

const updateCollection = Effect.gen(function*() {
  const principal = yield* requireScope("dashboard")
  const page = yield* requirePage
  const collection = yield* requireCollection(page)
  const body = yield* RouteFamily.jsonBody(PageModels.UpdateCollection)
  if (body.title !== undefined && body.title.trim() === "") return yield* badRequest("Collection title is required")
  yield* checkCards(page, body.cardIds)
  const doc: CollectionDoc = compact({ ...collection.doc, ...body })
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE page_collections SET doc = ${JSON.stringify(doc)} WHERE id = ${collection.id}`
  yield* record(principal, "UPDATED", collection.id, doc.title, "PAGE_COLLECTION")
  return empty(204)
})

const deleteCollection = Effect.gen(function*() {
  const principal = yield* requireScope("dashboard")
  const page = yield* requirePage
  const collection = yield* requireCollection(page)
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM page_collections WHERE id = ${collection.id}`
  yield* record(principal, "DELETED", collection.id, collection.doc.title, "PAGE_COLLECTION")
  return empty(204)
})

/**
 * The `pages` route family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "pages",
  migrate: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, doc TEXT NOT NULL)`
    yield* sql`CREATE TABLE IF NOT EXISTS page_collections (
      id INTEGER PRIMARY KEY, page_id INTEGER NOT NULL, position INTEGER NOT NULL, doc TEXT NOT NULL)`
  }),
  router: HttpRouter.empty.pipe(
    HttpRouter.get("/v1/pages", tree),
    HttpRouter.post("/v1/pages", create),
    HttpRouter.get("/v1/pages/:id", get),
    HttpRouter.put("/v1/pages/:id", update),
    HttpRouter.del("/v1/pages/:id", remove),
    HttpRouter.get("/v1/pages/:id/collections", listCollections),
    HttpRouter.post("/v1/pages/:id/collections", createCollection),
    HttpRouter.put("/v1/pages/:id/collections/:collectionId", updateCollection),
    HttpRouter.del("/v1/pages/:id/collections/:collectionId", deleteCollection)
  )
})
