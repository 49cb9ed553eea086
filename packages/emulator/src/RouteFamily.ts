/**
 * The contract of a route family: one module under `src/routes/` per Domo API family
 * (`datasets`, `streams`, `users`, …), each with its own tables and its own routes.
 *
 * A family is `{ name, migrate, router }`. `migrate` creates the family's tables and must be
 * idempotent (`CREATE TABLE IF NOT EXISTS`): it runs on every start, also on an existing data
 * file. `router` is an `HttpRouter` whose handlers may use the services of {@link RouteServices}
 * and fail with {@link RouteError}; the server renders failures as Domo does. Register a family
 * with one line in `Server.ts`.
 *
 * @since 0.1.0
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { Tokens } from "./Auth.js"
import { badRequest, DomoFailure } from "./DomoError.js"
import type { Faults } from "./Faults.js"

/**
 * What a route handler may fail with. Anything else is a defect (rendered as a 500).
 *
 * @since 0.1.0
 * @category models
 */
export type RouteError =
  | DomoFailure
  | SqlError.SqlError
  | ParseResult.ParseError
  | HttpServerError.RequestError
  | HttpBody.HttpBodyError

/**
 * The services a route handler may use (plus the request itself and `HttpRouter.RouteContext`,
 * which the router provides).
 *
 * @since 0.1.0
 * @category models
 */
export type RouteServices = SqlClient.SqlClient | Tokens | Faults | Background

/**
 * Where a handler runs work that outlives its request (an asynchronous commit): fibers of the
 * emulator's lifetime, interrupted when the emulator stops. `FiberSet.run(background, effect)`.
 *
 * @since 0.1.0
 * @category services
 */
export class Background extends Context.Tag("@effect-domo/emulator/RouteFamily/Background")<
  Background,
  FiberSet.FiberSet
>() {}

/**
 * One API family.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteFamily {
  readonly name: string
  readonly migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient>
  readonly router: HttpRouter.HttpRouter<RouteError, RouteServices | HttpServerRequest.HttpServerRequest>
}

/**
 * Build a {@link RouteFamily} (a typed identity: it checks the router's requirements).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (family: RouteFamily): RouteFamily => family

/**
 * The query string of the current request.
 *
 * @since 0.1.0
 * @category request
 */
export const query: Effect.Effect<URLSearchParams, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => {
    const q = request.url.indexOf("?")
    return new URLSearchParams(q === -1 ? "" : request.url.slice(q + 1))
  }
)

/**
 * The path of the current request (no query string).
 *
 * @since 0.1.0
 * @category request
 */
export const path: Effect.Effect<string, never, HttpServerRequest.HttpServerRequest> = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => {
    const q = request.url.indexOf("?")
    return q === -1 ? request.url : request.url.slice(0, q)
  }
)

/**
 * An integer query parameter with a default and Domo's bounds (`limit`/`offset`); a value
 * that is not an integer is a 400.
 *
 * @since 0.1.0
 * @category request
 */
export const intParam = (
  params: URLSearchParams,
  name: string,
  options: { readonly default: number; readonly min?: number | undefined; readonly max?: number | undefined }
): Effect.Effect<number, DomoFailure> => {
  const raw = params.get(name)
  if (raw === null || raw === "") return Effect.succeed(options.default)
  const value = Number(raw)
  if (!Number.isInteger(value)) {
    return Effect.fail(badRequest(`Invalid value '${raw}' for parameter '${name}'`))
  }
  if (options.min !== undefined && value < options.min) {
    return Effect.fail(badRequest(`Parameter '${name}' must be at least ${options.min}`))
  }
  if (options.max !== undefined && value > options.max) {
    return Effect.fail(badRequest(`Parameter '${name}' must be at most ${options.max}`))
  }
  return Effect.succeed(value)
}

/**
 * Read the request body as JSON and decode it with `schema`: malformed JSON or a body that
 * does not match is a Domo 400 naming the problem.
 *
 * @since 0.1.0
 * @category request
 */
export const jsonBody = <A, I>(
  schema: Schema.Schema<A, I>
): Effect.Effect<A, DomoFailure, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.mapError(request.text, () => badRequest("Could not read the request body"))
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
 * A path parameter of the matched route (a 404 when absent).
 *
 * @since 0.1.0
 * @category request
 */
export const param = (
  params: Readonly<Record<string, string | undefined>>,
  name: string
): Effect.Effect<string, DomoFailure> =>
  Option.match(Option.fromNullable(params[name]), {
    onNone: () => Effect.fail(new DomoFailure({ status: 404, message: "Not Found" })),
    onSome: Effect.succeed
  })

/**
 * The emulator's database (the `SqlClient` of `@effect/sql`), re-exported for route modules.
 *
 * @since 0.1.0
 * @category services
 */
export const Sql: typeof SqlClient.SqlClient = SqlClient.SqlClient
