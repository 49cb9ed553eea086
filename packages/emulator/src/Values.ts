/**
 * Typed cells: how a CSV field becomes a stored SQLite value for each Domo column type, and how
 * a stored value is written back (CSV export) or answered (query results).
 *
 * Storage: STRING text, LONG integer, DECIMAL text (kept exactly as sent), DOUBLE real, DATE
 * text `YYYY-MM-DD`, DATETIME text `YYYY-MM-DDTHH:MM:SS[.sss]` (UTC).
 *
 * @since 0.1.0
 */
import type { DataSetModels } from "@effect-domo/client"

/**
 * The declared SQLite type of a column: its Domo type is readable back from it (query
 * metadata), and its affinity stores the value as intended.
 *
 * @since 0.1.0
 * @category storage
 */
export const sqliteType = (type: DataSetModels.ColumnType): string => {
  switch (type) {
    case "STRING":
      return "STRING_TEXT"
    case "LONG":
      return "LONG_INTEGER"
    case "DECIMAL":
      return "DECIMAL_TEXT"
    case "DOUBLE":
      return "DOUBLE"
    case "DATE":
      return "DATE_TEXT"
    case "DATETIME":
      return "DATETIME_TEXT"
  }
}

/**
 * The Domo type behind a declared SQLite type, if it is one of ours.
 *
 * @since 0.1.0
 * @category storage
 */
export const domoTypeOf = (declared: string): DataSetModels.ColumnType | undefined => {
  switch (declared.toUpperCase()) {
    case "STRING_TEXT":
      return "STRING"
    case "LONG_INTEGER":
      return "LONG"
    case "DECIMAL_TEXT":
      return "DECIMAL"
    case "DOUBLE":
      return "DOUBLE"
    case "DATE_TEXT":
      return "DATE"
    case "DATETIME_TEXT":
      return "DATETIME"
    default:
      return undefined
  }
}

const INTEGER = /^[+-]?\d+$/
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

const validDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/**
 * Convert a CSV field to the value stored for `type`; a string result starting with `!` is
 * an error detail instead.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromField = (
  type: DataSetModels.ColumnType,
  field: string | null
): string | number | bigint | null | { readonly error: string } => {
  if (field === null) return null
  switch (type) {
    case "STRING":
      return field
    case "LONG": {
      const text = field.trim()
      if (text === "") return null
      if (!INTEGER.test(text)) return { error: `Unable to parse '${field}' as LONG` }
      const n = Number(text)
      return Number.isSafeInteger(n) ? n : BigInt(text)
    }
    case "DOUBLE": {
      const text = field.trim()
      if (text === "") return null
      if (!NUMBER.test(text)) return { error: `Unable to parse '${field}' as DOUBLE` }
      return Number(text)
    }
    case "DECIMAL": {
      const text = field.trim()
      if (text === "") return null
      if (!NUMBER.test(text)) return { error: `Unable to parse '${field}' as DECIMAL` }
      return text
    }
    case "DATE": {
      const text = field.trim()
      if (text === "") return null
      const m = DATETIME.exec(text)
      if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
        return { error: `Unable to parse '${field}' as DATE` }
      }
      return `${m[1]}-${m[2]}-${m[3]}`
    }
    case "DATETIME": {
      const text = field.trim()
      if (text === "") return null
      const m = DATETIME.exec(text)
      if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
        return { error: `Unable to parse '${field}' as DATETIME` }
      }
      const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)]
      if (h > 23 || mi > 59 || s > 59) return { error: `Unable to parse '${field}' as DATETIME` }
      const fraction = m[7] === undefined ? "" : m[7].padEnd(3, "0").slice(0, 3)
      const zone = m[8]
      if (zone === undefined || zone.toUpperCase() === "Z") {
        return `${m[1]}-${m[2]}-${m[3]}T${pad(h)}:${pad(mi)}:${pad(s)}${fraction === "" ? "" : `.${fraction}`}`
      }
      const sign = zone.startsWith("-") ? -1 : 1
      const digits = zone.replace(/[+:-]/g, "")
      const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)))
      const utc = new Date(
        Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, mi, s, fraction === "" ? 0 : Number(fraction)) -
          offset * 60_000
      )
      const iso = utc.toISOString()
      return fraction === "" ? iso.slice(0, 19) : iso.slice(0, 23)
    }
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57

// `YYYY-MM-DD` at `buf[at, at + 10)`: digits and dashes in place, a plausible month and day
const plainDate = (buf: string, at: number): boolean => {
  if (buf.charCodeAt(at + 4) !== 45 || buf.charCodeAt(at + 7) !== 45) return false
  if (
    !isDigit(buf.charCodeAt(at)) || !isDigit(buf.charCodeAt(at + 1)) || !isDigit(buf.charCodeAt(at + 2)) ||
    !isDigit(buf.charCodeAt(at + 3)) || !isDigit(buf.charCodeAt(at + 5)) || !isDigit(buf.charCodeAt(at + 6)) ||
    !isDigit(buf.charCodeAt(at + 8)) || !isDigit(buf.charCodeAt(at + 9))
  ) return false
  const month = (buf.charCodeAt(at + 5) - 48) * 10 + buf.charCodeAt(at + 6) - 48
  const day = (buf.charCodeAt(at + 8) - 48) * 10 + buf.charCodeAt(at + 9) - 48
  if (month < 1 || month > 12 || day < 1) return false
  return day <= 28 || validDate(Number(buf.slice(at, at + 4)), month, day)
}

// `YYYY-MM-DDTHH:MM:SS` (the form Domo answers with) or with a space (the form CSV uploads
// use), exactly, as `buf[start, end)`: no regex, no Date
const plainDateTime = (buf: string, start: number, end: number): boolean => {
  const sep = buf.charCodeAt(start + 10)
  if (end - start !== 19 || (sep !== 84 && sep !== 32) || !plainDate(buf, start)) return false
  if (buf.charCodeAt(start + 13) !== 58 || buf.charCodeAt(start + 16) !== 58) return false
  const h1 = buf.charCodeAt(start + 11)
  const h2 = buf.charCodeAt(start + 12)
  const m1 = buf.charCodeAt(start + 14)
  const s1 = buf.charCodeAt(start + 17)
  if (
    !isDigit(h1) || !isDigit(h2) || !isDigit(m1) || !isDigit(buf.charCodeAt(start + 15)) || !isDigit(s1) ||
    !isDigit(buf.charCodeAt(start + 18))
  ) return false
  return (h1 < 50 || (h1 === 50 && h2 < 52)) && m1 < 54 && s1 < 54
}

// `-?\d{1,15}` as `buf[start, end)`: a safe integer whatever its digits, as `fromField` would
// store it; its value (read in place, no string), or NaN when it is not one
const plainInteger = (buf: string, start: number, end: number): number => {
  const negative = buf.charCodeAt(start) === 45
  const from = negative ? start + 1 : start
  if (end <= from || end - from > 15) return NaN
  let value = 0
  for (let i = from; i < end; i++) {
    const d = buf.charCodeAt(i) - 48
    if (d < 0 || d > 9) return NaN
    value = value * 10 + d
  }
  return negative ? -value : value
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i)

// `-?\d+(\.\d*)?` of at most 24 characters (what `NUMBER` accepts, with no spaces to trim) as
// `buf[start, end)`: its value, or NaN when it is not one. Up to 15 digits the value is read in
// place: mantissa and power of ten are exact doubles, so their quotient is the double `Number`
// gives; longer ones go through `Number`.
const plainDecimal = (buf: string, start: number, end: number): number => {
  const negative = buf.charCodeAt(start) === 45
  const from = negative ? start + 1 : start
  if (end <= from || end - start > 24 || !isDigit(buf.charCodeAt(from))) return NaN
  let mantissa = 0
  let digits = 0
  let dot = -1
  for (let i = from; i < end; i++) {
    const d = buf.charCodeAt(i) - 48
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d
      digits++
    } else if (d === -2 && dot === -1) {
      dot = digits
    } else {
      return NaN
    }
  }
  if (digits > 15) return Number(buf.slice(start, end))
  const value = dot === -1 ? mantissa : mantissa / POWERS_OF_TEN[digits - dot]!
  return negative ? -value : value
}

/**
 * Converts the field `buf[start, end)` (NULL when empty) to its stored value, or an error.
 *
 * @since 0.1.0
 * @category parsing
 */
