/**
 * The request log: every call the emulator answered, with counters tests read (token
 * requests, calls per route, the token each call carried).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Crypto from "node:crypto"

/**
 * One answered request. `route` is the method and the path with ids replaced by `:id`
 * (`GET /v1/datasets/:id/data`). `tokenFingerprint` is the first 16 hex digits of the
 * SHA-256 of the bearer token it carried (the token itself is only in `token`, redacted).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestLogEntry {
  readonly seq: number
  /** epoch milliseconds */
  readonly time: number
  readonly method: string
  readonly path: string
  readonly route: string
  readonly status: number
  readonly fault?: string | undefined
  readonly token?: Redacted.Redacted<string> | undefined
  readonly tokenFingerprint?: string | undefined
}

/**
 * The counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestCounters {
  readonly total: number
  readonly tokenRequests: number
  readonly perRoute: Readonly<Record<string, number>>
  readonly perToken: Readonly<Record<string, number>>
  readonly faults: number
}

/**
 * @since 0.1.0
 * @category services
 */
export class RequestLog extends Context.Tag("@effect-domo/emulator/RequestLog")<RequestLog, {
  readonly append: (entry: Omit<RequestLogEntry, "seq">) => Effect.Effect<void>
  /** the most recent entries (up to the last 10,000), oldest first */
  readonly entries: Effect.Effect<ReadonlyArray<RequestLogEntry>>
  readonly counters: Effect.Effect<RequestCounters>
  readonly reset: Effect.Effect<void>
}>() {}

const MAX_ENTRIES = 10_000

/**
 * A token's fingerprint as it appears in the log.
 *
 * @since 0.1.0
 * @category formatting
 */
export const fingerprint = (token: string): string =>
  Crypto.createHash("sha256").update(token).digest("hex").slice(0, 16)

/**
 * A route key: ids (UUIDs, numbers, hex, `me`) replaced by `:id`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const routeKey = (method: string, path: string): string =>
  `${method} ${
    path.split("/").map((segment) =>
      /^\d+$/.test(segment) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)
        ? ":id"
        : segment
    ).join("/")
  }`

interface State {
  readonly seq: number
  readonly entries: ReadonlyArray<RequestLogEntry>
  readonly counters: RequestCounters
}

const empty: State = {
  seq: 0,
  entries: [],
  counters: { total: 0, tokenRequests: 0, perRoute: {}, perToken: {}, faults: 0 }
}

/**
 * A fresh, empty log.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<RequestLog["Type"]> = Effect.map(Ref.make(empty), (ref) => ({
  append: (entry) =>
    Ref.update(ref, (state) => {
      const seq = state.seq + 1
      const entries = state.entries.length >= MAX_ENTRIES ? state.entries.slice(1) : state.entries.slice()
      entries.push({ ...entry, seq })
      const c = state.counters
      return {
        seq,
        entries,
        counters: {
          total: c.total + 1,
          tokenRequests: c.tokenRequests + (entry.path === "/oauth/token" ? 1 : 0),
          perRoute: { ...c.perRoute, [entry.route]: (c.perRoute[entry.route] ?? 0) + 1 },
          perToken: entry.tokenFingerprint === undefined
            ? c.perToken
            : { ...c.perToken, [entry.tokenFingerprint]: (c.perToken[entry.tokenFingerprint] ?? 0) + 1 },
          faults: c.faults + (entry.fault === undefined ? 0 : 1)
        }
      }
    }),
  entries: Effect.map(Ref.get(ref), (s) => s.entries),
  counters: Effect.map(Ref.get(ref), (s) => s.counters),
  reset: Ref.set(ref, empty)
}))

/**
 * An entry as JSON for the admin route (the token only as its fingerprint).
 *
 * @since 0.1.0
 * @category formatting
 */
export const toJson = (entry: RequestLogEntry): Record<string, unknown> => {
  const { token: _token, ...rest } = entry
  return rest
}

/**
 * Unwrap a logged token (tests compare it with the token a client sent).
 *
 * @since 0.1.0
 * @category formatting
 */
export const tokenValue = (entry: RequestLogEntry): string | undefined =>
  entry.token === undefined ? undefined : Redacted.value(entry.token)
