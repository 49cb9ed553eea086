/**
 * Wire schemas of Domo's Account API (`/v1/accounts`, `/v1/account-types`, scope `account`),
 * shared by the client's `Accounts` service and the emulator.
 *
 * Decoding is lenient: an account `id` is a digit string (a number is accepted too), and
 * `type.properties` (credentials) is never echoed back by Domo.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { IntId, optional, StringId } from "./internal/wireIds.js"

/**
 * An account id: a digit string such as `"88"`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountId = StringId

/**
 * Type-specific account properties (credentials, URLs …). Domo never returns them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountProperties = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * The `type` of an account: an account-type id (a slug such as `domo-csv`) and its properties.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountTypeRef = Schema.Struct({
  id: Schema.String,
  properties: optional(AccountProperties)
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccountTypeRef = typeof AccountTypeRef.Type

/**
 * An account as Domo returns it. `valid: false` means it needs re-authentication.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Account = Schema.Struct({
  id: AccountId,
  name: optional(Schema.String),
  valid: optional(Schema.Boolean),
  type: optional(AccountTypeRef)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Account = typeof Account.Type

/**
 * A page of `GET /v1/accounts` (limit default 50, max 500).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountList = Schema.Array(Account)

/**
 * The body of `POST /v1/accounts`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAccount = Schema.Struct({
  name: Schema.String,
  type: Schema.Struct({
    id: Schema.String,
    properties: Schema.optionalWith(AccountProperties, { nullable: true, default: () => ({}) })
  })
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateAccount = typeof CreateAccount.Type

/**
 * The body of `PATCH /v1/accounts/{id}`: a partial update; a `type` must name its id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateAccount = Schema.Struct({
  name: optional(Schema.String),
  type: optional(AccountTypeRef)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateAccount = typeof UpdateAccount.Type

/**
 * The body of `POST` (SDKs) or `GET` (docs) `/v1/accounts/{id}/shares`: the user to share with.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountShare = Schema.Struct({
  user: Schema.Struct({ id: IntId })
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccountShare = typeof AccountShare.Type

/**
 * One property an account type asks for when an account is created.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountTypeProperty = Schema.Struct({
  name: Schema.String,
  prompt: optional(Schema.String),
  regex: optional(Schema.String),
  required: optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccountTypeProperty = typeof AccountTypeProperty.Type

/**
 * The template describing how an account of a type authenticates.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountTypeTemplate = Schema.Struct({
  name: optional(Schema.String),
  title: optional(Schema.String),
  contentType: optional(Schema.String),
  method: optional(Schema.String),
  key: optional(Schema.String),
  properties: optional(Schema.Array(AccountTypeProperty))
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccountTypeTemplate = typeof AccountTypeTemplate.Type

/**
 * An account type (`GET /v1/account-types/{id}`; list items carry only `id` and `name`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountType = Schema.Struct({
  id: Schema.String,
  name: optional(Schema.String),
  _templates: optional(
    Schema.Record({ key: Schema.String, value: AccountTypeTemplate })
  )
})

/**
 * @since 0.1.0
 * @category models
 */
export type AccountType = typeof AccountType.Type

/**
 * A page of `GET /v1/account-types` (limit default 50, max 500).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountTypeList = Schema.Array(AccountType)
