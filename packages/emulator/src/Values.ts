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

// `YYYY-MM-DD` at `text[0..10)`: digits and dashes in place, a plausible month and day
const plainDate = (text: string): boolean => {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(text.charCodeAt(i))) return false
  const month = (text.charCodeAt(5) - 48) * 10 + text.charCodeAt(6) - 48
  const day = (text.charCodeAt(8) - 48) * 10 + text.charCodeAt(9) - 48
  if (month < 1 || month > 12 || day < 1) return false
  return day <= 28 || validDate(Number(text.slice(0, 4)), month, day)
}

// `YYYY-MM-DDTHH:MM:SS` (the form Domo answers with) or with a space (the form CSV uploads
// use), exactly: no regex, no Date
const plainDateTime = (text: string): boolean => {
  const sep = text.charCodeAt(10)
  if (text.length !== 19 || (sep !== 84 && sep !== 32) || !plainDate(text)) return false
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false
  for (const i of [11, 12, 14, 15, 17, 18]) if (!isDigit(text.charCodeAt(i))) return false
  return text.charCodeAt(11) < 50 || (text.charCodeAt(11) === 50 && text.charCodeAt(12) < 52)
    ? text.charCodeAt(14) < 54 && text.charCodeAt(17) < 54
    : false
}

// `-?\d{1,15}`: a safe integer whatever its digits, as `fromField` would store it
const plainInteger = (text: string): boolean => {
  const start = text.charCodeAt(0) === 45 ? 1 : 0
  if (text.length <= start || text.length - start > 15) return false
  for (let i = start; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false
  return true
}

// `-?\d+(\.\d*)?` of at most 24 characters: what `NUMBER` accepts, with no spaces to trim
const plainDecimal = (text: string): boolean => {
  const start = text.charCodeAt(0) === 45 ? 1 : 0
  if (text.length <= start || text.length > 24 || !isDigit(text.charCodeAt(start))) return false
  let dot = false
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 && !dot) dot = true
    else if (!isDigit(c)) return false
  }
  return true
}

/**
 * The field converter of a column type ({@link fromField} with fast paths for the common
 * forms), for bulk imports.
 *
 * @since 0.1.0
 * @category parsing
 */
export const converter = (
  type: DataSetModels.ColumnType
): (field: string | null) => ReturnType<typeof fromField> => {
  switch (type) {
    case "STRING":
      return (field) => field
    case "DATE":
      return (field) => field !== null && field.length === 10 && plainDate(field) ? field : fromField(type, field)
    case "DATETIME":
      return (field) =>
        field !== null && plainDateTime(field)
          ? field.charCodeAt(10) === 84 ? field : field.slice(0, 10) + "T" + field.slice(11)
          : fromField(type, field)
    case "LONG":
      return (field) => field !== null && plainInteger(field) ? Number(field) : fromField(type, field)
    case "DOUBLE":
      return (field) => field !== null && plainDecimal(field) ? Number(field) : fromField(type, field)
    default:
      return (field) => fromField(type, field)
  }
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
