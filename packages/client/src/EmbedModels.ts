/**
 * Wire schemas of Domo's Embed Token API (`POST /v1/cards/embed/auth` for cards,
 * `POST /v1/stories/embed/auth` for dashboards), shared by the client's `Embed` service and
 * the emulator.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { optional } from "./internal/wireIds.js"

/**
 * What an embed token lets its holder do.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedPermission = Schema.Literal("READ", "FILTER", "EXPORT")

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedPermission = typeof EmbedPermission.Type

/**
 * A filter operator (`GREAT_THAN_EQUALS_TO` is Domo's own spelling).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedFilterOperator = Schema.Literal(
  "IN",
  "NOT_IN",
  "EQUALS",
  "NOT_EQUALS",
  "GREATER_THAN",
  "GREAT_THAN_EQUALS_TO",
  "LESS_THAN",
  "LESS_THAN_EQUALS_TO"
)

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedFilterOperator = typeof EmbedFilterOperator.Type

/**
 * A row filter applied to the embedded content. Values are always strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedFilter = Schema.Struct({
  column: Schema.String,
  operator: EmbedFilterOperator,
  values: Schema.Array(Schema.String),
  datasourceId: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedFilter = typeof EmbedFilter.Type

/**
 * A SQL `WHERE`-clause filter applied to the embedded content.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedSqlFilter = Schema.Struct({
  sqlFilter: Schema.String,
  datasourceIds: optional(Schema.Array(Schema.String))
})

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedSqlFilter = typeof EmbedSqlFilter.Type

/**
 * One authorization: the embed id (`token`, 5 characters) and what is allowed on it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedAuthorization = Schema.Struct({
  token: Schema.String,
  permissions: Schema.Array(EmbedPermission),
  filters: optional(Schema.Array(EmbedFilter)),
  sqlFilters: optional(Schema.Array(EmbedSqlFilter))
})

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedAuthorization = typeof EmbedAuthorization.Type

/**
 * The most minutes a session may last without an instance-specific idle-session length (8 h).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxSessionLength = 480

/**
 * The body of an embed-token request. `sessionLength` is in minutes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedTokenRequest = Schema.Struct({
  sessionLength: optional(Schema.Int.pipe(Schema.positive())),
  authorizations: Schema.NonEmptyArray(EmbedAuthorization)
})

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedTokenRequest = typeof EmbedTokenRequest.Type

/**
 * The response: `authentication` is the JWT to form-POST as `embedToken` to
 * `https://public.domo.com/embed/pages/{embedId}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedToken = Schema.Struct({
  authentication: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedToken = typeof EmbedToken.Type

/**
 * What the emulator puts in an embed JWT's payload (Domo's own payload is undocumented).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmbedTokenClaims = Schema.Struct({
  kind: Schema.Literal("card", "story"),
  sessionLength: Schema.Int,
  authorizations: Schema.Array(EmbedAuthorization),
  iat: Schema.Int,
  exp: Schema.Int,
  jti: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type EmbedTokenClaims = typeof EmbedTokenClaims.Type
