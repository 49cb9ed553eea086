/**
 * Text codecs for Domo's column types, written as plain functions so that the CSV hot path calls
 * them directly (compiled once per table), without a Schema decode per row.
 *
 * @internal
 */
import * as BigDecimal from "effect/BigDecimal"

/**
 * Thrown by a codec for a value it cannot convert; the CSV layer adds row and column.
 *
 * @internal
 */
export class ValueError {
  readonly _tag = "ValueError"
  constructor(readonly reason: string) {}
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57

/** @internal */
export const decodeString = (text: string): string => text

/** @internal */
export const encodeString = (value: unknown): string => {
  if (typeof value !== "string") throw new ValueError("expected a string")
  return value
}

const integerText = (text: string): boolean => {
  const len = text.length
  let i = text.charCodeAt(0) === 45 ? 1 : 0
  if (i >= len) return false
  for (; i < len; i++) if (!isDigit(text.charCodeAt(i))) return false
  return true
}

/** @internal */
export const decodeLong = (text: string): number => {
  if (!integerText(text)) throw new ValueError("expected an integer (LONG)")
  const n = Number(text)
  if (!Number.isSafeInteger(n)) {
    throw new ValueError("a LONG outside the safe-integer range (use DomoTable.bigint for 64-bit values)")
  }
  return n
}

/**
 * `decodeLong` of `buf[start, end)` without making a string: up to 15 digits (always safe) are
 * summed in place; anything else takes the text path, so results and errors are the same.
 *
 * @internal
 */
export const decodeLongAt = (buf: string, start: number, end: number): number => {
  const negative = buf.charCodeAt(start) === 45
  let i = negative ? start + 1 : start
  if (i < end && end - i <= 15) {
    let n = 0
    for (; i < end; i++) {
      const d = buf.charCodeAt(i) - 48
      if (d < 0 || d > 9) break
      n = n * 10 + d
    }
    if (i === end) return negative ? -n : n
  }
  return decodeLong(buf.slice(start, end))
}

/** @internal */
export const encodeLong = (value: unknown): string => {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new ValueError("a LONG must be a safe integer")
  return String(value)
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** @internal */
export const decodeBigint = (text: string): bigint => {
  if (!integerText(text)) throw new ValueError("expected an integer (LONG)")
  const n = BigInt(text)
  if (n < INT64_MIN || n > INT64_MAX) throw new ValueError("a LONG outside the 64-bit range")
  return n
}

/** @internal */
export const encodeBigint = (value: unknown): string => {
  if (typeof value !== "bigint") throw new ValueError("expected a bigint")
  if (value < INT64_MIN || value > INT64_MAX) throw new ValueError("a LONG outside the 64-bit range")
  return value.toString()
}

const DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** @internal */
export const decodeDouble = (text: string): number => {
  if (!DOUBLE.test(text)) throw new ValueError("expected a number (DOUBLE)")
  const n = Number(text)
  if (!Number.isFinite(n)) throw new ValueError("a DOUBLE outside the finite range")
  return n
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i)

/**
 * `decodeDouble` of `buf[start, end)` without making a string, for plain decimals of at most 15
 * digits: mantissa and power of ten are exact doubles, so their quotient is correctly rounded,
 * the same double `Number(text)` gives. Anything else (exponents, long mantissas) takes the text path.
 *
 * @internal
 */
export const decodeDoubleAt = (buf: string, start: number, end: number): number => {
  const sign = buf.charCodeAt(start)
  let i = sign === 45 || sign === 43 ? start + 1 : start
  let mantissa = 0
  let digits = 0
  let scale = -1
  for (; i < end; i++) {
    const d = buf.charCodeAt(i) - 48
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d
      digits++
    } else if (d === -2 && scale === -1) {
      scale = digits
    } else {
      break
    }
  }
  if (i === end && digits > 0 && digits <= 15) {
    const value = scale === -1 ? mantissa : mantissa / POWERS_OF_TEN[digits - scale]
    return sign === 45 ? -value : value
  }
  return decodeDouble(buf.slice(start, end))
}

/** @internal */
export const encodeDouble = (value: unknown): string => {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ValueError("a DOUBLE must be a finite number")
  return String(value)
}

/** @internal */
export const decodeDecimal = (text: string): BigDecimal.BigDecimal => {
  if (!DOUBLE.test(text)) throw new ValueError("expected a decimal number (DECIMAL)")
  return BigDecimal.unsafeFromString(text)
}

/**
 * Plain positional notation: `BigDecimal.format` switches to exponent notation from 16 digits of
 * scale, which is not what a DECIMAL column should receive.
 *
 * @internal
 */
export const formatDecimal = (value: BigDecimal.BigDecimal): string => {
  const negative = value.value < 0n
  const digits = (negative ? -value.value : value.value).toString()
  const scale = value.scale
  let out: string
  if (scale <= 0) {
    out = digits === "0" ? "0" : digits + "0".repeat(-scale)
  } else if (digits.length > scale) {
    out = digits.slice(0, digits.length - scale) + "." + digits.slice(digits.length - scale)
  } else {
    out = "0." + "0".repeat(scale - digits.length) + digits
  }
  return negative ? "-" + out : out
}

/** @internal */
export const encodeDecimal = (value: unknown): string => {
  if (!BigDecimal.isBigDecimal(value)) throw new ValueError("a DECIMAL must be a BigDecimal")
  return formatDecimal(value)
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const daysIn = (year: number, month: number): number =>
  month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : DAYS[month - 1]

const num2 = (text: string, at: number): number => {
  const a = text.charCodeAt(at) - 48
  const b = text.charCodeAt(at + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

const num4 = (text: string, at: number): number => {
  const hi = num2(text, at)
  const lo = num2(text, at + 2)
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo
}

/** Epoch millis of `YYYY-MM-DD` at `text[at, at + 10)`, or NaN. */
const dayMillis = (text: string, at: number): number => {
  if (text.charCodeAt(at + 4) !== 45 || text.charCodeAt(at + 7) !== 45) return NaN
  const year = num4(text, at)
  const month = num2(text, at + 5)
  const day = num2(text, at + 8)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN
  // Date.UTC maps the years 0–99 to 1900–1999.
  return year >= 100 ? Date.UTC(year, month - 1, day) : new Date(0).setUTCFullYear(year, month - 1, day)
}

/** @internal */
export const decodeDate = (text: string): Date => {
  const ms = text.length === 10 ? dayMillis(text, 0) : NaN
  if (Number.isNaN(ms)) throw new ValueError("expected a date YYYY-MM-DD (DATE)")
  return new Date(ms)
}

/**
 * `decodeDate` of `buf[start, end)`, read in place.
 *
 * @internal
 */
export const decodeDateAt = (buf: string, start: number, end: number): Date => {
  const ms = end - start === 10 ? dayMillis(buf, start) : NaN
  return Number.isNaN(ms) ? decodeDate(buf.slice(start, end)) : new Date(ms)
}

// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the years a 4-digit text can hold
const MIN_TIME = -62167219200000
const MAX_TIME = 253402300799999

const validDate = (value: unknown): value is Date => {
  if (!(value instanceof Date)) return false
  const time = value.getTime()
  return time >= MIN_TIME && time <= MAX_TIME
}

const DAY_MS = 86_400_000
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? "0" : "") + i)
// `YYYY-MM-DD` of recent day numbers: rows of a table tend to share days, and formatting a
// day is the expensive part of writing a DATE or DATETIME.
const dayKeys = new Float64Array(16384).fill(Number.NaN)
const dayTexts: Array<string> = new Array(16384).fill("")
const dayText = (day: number): string => {
  const slot = day & 16383
  if (dayKeys[slot] === day) return dayTexts[slot]
  const text = new Date(day * DAY_MS).toISOString().slice(0, 10)
  dayKeys[slot] = day
  dayTexts[slot] = text
  return text
}

/** @internal */
export const encodeDate = (value: unknown): string => {
  if (!validDate(value)) throw new ValueError("a DATE must be a valid Date in the years 0000–9999")
  return dayText(Math.floor(value.getTime() / DAY_MS))
}

const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/

/** Epoch millis of `YYYY-MM-DD HH:MM:SS` (or with `T`) at `text[at, at + 19)` read as UTC, or NaN. */
const plainDatetimeMillis = (text: string, at: number): number => {
  const sep = text.charCodeAt(at + 10)
  const day = (sep === 32 || sep === 84) && text.charCodeAt(at + 13) === 58 && text.charCodeAt(at + 16) === 58
    ? dayMillis(text, at)
    : NaN
  const h = num2(text, at + 11)
  const m = num2(text, at + 14)
  const s = num2(text, at + 17)
  return !Number.isNaN(day) && h >= 0 && h < 24 && m >= 0 && m < 60 && s >= 0 && s < 60
    ? day + ((h * 60 + m) * 60 + s) * 1000
    : NaN
}

/** @internal */
export const decodeDatetime = (text: string): Date => {
  // Fast path: `YYYY-MM-DD HH:MM:SS` or with `T` (exports and query results), read as UTC.
  if (text.length === 19) {
    const ms = plainDatetimeMillis(text, 0)
    if (!Number.isNaN(ms)) return new Date(ms)
  }
  const match = DATETIME.exec(text)
  const day = match === null ? NaN : dayMillis(match[1], 0)
  if (match === null || Number.isNaN(day)) {
    throw new ValueError("expected a date-time YYYY-MM-DD HH:MM:SS (DATETIME, UTC)")
  }
  const h = Number(match[2])
  const m = Number(match[3])
  const s = match[4] === undefined ? 0 : Number(match[4])
  if (h > 23 || m > 59 || s > 59) throw new ValueError("expected a date-time YYYY-MM-DD HH:MM:SS (DATETIME, UTC)")
  const ms = match[5] === undefined ? 0 : Number(match[5].slice(0, 3).padEnd(3, "0"))
  let offset = 0
  const zone = match[6]
  if (zone !== undefined && zone !== "Z") {
    const digits = zone.replace(":", "")
    offset = (zone.charCodeAt(0) === 45 ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)))
  }
  return new Date(day + ((h * 60 + m - offset) * 60 + s) * 1000 + ms)
}

