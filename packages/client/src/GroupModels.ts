/**
 * Wire schemas of Domo's Group API (`/v1/groups`, scope `user`): one definition shared by the
 * client's `Groups` service and the emulator.
 *
 * Decoding is lenient: `creatorId` is a digit string in Domo's docs (a number is accepted too),
 * every field but `id` is optional (list items and deleted groups are subsets).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { IntId, optional, StringId } from "./internal/wireIds.js"

/**
 * A group id (an integer; accepted as a digit string too).
 *
 * @since 0.1.0
 * @category schemas
 */
export const GroupId = IntId

/**
 * A group as Domo returns it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Group = Schema.Struct({
  id: GroupId,
  name: optional(Schema.String),
  default: optional(Schema.Boolean),
  active: optional(Schema.Boolean),
  creatorId: optional(StringId),
  memberCount: optional(Schema.Int),
  deleted: optional(Schema.Boolean),
  userIds: optional(Schema.Array(IntId))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Group = typeof Group.Type

/**
 * A page of `GET /v1/groups` (limit default 50, max 500).
 *
 * @since 0.1.0
 * @category schemas
 */
export const GroupList = Schema.Array(Group)

/**
 * The body of `POST /v1/groups`: only `name` is required.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateGroup = Schema.Struct({
  name: Schema.String,
  default: optional(Schema.Boolean),
  active: optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateGroup = typeof CreateGroup.Type

/**
 * The body of `PUT /v1/groups/{id}`. The SDK models also send `default` and `memberCount`
 * (the latter is ignored).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateGroup = Schema.Struct({
  name: optional(Schema.String),
  active: optional(Schema.Boolean),
  default: optional(Schema.Boolean),
  memberCount: optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateGroup = typeof UpdateGroup.Type

/**
 * A page of `GET /v1/groups/{id}/users` (limit default 50, max 500): bare user ids.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GroupMembers = Schema.Array(IntId)
