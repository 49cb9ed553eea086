/**
 * Wire schemas of Domo's Activity Log API (`GET /v1/audit`, scope `audit`), shared by the
 * client's `ActivityLog` service and the emulator.
 *
 * Decoding is lenient: `time` arrives as ISO-8601 (what Domo's Rust SDK models) or in the
 * docs' `2017-12-13 10:57:35 PM` form (read as UTC); ids arrive as strings or numbers; a
 * single entry object (the docs' example) decodes as a one-entry page.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { IntId, optional, StringId } from "./internal/wireIds.js"

const docsTime = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M)$/i

const parseTime = (s: string): Option.Option<DateTime.Utc> => {
  const m = docsTime.exec(s.trim())
  if (m === null) return DateTime.make(s)
  const [, y, mo, d, h, mi, se, ampm] = m
  const hour12 = Number(h) % 12
  const hour = ampm!.toUpperCase() === "PM" ? hour12 + 12 : hour12
  return DateTime.make(Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(se)))
}

/**
 * An activity-log timestamp: decodes ISO-8601 or `YYYY-MM-DD hh:mm:ss AM|PM` (UTC) to a
 * `DateTime.Utc`; encodes as ISO-8601.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AuditTime = Schema.transformOrFail(Schema.String, Schema.DateTimeUtcFromSelf, {
  strict: true,
  decode: (s, _, ast) =>
    Option.match(parseTime(s), {
      onNone: () => ParseResult.fail(new ParseResult.Type(ast, s, `not an activity-log time: ${s}`)),
      onSome: ParseResult.succeed
    }),
  encode: (dt) => ParseResult.succeed(DateTime.formatIso(dt))
})

/**
 * One activity-log entry.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActivityLogEntry = Schema.Struct({
  userName: optional(Schema.String),
  userId: optional(StringId),
  userType: optional(Schema.String),
  actorId: optional(IntId),
  actorName: optional(Schema.String),
  actorType: optional(Schema.String),
  objectName: optional(Schema.String),
  objectId: optional(StringId),
  objectType: optional(Schema.String),
  additionalComment: optional(Schema.String),
  time: AuditTime,
  eventText: optional(Schema.String),
  device: optional(Schema.String),
  browserDetails: optional(Schema.String),
  ipAddress: optional(Schema.String),
  actionType: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ActivityLogEntry = typeof ActivityLogEntry.Type

/**
 * A page of `GET /v1/audit` (limit default 50, max 1000). A bare entry object (as in Domo's
 * docs example) decodes as a one-entry page; pages always encode as arrays.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ActivityLogPage = Schema.Union(
  Schema.Array(ActivityLogEntry),
  Schema.transform(ActivityLogEntry, Schema.Array(Schema.typeSchema(ActivityLogEntry)), {
    strict: true,
    decode: (entry) => [entry],
    encode: (entries) => entries[0]!
  })
)
