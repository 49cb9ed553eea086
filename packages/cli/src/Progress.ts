/**
 * Progress bars for long transfers (imports, exports, uploads): bytes, rows, parts, rate and
 * ETA, redrawn on stderr a few times a second when stderr is a terminal; silent otherwise, so
 * pipes and scripts see only the data.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"

/**
 * What is known in advance about a transfer (for the bar and the ETA).
 *
 * @since 0.1.0
 * @category models
 */
export interface Totals {
  readonly bytes?: number | undefined
  readonly rows?: number | undefined
  readonly parts?: number | undefined
}

/**
 * A running transfer's counters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tracker {
  readonly addBytes: (n: number) => Effect.Effect<void>
  readonly addRows: (n: number) => Effect.Effect<void>
  readonly addParts: (n: number) => Effect.Effect<void>
  /** the counters so far and the elapsed time */
  readonly snapshot: Effect.Effect<Snapshot>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  readonly bytes: number
  readonly rows: number
  readonly parts: number
  readonly elapsed: Duration.Duration
}

/**
 * Whether bars are drawn: stderr is a terminal and `DOMO_NO_PROGRESS` is not set.
 *
 * @since 0.1.0
 * @category predicates
 */
export const enabled = (): boolean => process.stderr.isTTY === true && process.env["DOMO_NO_PROGRESS"] === undefined

/**
 * `1.5 MB`, `812 kB`, `35 B` (decimal units).
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatBytes = (n: number): string => {
  if (n < 1000) return `${n} B`
  const units = ["kB", "MB", "GB", "TB"]
  let value = n / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`
}

/**
 * `1,000,000`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US")

/**
 * `850 ms`, `4.2 s`, `1 m 05 s`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDuration = (d: Duration.DurationInput): string => {
  const ms = Duration.toMillis(Duration.decode(d))
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, "0")} s`
}

const BAR_WIDTH = 24

/**
 * One progress line.
 *
 * @since 0.1.0
 * @category formatting
 */
export const render = (label: string, totals: Totals, s: Snapshot): string => {
  const seconds = Math.max(Duration.toMillis(s.elapsed) / 1000, 0.001)
  // the fraction done comes from whichever total is known: bytes, then rows, then parts
  const fraction = totals.bytes !== undefined && totals.bytes > 0
    ? s.bytes / totals.bytes
    : totals.rows !== undefined && totals.rows > 0
    ? s.rows / totals.rows
    : totals.parts !== undefined && totals.parts > 0
    ? s.parts / totals.parts
    : undefined
  const parts: Array<string> = [label]
  if (fraction !== undefined) {
    const f = Math.min(1, Math.max(0, fraction))
    const filled = Math.round(f * BAR_WIDTH)
    parts.push(`[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${(f * 100).toFixed(0).padStart(3)}%`)
  }
  if (s.bytes > 0 || totals.bytes !== undefined) {
    parts.push(
      totals.bytes !== undefined ? `${formatBytes(s.bytes)}/${formatBytes(totals.bytes)}` : formatBytes(s.bytes)
    )
  }
  if (s.rows > 0 || totals.rows !== undefined) {
    parts.push(`${formatCount(s.rows)}${totals.rows !== undefined ? `/${formatCount(totals.rows)}` : ""} rows`)
  }
  if (s.parts > 0 || totals.parts !== undefined) {
    parts.push(`${s.parts}${totals.parts !== undefined ? `/${totals.parts}` : ""} parts`)
  }
  parts.push(
    s.bytes > 0 ? `${formatBytes(s.bytes / seconds)}/s` : `${formatCount(s.rows / seconds)} rows/s`
  )
  if (fraction !== undefined && fraction > 0 && fraction < 1) {
    parts.push(`ETA ${formatDuration(Duration.seconds((seconds * (1 - fraction)) / fraction))}`)
  } else {
    parts.push(formatDuration(s.elapsed))
  }
  return parts.join("  ")
}

/**
 * Tracks a transfer in the current scope; when `draw` (default: `enabled()`), redraws its line
 * on stderr every 100 ms and leaves the final line when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  label: string,
  totals: Totals = {},
  options?: { readonly draw?: boolean | undefined }
): Effect.Effect<Tracker, never, Scope.Scope> =>
  Effect.gen(function*() {
    const start = performance.now()
    let bytes = 0
    let rows = 0
    let parts = 0
    const snapshotNow = (): Snapshot => ({ bytes, rows, parts, elapsed: Duration.millis(performance.now() - start) })
    const draw = options?.draw ?? enabled()
    if (draw) {
      const paint = Effect.sync(() => {
        process.stderr.write(`\r\x1b[2K${render(label, totals, snapshotNow())}`)
      })
      yield* paint.pipe(Effect.repeat(Schedule.spaced("100 millis")), Effect.forkScoped)
      yield* Effect.addFinalizer(() => Effect.zipRight(paint, Effect.sync(() => process.stderr.write("\n"))))
    }
    return {
      addBytes: (n) =>
        Effect.sync(() => {
          bytes += n
        }),
      addRows: (n) =>
        Effect.sync(() => {
          rows += n
        }),
      addParts: (n) =>
        Effect.sync(() => {
          parts += n
        }),
      snapshot: Effect.sync(snapshotNow)
    }
  })

/**
 * Counts the bytes flowing through a stream.
 *
 * @since 0.1.0
 * @category combinators
 */
export const countBytes = (tracker: Tracker) => <E, R>(self: Stream.Stream<Uint8Array, E, R>) =>
  Stream.tap(self, (chunk) => tracker.addBytes(chunk.byteLength))

/**
 * Counts the elements (rows) flowing through a stream, a chunk at a time.
 *
 * @since 0.1.0
 * @category combinators
 */
export const countRows = (tracker: Tracker) => <A, E, R>(self: Stream.Stream<A, E, R>) =>
  Stream.mapChunksEffect(self, (chunk) => Effect.as(tracker.addRows(chunk.length), chunk))
