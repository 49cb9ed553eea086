/**
 * What commands print on stdout: readable tables for people, one JSON document (`--json`) or
 * NDJSON (one JSON object per line, for streams of rows) for scripts.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import * as NodeSink from "@effect/platform-node/NodeSink"
import * as BigDecimal from "effect/BigDecimal"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import type * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import * as ErrorReport from "./ErrorReport.js"

/**
 * `--json`: machine-readable output.
 *
 * @since 0.1.0
 * @category options
 */
export const json = Options.boolean("json").pipe(
  Options.withDescription("print JSON (one document; NDJSON, one object per line, for rows) instead of a table")
)

/**
 * A `BigDecimal` as plain text with its own scale (`10.50` stays `10.50`; `BigDecimal.format`
 * would normalize it to `10.5`).
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDecimal = (value: BigDecimal.BigDecimal): string => {
  const sign = value.value < 0n ? "-" : ""
  const digits = (value.value < 0n ? -value.value : value.value).toString()
  if (value.scale <= 0) return `${sign}${digits}${"0".repeat(-value.scale)}`
  const padded = digits.padStart(value.scale + 1, "0")
  return `${sign}${padded.slice(0, -value.scale)}.${padded.slice(-value.scale)}`
}

/**
 * Turns a value into what `JSON.stringify` should see: `Date` → ISO text, `BigDecimal` and
 * `bigint` → exact decimal text (no float loss), `Redacted` stays redacted.
 *
 * @since 0.1.0
 * @category formatting
 */
export const toJsonValue = (value: unknown): unknown => {
  if (value === null || value === undefined) return value ?? null
  if (typeof value === "bigint") return value.toString()
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  if (BigDecimal.isBigDecimal(value)) return formatDecimal(value)
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (Predicate.isRecord(value) && !Predicate.hasProperty(value, "toJSON")) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v)
    return out
  }
  return value
}

/**
 * One cell of a table as text.
 *
 * @since 0.1.0
 * @category formatting
 */
export const cell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value)
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "" : value.toISOString().replace("T", " ").replace(/\.000Z$|Z$/, "")
  }
  if (BigDecimal.isBigDecimal(value)) return formatDecimal(value)
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  return JSON.stringify(toJsonValue(value))
}

const MAX_CELL = 60

const clip = (text: string): string => {
  const oneLine = text.replace(/\s+/g, " ")
  return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine
}

const isNumeric = (value: unknown): boolean =>
  typeof value === "number" || typeof value === "bigint" || BigDecimal.isBigDecimal(value)

/**
 * Renders rows as an aligned text table (numbers right-aligned, long cells clipped).
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  columns?: ReadonlyArray<string> | undefined
): string => {
  const names = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))]
  if (names.length === 0) return "(no rows)"
  const texts = rows.map((row) => names.map((name) => clip(cell(row[name]))))
  const right = names.map((name) => rows.length > 0 && rows.every((row) => row[name] == null || isNumeric(row[name])))
  const widths = names.map((name, i) => Math.max(name.length, ...texts.map((t) => t[i].length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((c, i) => right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ").trimEnd()
  const out = [line(names), widths.map((w) => "─".repeat(w)).join("  "), ...texts.map(line)]
  if (rows.length === 0) out.push("(no rows)")
  return out.join("\n")
}

/**
 * Renders one record as `key  value` lines.
 *
 * @since 0.1.0
 * @category formatting
 */
export const record = (value: Readonly<Record<string, unknown>>): string => {
  const keys = Object.keys(value)
  const width = Math.max(0, ...keys.map((k) => k.length))
  return keys.map((k) => `${k.padEnd(width)}  ${cell(value[k])}`).join("\n")
}

/**
 * Prints one value: as JSON with `--json`, otherwise as text made by `human`.
 *
 * @since 0.1.0
 * @category printing
 */
export const print = <A>(asJson: boolean, value: A, human: (value: A) => string): Effect.Effect<void> =>
  Console.log(asJson ? JSON.stringify(toJsonValue(value), null, 2) : human(value))

/**
 * A sink writing bytes or text to stdout with back-pressure (stdout is not closed at the end).
 *
 * @since 0.1.0
 * @category printing
 */
export const stdoutSink: Sink.Sink<
  void,
  string | Uint8Array,
  never,
  ErrorReport.FileError | ErrorReport.OutputClosedError
> = NodeSink.fromWritable(
  () => process.stdout,
  (error) =>
    Predicate.hasProperty(error, "code") && error.code === "EPIPE"
      ? new ErrorReport.OutputClosedError()
      : new ErrorReport.FileError({ path: "(stdout)", reason: String(error) }),
  { endOnDone: false }
)

/**
 * Prints a stream of rows: NDJSON with `--json`, otherwise a table (the rows are collected,
 * up to `limit` for the table).
 *
 * @since 0.1.0
 * @category printing
 */
export const rows = <E, R>(
  asJson: boolean,
  stream: Stream.Stream<Readonly<Record<string, unknown>>, E, R>,
  columns?: ReadonlyArray<string> | undefined
): Effect.Effect<void, E | ErrorReport.FileError | ErrorReport.OutputClosedError, R> =>
  asJson
    ? stream.pipe(
      Stream.map((row) => `${JSON.stringify(toJsonValue(row))}\n`),
      Stream.run(stdoutSink)
    )
    : Effect.flatMap(Stream.runCollect(stream), (chunk) => Console.log(table(Array.from(chunk), columns)))
