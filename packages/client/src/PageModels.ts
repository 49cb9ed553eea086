/**
 * Wire schemas of Domo's Page API (`/v1/pages`, scope `dashboard`): pages, the page tree and
 * page collections, shared by the client's `Pages` service and the emulator.
 *
 * Decoding is lenient: older responses carry `ownerId`, newer ones `owners`; every field but
 * `id` is optional.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Struct from "effect/Struct"
import { IntId, optional } from "./internal/wireIds.js"

/**
 * A page id (an integer; accepted as a digit string too).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageId = IntId

/**
 * Who can see a page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageVisibility = Schema.Struct({
  userIds: optional(Schema.Array(IntId)),
  groupIds: optional(Schema.Array(IntId))
})

/**
 * @since 0.1.0
 * @category models
 */
export type PageVisibility = typeof PageVisibility.Type

/**
 * An owner of a page (`type` is `USER` or `GROUP`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageOwner = Schema.Struct({
  id: IntId,
  type: optional(Schema.String),
  displayName: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type PageOwner = typeof PageOwner.Type

/**
 * A page as `GET /v1/pages/{id}` returns it. `parentId` 0 means top level.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = Schema.Struct({
  id: PageId,
  name: optional(Schema.String),
  parentId: optional(IntId),
  ownerId: optional(IntId),
  owners: optional(Schema.Array(PageOwner)),
  locked: optional(Schema.Boolean),
  collectionIds: optional(Schema.Array(IntId)),
  cardIds: optional(Schema.Array(IntId)),
  visibility: optional(PageVisibility)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Page = typeof Page.Type

/**
 * A node of the page tree `GET /v1/pages` returns.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageTreeNode {
  readonly id: number
  readonly name?: string | undefined
  readonly children: ReadonlyArray<PageTreeNode>
}

interface PageTreeNodeEncoded {
  readonly id: number | string
  readonly name?: string | null | undefined
  readonly children?: ReadonlyArray<PageTreeNodeEncoded> | undefined
}

/**
 * A node of the page tree: `{ id, name, children }`, `children` defaulting to `[]`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageTreeNode: Schema.Schema<PageTreeNode, PageTreeNodeEncoded> = Schema.Struct({
  id: PageId,
  name: optional(Schema.String),
  children: Schema.optionalWith(
    Schema.Array(Schema.suspend((): Schema.Schema<PageTreeNode, PageTreeNodeEncoded> => PageTreeNode)),
    { default: () => [] }
  )
})

/**
 * A page of `GET /v1/pages` (limit default 50, max 500): the top-level pages with their children.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageTree = Schema.Array(PageTreeNode)

/**
 * The body of `POST /v1/pages`: only `name` is required.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreatePage = Schema.Struct({
  name: Schema.String,
  parentId: optional(IntId),
  locked: optional(Schema.Boolean),
  cardIds: optional(Schema.Array(IntId)),
  visibility: optional(PageVisibility)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreatePage = typeof CreatePage.Type

/**
 * The body of `PUT /v1/pages/{id}`: a partial update. `collectionIds` can only re-order the
 * page's collections, not add or remove one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdatePage = Schema.Struct(Struct.omit(Page.fields, "id"))

/**
 * @since 0.1.0
 * @category models
 */
export type UpdatePage = typeof UpdatePage.Type

/**
 * A page collection.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Collection = Schema.Struct({
  id: IntId,
  title: optional(Schema.String),
  description: optional(Schema.String),
  cardIds: optional(Schema.Array(IntId))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Collection = typeof Collection.Type

/**
 * The response of `GET /v1/pages/{id}/collections`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CollectionList = Schema.Array(Collection)

/**
 * The body of `POST /v1/pages/{id}/collections`. Cards must already be on the page.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateCollection = Schema.Struct({
  title: Schema.String,
  description: optional(Schema.String),
  cardIds: optional(Schema.Array(IntId))
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateCollection = typeof CreateCollection.Type

/**
 * The body of `PUT /v1/pages/{id}/collections/{collectionId}`: a partial update.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateCollection = Schema.Struct({
  title: optional(Schema.String),
  description: optional(Schema.String),
  cardIds: optional(Schema.Array(IntId))
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateCollection = typeof UpdateCollection.Type
