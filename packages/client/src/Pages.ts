/**
 * Domo's Page API (`/v1/pages`): the page tree, pages (create, read, update, delete) and the
 * card collections on a page. Every call needs a token with the `dashboard` scope; without it
 * Domo answers 403, which fails as `DomoError.ForbiddenError`.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as DomoError from "./DomoError.js"
import { DomoHttpClient } from "./DomoHttpClient.js"
import * as Call from "./internal/call.js"
import * as Paging from "./internal/paging.js"
import * as PageModels from "./PageModels.js"

/**
 * The most top-level pages one request may ask for (`limit`); Domo's default is 50.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 500

/**
 * How the tree is paged (lazily, by top-level page).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** top-level pages per request, clamped to `1..maxPageSize` (default `maxPageSize`) */
  readonly pageSize?: number | undefined
  /** offset of the first top-level page (default 0) */
  readonly offset?: number | undefined
}

/**
 * The `Pages` service. Scope: `dashboard`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Pages extends Context.Tag("@effect-domo/client/Pages")<Pages, Pages.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Pages {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** the page tree: each top-level page with its `children`, paged lazily (`GET /v1/pages`) */
    readonly list: (options?: ListOptions) => Stream.Stream<PageModels.PageTreeNode, DomoError.DomoError>
    /** one page (`GET /v1/pages/{id}`) */
    readonly get: (id: number) => Effect.Effect<PageModels.Page, DomoError.DomoError>
    /** creates a page, a subpage when `parentId` is set (`POST /v1/pages`) */
    readonly create: (page: PageModels.CreatePage) => Effect.Effect<PageModels.Page, DomoError.DomoError>
    /**
     * updates the fields sent, leaves the others (`PUT /v1/pages/{id}`); returns the page as it
     * now is. Collections can only be re-ordered here (`collectionIds`), not added or removed.
     */
    readonly update: (id: number, page: PageModels.UpdatePage) => Effect.Effect<PageModels.Page, DomoError.DomoError>
    /** deletes a page (`DELETE /v1/pages/{id}`) */
    readonly delete: (id: number) => Effect.Effect<void, DomoError.DomoError>
    /** the collections of a page, in order (`GET /v1/pages/{id}/collections`) */
    readonly collections: (
      pageId: number
    ) => Effect.Effect<ReadonlyArray<PageModels.Collection>, DomoError.DomoError>
    /** adds a collection to a page; its cards must already be on the page (`POST /v1/pages/{id}/collections`) */
    readonly createCollection: (
      pageId: number,
      collection: PageModels.CreateCollection
    ) => Effect.Effect<PageModels.Collection, DomoError.DomoError>
    /** updates a collection (`PUT /v1/pages/{id}/collections/{collectionId}`); returns it as it now is */
    readonly updateCollection: (
      pageId: number,
      collectionId: number,
      collection: PageModels.UpdateCollection
    ) => Effect.Effect<PageModels.Collection, DomoError.DomoError>
    /** deletes a collection (`DELETE /v1/pages/{id}/collections/{collectionId}`); its cards stay on the page */
    readonly deleteCollection: (pageId: number, collectionId: number) => Effect.Effect<void, DomoError.DomoError>
  }
}

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Pages.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const pageId = (method: string, id: number) => Call.intId(method, "/v1/pages/{id}", "page id", id)
  const collectionId = (method: string, id: number) =>
    Call.intId(method, "/v1/pages/{id}/collections/{collectionId}", "collection id", id)

  const get = Effect.fn("Pages.get")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.page.id", id)
    const pid = yield* pageId("GET", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(`/v1/pages/${pid}`), PageModels.Page)
  })

  const list = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
      (page) =>
        Call.executeJson(
          client,
          HttpClientRequest.get("/v1/pages", { urlParams: Paging.pageParams(page) }),
          PageModels.PageTree
        )
    ).pipe(Stream.withSpan("Pages.list"))

  const create = Effect.fn("Pages.create")(function*(page: PageModels.CreatePage) {
    const request = yield* HttpClientRequest.post("/v1/pages").pipe(Call.jsonBody(PageModels.CreatePage, page))
    return yield* Call.executeJson(client, request, PageModels.Page)
  })

  const update = Effect.fn("Pages.update")(function*(id: number, page: PageModels.UpdatePage) {
    yield* Effect.annotateCurrentSpan("domo.page.id", id)
    const pid = yield* pageId("PUT", id)
    const request = yield* HttpClientRequest.put(`/v1/pages/${pid}`).pipe(Call.jsonBody(PageModels.UpdatePage, page))
    // Domo's docs answer 200, pydomo expects 204: read the page back when there is no body
    return yield* Call.executeOrRead(client, request, PageModels.Page, get(pid))
  })

  const del = Effect.fn("Pages.delete")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.page.id", id)
    const pid = yield* pageId("DELETE", id)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/pages/${pid}`))
  })

  const collections = Effect.fn("Pages.collections")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.page.id", id)
    const pid = yield* pageId("GET", id)
    return yield* Call.executeJson(
      client,
      HttpClientRequest.get(`/v1/pages/${pid}/collections`),
      PageModels.CollectionList
    )
  })

  const createCollection = Effect.fn("Pages.createCollection")(
    function*(id: number, collection: PageModels.CreateCollection) {
      yield* Effect.annotateCurrentSpan("domo.page.id", id)
      const pid = yield* pageId("POST", id)
      const request = yield* HttpClientRequest.post(`/v1/pages/${pid}/collections`).pipe(
        Call.jsonBody(PageModels.CreateCollection, collection)
      )
      return yield* Call.executeJson(client, request, PageModels.Collection)
    }
  )

  const readCollection = (pid: number, cid: number) =>
    Effect.flatMap(collections(pid), (all) => {
      const found = all.find((c) => c.id === cid)
      return found !== undefined ? Effect.succeed(found) : Effect.fail(
        new DomoError.NotFoundError({
          method: "GET",
          path: `/v1/pages/${pid}/collections`,
          detail: `collection ${cid} is not on page ${pid}`
        })
      )
    })

  const updateCollection = Effect.fn("Pages.updateCollection")(
    function*(id: number, collection: number, changes: PageModels.UpdateCollection) {
      yield* Effect.annotateCurrentSpan({ "domo.page.id": id, "domo.collection.id": collection })
      const pid = yield* pageId("PUT", id)
      const cid = yield* collectionId("PUT", collection)
      const request = yield* HttpClientRequest.put(`/v1/pages/${pid}/collections/${cid}`).pipe(
        Call.jsonBody(PageModels.UpdateCollection, changes)
      )
      return yield* Call.executeOrRead(client, request, PageModels.Collection, readCollection(pid, cid))
    }
  )

  const deleteCollection = Effect.fn("Pages.deleteCollection")(function*(id: number, collection: number) {
    yield* Effect.annotateCurrentSpan({ "domo.page.id": id, "domo.collection.id": collection })
    const pid = yield* pageId("DELETE", id)
    const cid = yield* collectionId("DELETE", collection)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/pages/${pid}/collections/${cid}`))
  })

  return Pages.of({
    list,
    get,
    create,
    update,
    delete: del,
    collections,
    createCollection,
    updateCollection,
    deleteCollection
  })
})

/**
 * The `Pages` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Pages, never, DomoHttpClient> = Layer.effect(Pages, make)