/**
 * `decodeDatetime` of `buf[start, end)`, read in place when it is the plain 19-character form.
 *
 * @internal
 */
export const decodeDatetimeAt = (buf: string, start: number, end: number): Date => {
  const ms = end - start === 19 ? plainDatetimeMillis(buf, start) : NaN
  return Number.isNaN(ms) ? decodeDatetime(buf.slice(start, end)) : new Date(ms)
}

/**
 * The in-place reader of a text codec of this module, if it has one (`undefined` for codecs
 * written elsewhere, which get the slice).
 *
 * @internal
 */
export const decoderAt = (
  fromText: (text: string) => unknown
): ((buf: string, start: number, end: number) => unknown) | undefined =>
  fromText === decodeLong
    ? decodeLongAt
    : fromText === decodeDouble
    ? decodeDoubleAt
    : fromText === decodeDate
    ? decodeDateAt
    : fromText === decodeDatetime
    ? decodeDatetimeAt
    : undefined

/** @internal */
export const encodeDatetime = (value: unknown): string => {
  if (!validDate(value)) throw new ValueError("a DATETIME must be a valid Date in the years 0000–9999")
  const time = value.getTime()
  const day = Math.floor(time / DAY_MS)
  const seconds = Math.floor((time - day * DAY_MS) / 1000)
  const minutes = Math.floor(seconds / 60)
  return dayText(day) + " " + TWO_DIGITS[Math.floor(minutes / 60)] + ":" + TWO_DIGITS[minutes % 60] + ":" +
    TWO_DIGITS[seconds % 60]
}
