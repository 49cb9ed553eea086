/**
 * The Activity Log API (`GET /v1/audit`, scope `audit`): the entries the emulator recorded for
 * what its API did (DataSets, streams, users, groups, pages, accounts, projects …), between
 * `start` and `end` (epoch milliseconds, inclusive), optionally one `user`'s, oldest first.
 *
 * `start` is required (400 without it); `limit` 1..1000 (default 50), `offset` ≥ 0. `time` is
 * ISO-8601 (what Domo's Rust SDK models).
 *
 * @since 0.1.0
 */
import { ActivityLogModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Activity from "../Activity.js"
import { requireScope } from "../Auth.js"
import { badRequest } from "../DomoError.js"
import { json, paging } from "../internal/kit.js"
import * as RouteFamily from "../RouteFamily.js"

const intQuery = (query: URLSearchParams, name: string, required: boolean, expected: string) =>
  Effect.gen(function*() {
    const raw = query.get(name)
    if (raw === null || raw.trim() === "") {
      return required ? yield* badRequest(`Required parameter '${name}' is missing`) : undefined
    }
    const value = Number(raw)
    if (!Number.isSafeInteger(value) || value < 0) {
      return yield* badRequest(`Invalid value '${raw}' for parameter '${name}': expected ${expected}`)
    }
    return value
  })

const list = Effect.gen(function*() {
  yield* requireScope("audit")
  const query = yield* RouteFamily.query
  const start = yield* intQuery(query, "start", true, "epoch milliseconds")
  const end = yield* intQuery(query, "end", false, "epoch milliseconds")
  if (end !== undefined && start !== undefined && end < start) {
    return yield* badRequest("Parameter 'end' must not be before 'start'")
  }
  const user = yield* intQuery(query, "user", false, "a user id")
  const { limit, offset } = yield* paging(50, 1000)
  const entries = yield* Activity.list({ start: start!, end, userId: user, limit, offset })
  return yield* json(
    ActivityLogModels.ActivityLogPage,
    entries.map((e): ActivityLogModels.ActivityLogEntry => ({
      userName: e.userName,
      userId: String(e.userId),
      userType: "USER",
      actorId: 0,
      actorName: "",
      objectName: e.objectName,
      objectId: e.objectId,
      objectType: e.objectType,
      additionalComment: e.additionalComment,
      time: DateTime.unsafeMake(e.time),
      eventText: e.eventText,
      device: "API",
      browserDetails: `OAuth client ${e.clientId}`,
      ipAddress: "127.0.0.1",
      actionType: e.actionType
    }))
  )
})

/**
 * The `audit` route family (its table is the core activity log).
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "audit",
  migrate: Effect.void,
  router: HttpRouter.empty.pipe(HttpRouter.get("/v1/audit", list))
})