export type SpanConverter = (buf: string, start: number, end: number) => ReturnType<typeof fromField>

const viaText = (type: DataSetModels.ColumnType, buf: string, start: number, end: number) =>
  fromField(type, start === end ? null : buf.slice(start, end))

/**
 * The converter of a column type for fields read in place ({@link fromField} with fast paths
 * for the common forms: numbers read without a string, dates checked without a regex), for
 * bulk imports.
 *
 * @since 0.1.0
 * @category parsing
 */
export const spanConverter = (type: DataSetModels.ColumnType): SpanConverter => {
  switch (type) {
    case "STRING":
      return (buf, start, end) => start === end ? null : buf.slice(start, end)
    case "DATE":
      return (buf, start, end) =>
        end - start === 10 && plainDate(buf, start) ? buf.slice(start, end) : viaText(type, buf, start, end)
    case "DATETIME":
      return (buf, start, end) =>
        plainDateTime(buf, start, end)
          ? buf.charCodeAt(start + 10) === 84
            ? buf.slice(start, end)
            : buf.slice(start, start + 10) + "T" + buf.slice(start + 11, end)
          : viaText(type, buf, start, end)
    case "LONG":
      return (buf, start, end) => {
        const value = plainInteger(buf, start, end)
        return Number.isNaN(value) ? viaText(type, buf, start, end) : value
      }
    case "DOUBLE":
      return (buf, start, end) => {
        const value = plainDecimal(buf, start, end)
        return Number.isNaN(value) ? viaText(type, buf, start, end) : value
      }
    default:
      return (buf, start, end) => viaText(type, buf, start, end)
  }
}

/**
 * The field converter of a column type ({@link fromField} with the fast paths of
 * {@link spanConverter}), for bulk imports.
 *
 * @since 0.1.0
 * @category parsing
 */
export const converter = (
  type: DataSetModels.ColumnType
): (field: string | null) => ReturnType<typeof fromField> => {
  if (type === "STRING") return (field) => field
  const span = spanConverter(type)
  // a quoted empty field is the empty string, not NULL: only `fromField` tells them apart
  return (field) => field === null || field === "" ? fromField(type, field) : span(field, 0, field.length)
}

/**
 * A stored value as a query result cell: numbers for LONG/DOUBLE/DECIMAL, strings otherwise.
 *
 * @since 0.1.0
 * @category formatting
 */
export const toQueryValue = (
  type: DataSetModels.ColumnType | undefined,
  value: unknown
): string | number | boolean | null => {
  if (value === null || value === undefined) return null
  if (typeof value === "bigint") return Number(value)
  if (type === "DECIMAL" || type === "LONG" || type === "DOUBLE") {
    if (typeof value === "number") return value
    const n = Number(value)
    return Number.isNaN(n) ? String(value) : n
  }
  if (type === "STRING" || type === "DATE" || type === "DATETIME") return String(value)
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value
  return String(value)
}

/**
 * The Domo type of a result column with no declared type (an expression), from its first
 * non-null value.
 *
 * @since 0.1.0
 * @category formatting
 */
export const inferType = (value: unknown): DataSetModels.ColumnType => {
  if (typeof value === "bigint") return "LONG"
  if (typeof value === "number") return Number.isInteger(value) ? "LONG" : "DOUBLE"
  return "STRING"
}
