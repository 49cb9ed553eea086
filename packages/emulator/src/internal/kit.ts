/**
 * Small helpers shared by the platform route families (users, groups, pages, accounts,
 * audit, projects, embed): paging, ids, timestamps, scope checks, empty answers.
 *
 * @internal
 */
import type { DomoScope } from "@effect-domo/client"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Principal, Tokens } from "../Auth.js"
import { authenticate } from "../Auth.js"
import { badRequest, DomoFailure, notFound } from "../DomoError.js"
import * as RouteFamily from "../RouteFamily.js"

/** @internal */
export const nowIso: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

/**
 * `limit` and `offset` of a list call, with the family's default and maximum limit (a limit
 * outside 1..max or a negative offset is a 400, as for DataSets).
 *
 * @internal
 */
export const paging = (
  defaultLimit: number,
  maxLimit: number
): Effect.Effect<
  { readonly limit: number; readonly offset: number },
  DomoFailure,
  HttpServerRequest.HttpServerRequest
> =>
  Effect.gen(function*() {
    const query = yield* RouteFamily.query
    const limit = yield* RouteFamily.intParam(query, "limit", { default: defaultLimit, min: 1, max: maxLimit })
    const offset = yield* RouteFamily.intParam(query, "offset", { default: 0, min: 0 })
    return { limit, offset }
  })

/**
 * The next integer id of a table: one above the largest, starting above `base`.
 *
 * @internal
 */
export const nextId = (
  table: string,
  base: number
): Effect.Effect<number, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ next: number }>`SELECT COALESCE(MAX(CAST(id AS INTEGER)), ${base}) + 1 AS next FROM ${sql(table)}`,
      (rows) => Math.max(rows[0]!.next, base + 1)
    ))

/**
 * An integer path parameter; anything else names no resource: 404.
 *
 * @internal
 */
export const intPathParam = (
  params: Readonly<Record<string, string | undefined>>,
  name: string,
  what: string
): Effect.Effect<number, DomoFailure> =>
  Effect.flatMap(RouteFamily.param(params, name), (raw) => {
    const value = Number(raw)
    return /^\d+$/.test(raw) && Number.isSafeInteger(value)
      ? Effect.succeed(value)
      : Effect.fail(notFound(`${what} ${raw} not found`))
  })

/**
 * Like `Auth.requireScope`, for routes any of several scopes opens.
 *
 * @internal
 */
export const requireAnyScope = (
  scopes: ReadonlyArray<DomoScope.DomoScope>
): Effect.Effect<Principal, DomoFailure | SqlError.SqlError, Tokens | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const principal = yield* authenticate
    if (scopes.some((scope) => principal.tokenScopes.includes(scope))) return principal
    const path = yield* RouteFamily.path
    return yield* new DomoFailure({
      status: 403,
      path,
      message: `Forbidden: the access token has none of the scopes ${scopes.map((s) => `'${s}'`).join(", ")}`
    })
  })

/**
 * A JSON body when the request has one (`GET` with a body, as Domo documents account
 * sharing), else `None`-like `undefined`.
 *
 * @internal
 */
export const optionalJsonBody = <A, I>(
  schema: Schema.Schema<A, I>
): Effect.Effect<A | undefined, DomoFailure, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.mapError(request.text, () => badRequest("Could not read the request body"))
    if (text.trim() === "") return undefined
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (e) {
      return yield* badRequest(`Malformed JSON in the request body: ${e instanceof Error ? e.message : String(e)}`)
    }
    return yield* Effect.mapError(
      Schema.decodeUnknown(schema, { errors: "first" })(json),
      (error) => badRequest(`Invalid request body: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
    )
  })

/**
 * Encode `value` with a wire schema and answer it as JSON.
 *
 * @internal
 */
export const json = <A, I>(
  schema: Schema.Schema<A, I>,
  value: A,
  status = 200
): Effect.Effect<HttpServerResponse.HttpServerResponse, ParseResult.ParseError> =>
  Effect.map(Schema.encode(schema)(value), (encoded) => HttpServerResponse.unsafeJson(encoded, { status }))

/**
 * An answer without a body.
 *
 * @internal
 */
export const empty = (status: number): HttpServerResponse.HttpServerResponse => HttpServerResponse.empty({ status })

/**
 * Parse a stored JSON document.
 *
 * @internal
 */
export const parseDoc = <A>(text: string): A => JSON.parse(text) as A

/**
 * Drop `undefined` fields (so answers carry only what is known).
 *
 * @internal
 */
export const compact = <A extends Record<string, unknown>>(value: A): A =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as A

/**
 * Run a handler's reads and writes as one SQLite transaction: id allocation (`MAX(id) + 1`)
 * and re-numbering stay consistent when requests arrive concurrently.
 *
 * @internal
 */
export const atomically = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError.SqlError, R | SqlClient.SqlClient> =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.withTransaction(effect))
