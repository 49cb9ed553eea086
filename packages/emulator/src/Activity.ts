/**
 * The activity recorder: routes call {@link record} after each change they make, and the
 * Activity log API (`GET /v1/audit`) reads the entries back.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { Principal } from "./Auth.js"

/**
 * One entry to record. `actionType` is Domo's verb (`CREATED`, `UPDATED`, `DELETED`,
 * `VIEWED`, `IMPORTED`, `EXPORTED`, …), `objectType` its noun (`DATA_SOURCE`, `STREAM`,
 * `USER`, `GROUP`, `PAGE`, `ACCOUNT`, …).
 *
 * @since 0.1.0
 * @category models
 */
export interface ActivityInput {
  readonly actionType: string
  readonly objectType: string
  readonly objectId: string
  readonly objectName?: string | undefined
  readonly eventText?: string | undefined
  readonly additionalComment?: string | undefined
}

/**
 * One stored entry.
 *
 * @since 0.1.0
 * @category models
 */
export interface ActivityEntry {
  readonly id: number
  /** epoch milliseconds */
  readonly time: number
  readonly userId: number
  readonly userName: string
  readonly clientId: string
  readonly actionType: string
  readonly objectType: string
  readonly objectId: string
  readonly objectName: string
  readonly eventText: string
  readonly additionalComment: string
}

/**
 * The `activity_log` table (idempotent).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    Effect.asVoid(sql`CREATE TABLE IF NOT EXISTS activity_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, user_id INTEGER NOT NULL,
      user_name TEXT NOT NULL, client_id TEXT NOT NULL, action_type TEXT NOT NULL, object_type TEXT NOT NULL,
      object_id TEXT NOT NULL, object_name TEXT NOT NULL, event_text TEXT NOT NULL, additional_comment TEXT NOT NULL)`)
)

/**
 * Record what `principal` did.
 *
 * @since 0.1.0
 * @category recording
 */
export const record = (
  principal: Principal,
  input: ActivityInput
): Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const now = yield* Clock.currentTimeMillis
    const objectName = input.objectName ?? ""
    yield* sql`INSERT INTO activity_log (time_ms, user_id, user_name, client_id, action_type, object_type,
        object_id, object_name, event_text, additional_comment)
      VALUES (${now}, ${principal.userId}, ${principal.userName}, ${principal.clientId}, ${input.actionType},
        ${input.objectType}, ${input.objectId}, ${objectName},
        ${input.eventText ?? `${input.actionType} ${input.objectType} ${objectName}`.trim()},
        ${input.additionalComment ?? ""})`
  })

/**
 * Entries between `start` and `end` (epoch ms, inclusive), oldest first, optionally one user's.
 *
 * @since 0.1.0
 * @category reading
 */
export const list = (options: {
  readonly start: number
  readonly end?: number | undefined
  readonly userId?: number | undefined
  readonly limit: number
  readonly offset: number
}): Effect.Effect<ReadonlyArray<ActivityEntry>, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const end = options.end ?? Number.MAX_SAFE_INTEGER
    const rows = yield* sql<{
      id: number
      time_ms: number
      user_id: number
      user_name: string
      client_id: string
      action_type: string
      object_type: string
      object_id: string
      object_name: string
      event_text: string
      additional_comment: string
    }>`SELECT * FROM activity_log WHERE time_ms >= ${options.start} AND time_ms <= ${end}
       ${options.userId === undefined ? sql`` : sql`AND user_id = ${options.userId}`}
       ORDER BY id LIMIT ${options.limit} OFFSET ${options.offset}`
    return rows.map((r) => ({
      id: r.id,
      time: r.time_ms,
      userId: r.user_id,
      userName: r.user_name,
      clientId: r.client_id,
      actionType: r.action_type,
      objectType: r.object_type,
      objectId: r.object_id,
      objectName: r.object_name,
      eventText: r.event_text,
      additionalComment: r.additional_comment
    }))
  })
