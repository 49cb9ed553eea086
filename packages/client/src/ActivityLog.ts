/**
 * Domo's Activity Log API (`GET /v1/audit`): who did what, when — as a lazy `Stream` that pages
 * through every entry between two instants, optionally only one user's. Needs a token with the
 * `audit` scope; without it Domo answers 403, which fails as `DomoError.ForbiddenError`.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as ActivityLogModels from "./ActivityLogModels.js"
import type * as DomoError from "./DomoError.js"
import { DomoHttpClient } from "./DomoHttpClient.js"
import * as Call from "./internal/call.js"
import * as Paging from "./internal/paging.js"

/**
 * The most entries one request may ask for (`limit`); Domo's default is 50.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 1000

/**
 * An instant: a `DateTime`, a `Date`, or epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export type Instant = DateTime.DateTime | Date | number

/**
 * Which entries to read.
 *
 * @since 0.1.0
 * @category models
 */
export interface Query {
  /** the earliest instant (inclusive); Domo requires it */
  readonly start: Instant
  /** the latest instant (inclusive; default: now, on Domo's side) */
  readonly end?: Instant | undefined
  /** only this user's entries */
  readonly userId?: number | undefined
  /** entries per request, clamped to `1..maxPageSize` (default `maxPageSize`) */
  readonly pageSize?: number | undefined
  /** offset of the first entry (default 0) */
  readonly offset?: number | undefined
}

/**
 * The `ActivityLog` service. Scope: `audit`.
 *
 * @since 0.1.0
 * @category tags
 */
export class ActivityLog extends Context.Tag("@effect-domo/client/ActivityLog")<ActivityLog, ActivityLog.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace ActivityLog {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /**
     * Every entry between `start` and `end` (optionally one user's), paged lazily through
     * `GET /v1/audit?start=&end=&user=&limit=&offset=` (instants sent as epoch milliseconds).
     * An invalid instant, or `end` before `start`, fails with `BadRequestError` before any call.
     */
    readonly entries: (query: Query) => Stream.Stream<ActivityLogModels.ActivityLogEntry, DomoError.DomoError>
  }
}

const PATH = "/v1/audit"

const toMillis = (name: string, instant: Instant): Effect.Effect<number, DomoError.BadRequestError> =>
  Option.match(DateTime.make(instant), {
    onNone: () => Effect.fail(Call.invalidInput("GET", PATH, `${name} is not a valid instant`)),
    onSome: (dt) => Effect.succeed(DateTime.toEpochMillis(dt))
  })

/**
 * The query parameters of a query (without `limit` / `offset`); fails on invalid input.
 *
 * @since 0.1.0
 * @category encoding
 */
export const queryParams = (query: Query): Effect.Effect<Record<string, string>, DomoError.BadRequestError> =>
  Effect.gen(function*() {
    const params: Record<string, string> = {}
    const start = yield* toMillis("start", query.start)
    params.start = String(start)
    if (query.end !== undefined) {
      const end = yield* toMillis("end", query.end)
      if (end < start) return yield* Effect.fail(Call.invalidInput("GET", PATH, "end is before start"))
      params.end = String(end)
    }
    if (query.userId !== undefined) {
      params.user = String(yield* Call.intId("GET", PATH, "user id", query.userId))
    }
    return params
  })

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<ActivityLog.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const entries = (query: Query) =>
    Stream.unwrap(Effect.map(queryParams(query), (params) =>
      Paging.offsetPaged(
        { max: maxPageSize, pageSize: query.pageSize, offset: query.offset, clampSafe: true },
        (page) =>
          Call.executeJson(
            client,
            HttpClientRequest.get(PATH, { urlParams: { ...params, ...Paging.pageParams(page) } }),
            ActivityLogModels.ActivityLogPage
          )
      ))).pipe(Stream.withSpan("ActivityLog.entries"))

  return ActivityLog.of({ entries })
})

/**
 * The `ActivityLog` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ActivityLog, never, DomoHttpClient> = Layer.effect(ActivityLog, make)
