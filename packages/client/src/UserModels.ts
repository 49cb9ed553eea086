/**
 * Wire schemas of Domo's User API (`/v1/users`, scope `user`): one definition shared by the
 * client's `Users` service and the emulator.
 *
 * Responses decode leniently: every field but `id` is optional (list items are a subset and a
 * deleted user is a subset plus `deleted: true`), `roleId` may arrive as a string or a number.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { IntId, optional, StringId } from "./internal/wireIds.js"

/**
 * A Domo user id (an integer; accepted as a digit string too).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserId = IntId

/**
 * The built-in roles. Custom roles exist too, so `role` stays an open string on the wire.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KnownRole = Schema.Literal("Admin", "Privileged", "Participant")

/**
 * @since 0.1.0
 * @category models
 */
export type KnownRole = typeof KnownRole.Type

/**
 * A role id: a digit string in Domo's docs, a number in some responses; decodes to a string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RoleId = StringId

/**
 * An employee number: an integer in Domo's docs, a string in its query-parameter table.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmployeeNumber = Schema.Union(Schema.Number, Schema.String)

/**
 * A group a user belongs to, as embedded in a user.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserGroup = Schema.Struct({
  id: IntId,
  name: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UserGroup = typeof UserGroup.Type

/**
 * The JSON body of `PUT /v1/users/{id}`. Domo's docs ask for the full user (`email`, `role`,
 * `name`, …); the emulator merges whatever is sent into the stored user.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateUser = Schema.Struct({
  name: optional(Schema.String),
  email: optional(Schema.String),
  role: optional(Schema.String),
  roleId: optional(RoleId),
  title: optional(Schema.String),
  alternateEmail: optional(Schema.String),
  phone: optional(Schema.String),
  location: optional(Schema.String),
  timezone: optional(Schema.String),
  locale: optional(Schema.String),
  employeeNumber: optional(EmployeeNumber)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateUser = typeof UpdateUser.Type

/**
 * A user as `GET /v1/users/{id}` returns it (list items carry a subset of these fields).
 *
 * @since 0.1.0
 * @category schemas
 */
export const User = Schema.Struct({
  id: UserId,
  ...UpdateUser.fields,
  employeeId: optional(Schema.String),
  department: optional(Schema.String),
  createdAt: optional(Schema.String),
  updatedAt: optional(Schema.String),
  deleted: optional(Schema.Boolean),
  image: optional(Schema.String),
  groups: optional(Schema.Array(UserGroup))
})

/**
 * @since 0.1.0
 * @category models
 */
export type User = typeof User.Type

/**
 * A page of `GET /v1/users` (limit default 50, max 500).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UserList = Schema.Array(User)

/**
 * The JSON body of `POST /v1/users?sendInvite=…`: `name`, `email` and `role` are required.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateUser = Schema.Struct({
  ...UpdateUser.fields,
  name: Schema.String,
  email: Schema.String,
  role: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateUser = typeof CreateUser.Type
