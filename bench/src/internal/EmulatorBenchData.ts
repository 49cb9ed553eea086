/**
 * Data of the emulator benchmark (`emulator.ts`): six seeded columns (STRING with commas, quotes,
 * line breaks and empty strings; LONG; DOUBLE; DECIMAL; DATE; DATETIME; 5 % NULLs each), written
 * as CSV exactly as the emulator writes its export, so a round trip is byte-identical.
 *
 * @internal
 */
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import { mulberry32, WORDS } from "./Random.js"

/** @internal */
export type Row = readonly [
  label: string | null,
  count: number | null,
  amount: number | null,
  price: string | null,
  day: string | null,
  at: string | null
]

/** @internal */
export const COLUMNS = [
  { name: "label", type: "STRING" },
  { name: "count", type: "LONG" },
  { name: "amount", type: "DOUBLE" },
  { name: "price", type: "DECIMAL" },
  { name: "day", type: "DATE" },
  { name: "at", type: "DATETIME" }
] as const

// the emulator's declared SQLite types (`Values.sqliteType`): the same affinities in the baseline
/** @internal */
export const BASELINE_TABLE =
  "CREATE TABLE t (label STRING_TEXT, count LONG_INTEGER, amount DOUBLE, price DECIMAL_TEXT, day DATE_TEXT, at DATETIME_TEXT)"

const pad = (n: number) => (n < 10 ? "0" : "") + n

/** The same seeded rows on every call. @internal */
export function* generateRows(count: number): Generator<Row> {
  const random = mulberry32(42)
  const word = () => WORDS[Math.floor(random() * WORDS.length)]
  const nullable = <A>(make: () => A): A | null => (random() < 0.05 ? null : make())
  for (let i = 0; i < count; i++) {
    const label = nullable(() => {
      const r = random()
      return r < 0.06
        ? `${word()}, ${word()}`
        : r < 0.09
        ? `${word()} "${word()}"`
        : r < 0.10
        ? `${word()}\n${word()}`
        : r < 0.11
        ? ""
        : `${word()} ${i}`
    })
    const ms = Date.UTC(2000, 0, 1) + Math.floor(random() * 9000 * 86_400) * 1000
    const date = new Date(ms)
    const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
    yield [
      label,
      nullable(() => Math.floor(random() * 2e12) - 1e12),
      nullable(() => Math.round(random() * 1e10) / 1e4 - 5e5),
      nullable(() => ((Math.floor(random() * 1e9) - 5e8) / 100).toFixed(2)),
      nullable(() => day),
      nullable(() => `${day}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`)
    ]
  }
}

// as the emulator's `Csv.formatField`: NULL empty, "" quoted, quotes where needed
const NEEDS_QUOTES = /[",\r\n]/
const text = (value: string | null): string =>
  value === null
    ? ""
    : value === ""
    ? "\"\""
    : NEEDS_QUOTES.test(value)
    ? "\"" + value.replace(/"/g, "\"\"") + "\""
    : value
const num = (value: number | null): string => (value === null ? "" : String(value))
/** @internal */
export const formatRow = (r: Row): string =>
  text(r[0]) + "," + num(r[1]) + "," + num(r[2]) + "," + text(r[3]) + "," + text(r[4]) + "," + text(r[5]) + "\n"

/**
 * The CSV of `count` rows in ~64 KiB buffers, made as they are pulled (never all in memory).
 *
 * @internal
 */
export function* csvChunks(count: number, hash: Crypto.Hash): Generator<Buffer> {
  let chunk = ""
  for (const row of generateRows(count)) {
    chunk += formatRow(row)
    if (chunk.length >= 65_536) {
      const bytes = Buffer.from(chunk)
      hash.update(bytes)
      chunk = ""
      yield bytes
    }
  }
  if (chunk !== "") {
    const bytes = Buffer.from(chunk)
    hash.update(bytes)
    yield bytes
  }
}

/**
 * Counts CSV records in a byte stream: a line feed outside quotes ends one (`""` toggles twice).
 *
 * @internal
 */
export class RecordCounter {
  records = 0
  bytes = 0
  private quoted = false
  push(chunk: Uint8Array) {
    this.bytes += chunk.length
    let quoted = this.quoted
    let records = this.records
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]
      if (c === 34) quoted = !quoted
      else if (c === 10 && !quoted) records++
    }
    this.quoted = quoted
    this.records = records
  }
}

/**
 * Write the CSV of `count` rows to a file, buffer by buffer: its size and SHA-256.
 *
 * @internal
 */
export const writeCsvFile = (path: string, count: number): { readonly bytes: number; readonly sha256: string } => {
  const hash = Crypto.createHash("sha256")
  const fd = Fs.openSync(path, "w")
  let bytes = 0
  try {
    for (const chunk of csvChunks(count, hash)) bytes += Fs.writeSync(fd, chunk)
  } finally {
    Fs.closeSync(fd)
  }
  return { bytes, sha256: hash.digest("hex") }
}
