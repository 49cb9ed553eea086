/**
 * CSV benchmark: our typed encoder and decoder (DomoTable) against libraries and hand-written
 * lower-bound loops, one process, same data, ratios printed. Run: `pnpm bench` (needs a build).
 *
 * Data: ROWS rows (default 1,000,000) of six columns like perf-anchors §4: a string with commas
 * (6 %), quotes (3 %) and newlines (1 %); a LONG; a DOUBLE with 4 decimals; a DATE; a DATETIME;
 * a nullable string (30 % null).
 */
import { DomoTable } from "@effect-domo/client"
import * as d3 from "d3-dsv"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import Papa from "papaparse"
import { initParser } from "udsv"
import { type BenchRow, BenchTable, generateRows } from "./internal/BenchRows.js"

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const REPS = Number(process.env.REPS ?? 3)
const CHUNK = 64 * 1024

const Bench = BenchTable

// ---------------------------------------------------------------------------------------------
// data
// ---------------------------------------------------------------------------------------------

const rows: Array<BenchRow> = Array.from(generateRows(ROWS))
// The libraries take primitives: dates pre-formatted, as in perf-anchors §4.
const pad = (n: number) => (n < 10 ? "0" : "") + n
const dayText = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
const atText = (d: Date) => `${dayText(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
const primitive: Array<Array<string | number | null>> = rows.map((
  r
) => [r.name, r.count, r.amount, dayText(r.day), atText(r.at), r.note])

// ---------------------------------------------------------------------------------------------
// timing
// ---------------------------------------------------------------------------------------------

const gc = (globalThis as { gc?: () => void }).gc
interface Result {
  readonly name: string
  readonly seconds: number
  readonly bytes: number
}
const results: Array<Result> = []

interface Entry {
  readonly name: string
  readonly run: () => number | Promise<number>
  readonly count?: number
}

/**
 * Runs a group in rounds: every implementation once per round, in a rotating order, so that
 * load on the machine hits all of them alike (the ratios are what this benchmark is for).
 * Round 0 warms up; the median of the other rounds is kept.
 */
const measureGroup = async (title: string, entries: ReadonlyArray<Entry>): Promise<void> => {
  console.log(title)
  const times = entries.map((): Array<number> => [])
  const bytes = entries.map(() => 0)
  for (let round = 0; round <= REPS; round++) {
    for (let k = 0; k < entries.length; k++) {
      const i = (k + round) % entries.length
      gc?.()
      const start = performance.now()
      bytes[i] = await entries[i].run()
      if (round > 0) times[i].push((performance.now() - start) / 1000)
    }
  }
  entries.forEach((entry, i) => {
    const sorted = times[i].sort((a, b) => a - b)
    const result = { name: entry.name, seconds: sorted[Math.floor(sorted.length / 2)], bytes: bytes[i] }
    results.push(result)
    const rate = (entry.count ?? ROWS) / result.seconds / 1000
    console.log(
      `  ${entry.name.padEnd(50)} ${rate.toFixed(0).padStart(6)} k rows/s ${
        (result.bytes / result.seconds / 1e6).toFixed(1).padStart(7)
      } MB/s`
    )
  })
}

const utf8 = new TextEncoder()

// ---------------------------------------------------------------------------------------------
// encode
// ---------------------------------------------------------------------------------------------

/** The lower bound: a generic typeof + regex encoder over primitives, 64 KiB chunks (§4 hand-stream). */
const handEncode = (): number => {
  const needs = /[",\r\n]/
  let buffer = ""
  let bytes = 0
  for (const row of primitive) {
    let line = ""
    for (let i = 0; i < row.length; i++) {
      const v = row[i]
      let text = v === null ? "" : typeof v === "string" ? v : String(v)
      if (typeof v === "string" && (v === "" || needs.test(v))) text = "\"" + v.replace(/"/g, "\"\"") + "\""
      line = i === 0 ? text : line + "," + text
    }
    buffer += line + "\n"
    if (buffer.length >= CHUNK) {
      bytes += utf8.encode(buffer).length
      buffer = ""
    }
  }
  return bytes + utf8.encode(buffer).length
}

const ourEncode = () =>
  Stream.fromIterable(rows).pipe(
    DomoTable.encodeCsv(Bench),
    Stream.runFold(0, (n, chunk) => n + chunk.length),
    Effect.runPromise
  )

const naiveEncode = (): number => {
  const quote = (v: string | number | null) =>
    v === null ? "" : typeof v === "string" && /[",\r\n]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : String(v)
  let bytes = 0
  for (const row of primitive) bytes += utf8.encode(row.map(quote).join(",") + "\n").length
  return bytes
}

// ---------------------------------------------------------------------------------------------
// decode
// ---------------------------------------------------------------------------------------------

const csvText = await Stream.fromIterable(rows).pipe(
  DomoTable.encodeCsv(Bench),
  Stream.runFold([] as Array<Uint8Array>, (acc, chunk) => (acc.push(chunk), acc)),
  Effect.map((chunks) => Buffer.concat(chunks).toString("utf8")),
  Effect.runPromise
)
const csvBytes = Buffer.from(csvText, "utf8")
const byteChunks = (): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  for (let i = 0; i < csvBytes.length; i += CHUNK) out.push(csvBytes.subarray(i, i + CHUNK))
  return out
}

const ourDecode = (table: DomoTable.DomoTable.Any) => () =>
  Stream.fromIterable(byteChunks()).pipe(
    DomoTable.decodeCsv(table),
    Stream.runCount,
    Effect.map((n) => {
      if (n !== ROWS) throw new Error(`decoded ${n} rows, expected ${ROWS}`)
      return csvBytes.length
    }),
    Effect.runPromise
  )

const udsvSchema = {
  col: ",",
  row: "\n",
  encl: "\"",
  esc: "\"",
  trim: false,
  cols: ["name", "count", "amount", "day", "at", "note"].map((name) => ({
    name,
    type: "s" as const,
    repl: { empty: null, null: undefined, NaN: undefined }
  }))
}

/** udsv streaming: 64 KiB chunks decoded to text, rows emitted and counted (§4 udsv-stream). */
const udsvStream = (convert: boolean) => (): number => {
  const parser = initParser(udsvSchema)
  const decoder = new TextDecoder()
  let n = 0
  let sum = 0
  const onRow = convert
    ? (row: Array<string>) => {
      // The hand-written typed decode: the lower bound for parse + convert.
      const count = Number(row[1])
      const amount = Number(row[2])
      const day = new Date(row[3] + "T00:00:00Z")
      const at = new Date(row[4].replace(" ", "T") + "Z")
      sum += count + amount + day.getTime() + at.getTime()
      n++
    }
    : () => {
      n++
    }
  for (const chunk of byteChunks()) parser.chunk(decoder.decode(chunk, { stream: true }), parser.stringArrs, onRow)
  parser.end()
  if (n !== ROWS || Number.isNaN(sum)) throw new Error(`udsv read ${n} rows`)
  return csvBytes.length
}

const papaStream = (): number => {
  let n = 0
  // papaparse's step mode: one callback per row, no rows kept.
  Papa.parse<Array<string>>(csvText, {
    newline: "\n",
    step: () => {
      n++
    }
  })
  if (n < ROWS) throw new Error(`papaparse read ${n} rows`)
  return csvBytes.length
}

const d3Parse = (): number => {
  let n = 0
  d3.csvParseRows(csvText, () => {
    n++
    return null
  })
  if (n !== ROWS) throw new Error(`d3-dsv read ${n} rows`)
  return csvBytes.length
}

// Per-row conversion only, on records already parsed: Schema decode vs compiled converters.
const RECORDS = Math.min(ROWS, 200_000)
const TextTable = DomoTable.make("Text", {
  name: DomoTable.string,
  count: DomoTable.string,
  amount: DomoTable.string,
  day: DomoTable.string,
  at: DomoTable.string,
  note: DomoTable.nullable(DomoTable.string)
})
const records: Array<DomoTable.Row<typeof TextTable>> = primitive.slice(0, RECORDS).map((p) => ({
  name: String(p[0]),
  count: String(p[1]),
  amount: String(p[2]),
  day: String(p[3]),
  at: String(p[4]),
  note: p[5] === null ? null : String(p[5])
}))
const schemaDecode = () => {
  const decode = Schema.decodeUnknownSync(DomoTable.textSchema(Bench))
  for (const r of records) decode(r)
  return 0
}
const recordsText = DomoTable.formatCsv(TextTable, records)
const compiledDecode = () => {
  if (recordsText._tag === "Left") throw recordsText.left
  const out = DomoTable.parseCsv(Bench, recordsText.right)
  if (out._tag === "Left" || out.right.length !== RECORDS) throw new Error("compiled decode failed")
  return 0
}

// ---------------------------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------------------------

const ratio = (a: string, b: string) => {
  const x = results.find((r) => r.name === a)
  const y = results.find((r) => r.name === b)
  return x && y ? y.seconds / x.seconds : Number.NaN
}
const rate = (name: string) => ROWS / (results.find((r) => r.name === name)?.seconds ?? Number.NaN)

console.log(`CSV benchmark: ${ROWS} rows × 6 columns, ${(csvBytes.length / 1e6).toFixed(1)} MB, median of ${REPS} reps`)
console.log(`node ${process.version}, gc ${gc ? "exposed" : "not exposed (run with --expose-gc)"}`)
await measureGroup("encode (rows → UTF-8 bytes)", [
  { name: "hand loop (lower bound, primitives)", run: handEncode },
  { name: "ours: DomoTable.encodeCsv (typed, Stream)", run: ourEncode },
  {
    name: "d3-dsv csvFormatRows (sync, primitives)",
    run: () => utf8.encode(d3.csvFormatRows(primitive.map((r) => r.map((v) => v === null ? "" : String(v))))).length
  },
  {
    name: "papaparse unparse (sync, primitives)",
    run: () => utf8.encode(Papa.unparse(primitive, { newline: "\n" })).length
  },
  { name: "naive per-row join", run: naiveEncode }
])
await measureGroup("parse and decode (UTF-8 bytes → rows)", [
  { name: "udsv stream, strings (parse yardstick)", run: udsvStream(false) },
  { name: "udsv stream + hand converters (typed lower bound)", run: udsvStream(true) },
  { name: "ours: DomoTable.decodeCsv, all STRING (parse)", run: ourDecode(TextTable) },
  { name: "ours: DomoTable.decodeCsv, typed (end to end)", run: ourDecode(Bench) },
  { name: "papaparse step, strings", run: papaStream },
  { name: "d3-dsv csvParseRows, strings (sync)", run: d3Parse }
])
await measureGroup(`row conversion (${RECORDS} records)`, [
  { name: "per-row Schema.decodeUnknown (textSchema)", run: schemaDecode, count: RECORDS },
  { name: "compiled converters (parse + convert)", run: compiledDecode, count: RECORDS }
])
const schemaResult = results.find((r) => r.name === "per-row Schema.decodeUnknown (textSchema)")!
const compiledResult = results.find((r) => r.name === "compiled converters (parse + convert)")!
console.log("\nratios")
console.log(
  `  typed encode / hand loop:            ${
    ratio("ours: DomoTable.encodeCsv (typed, Stream)", "hand loop (lower bound, primitives)").toFixed(2)
  }× (goal ≥ 0.8×)`
)
console.log(
  `  typed encode / d3-dsv:               ${
    ratio("ours: DomoTable.encodeCsv (typed, Stream)", "d3-dsv csvFormatRows (sync, primitives)").toFixed(2)
  }×`
)
console.log(
  `  typed encode / papaparse unparse:    ${
    ratio("ours: DomoTable.encodeCsv (typed, Stream)", "papaparse unparse (sync, primitives)").toFixed(2)
  }×`
)
console.log(
  `  typed encode / naive join:           ${
    ratio("ours: DomoTable.encodeCsv (typed, Stream)", "naive per-row join").toFixed(2)
  }×`
)
console.log(
  `  parse (STRING) / udsv stream:        ${
    ratio("ours: DomoTable.decodeCsv, all STRING (parse)", "udsv stream, strings (parse yardstick)").toFixed(2)
  }× (goal ≥ 0.65×)`
)
console.log(
  `  parse (STRING) / papaparse:          ${
    ratio("ours: DomoTable.decodeCsv, all STRING (parse)", "papaparse step, strings").toFixed(2)
  }×`
)
console.log(
  `  typed decode / udsv + hand convert:  ${
    ratio("ours: DomoTable.decodeCsv, typed (end to end)", "udsv stream + hand converters (typed lower bound)").toFixed(
      2
    )
  }×`
)
console.log(
  `  compiled / per-row Schema decode:    ${
    (schemaResult.seconds / compiledResult.seconds).toFixed(2)
  }× faster (compiled includes parsing)`
)
console.log(
  `  typed encode:  ${(rate("ours: DomoTable.encodeCsv (typed, Stream)") / 1e6).toFixed(2)} M rows/s (goal ≥ 1.8)`
)
console.log(
  `  typed decode:  ${(rate("ours: DomoTable.decodeCsv, typed (end to end)") / 1e6).toFixed(2)} M rows/s (goal ≥ 1.2)`
)
console.log(
  `  Schema per row: ${(RECORDS / schemaResult.seconds / 1e6).toFixed(2)} M rows/s; compiled: ${
    (RECORDS / compiledResult.seconds / 1e6).toFixed(2)
  } M rows/s`
)
