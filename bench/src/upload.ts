/**
 * Upload benchmark: `StreamUpload.upload` of ROWS typed rows (default 1,000,000) to the emulator,
 * against (a) the lower bound on this machine — the same rows CSV-encoded and gzipped in one
 * synchronous loop, no HTTP — and (b) the way Domo's SDKs do it — every row in memory, the whole
 * CSV built as one string, then parts uploaded one after another without gzip, then commit.
 * One run; ratios printed. Run: `pnpm bench:upload` (needs a build).
 *
 * Each side runs in its own child process (this script, re-run with `child <side>`) so its peak
 * RSS is its own; the emulator runs in this parent process, on loopback. Every side's time
 * includes making the rows from the same seeded generator. `upload` also runs with ROWS / 4 rows
 * to show that its peak RSS does not grow with the row count.
 *
 * Data: six columns like perf-anchors §4: a string with commas (6 %), quotes (3 %) and line
 * breaks (1 %); a LONG; a DOUBLE with 4 decimals; a DATE; a DATETIME; a nullable string (30 %).
 */
import { Domo, DomoConfig, DomoTable, Streams, StreamUpload } from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as ChildProcess from "node:child_process"
import * as Zlib from "node:zlib"

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const PART_SIZE = StreamUpload.defaultPartSize
const LEVEL = StreamUpload.defaultGzipLevel

const Bench = DomoTable.make("UploadBench", {
  name: DomoTable.string,
  count: DomoTable.long,
  amount: DomoTable.double,
  day: DomoTable.date,
  at: DomoTable.datetime,
  note: DomoTable.nullable(DomoTable.string)
})
type BenchRow = DomoTable.Row<typeof Bench>

// ---------------------------------------------------------------------------------------------
// data: the same seeded rows on every side
// ---------------------------------------------------------------------------------------------

function* generateRows(count: number): Generator<BenchRow> {
  let seed = 42
  const random = (): number => {
    seed = (seed + 0x6D2B79F5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma"]
  const word = () => words[Math.floor(random() * words.length)]
  for (let i = 0; i < count; i++) {
    const r = random()
    const name = r < 0.06
      ? `${word()}, ${word()}`
      : r < 0.09
      ? `${word()} "${word()}"`
      : r < 0.10
      ? `${word()}\n${word()}`
      : `${word()} ${word()}`
    const dayMs = Date.UTC(2000, 0, 1) + Math.floor(random() * 9000) * 86_400_000
    yield {
      name,
      count: Math.floor(random() * 1_000_000),
      amount: Math.round(random() * 1e8) / 1e4,
      day: new Date(dayMs),
      at: new Date(dayMs + Math.floor(random() * 86_400) * 1000),
      note: random() < 0.3 ? null : word()
    }
  }
}

// ---------------------------------------------------------------------------------------------
// child: one side
// ---------------------------------------------------------------------------------------------

interface Measured {
  readonly side: string
  readonly rows: number
  /** CSV bytes (before gzip) */
  readonly bytes: number
  /** bytes sent or produced (after gzip when there is one) */
  readonly sentBytes: number
  readonly seconds: number
  /** time until the last part was uploaded (before the commit), when there is HTTP */
  readonly partsSeconds?: number | undefined
  readonly cpuSeconds: number
  readonly peakRssMB: number
}

const clientLayer = () => {
  const config = DomoConfig.layer({
    apiHost: process.env.DOMO_API_HOST!,
    clientId: process.env.DOMO_CLIENT_ID!,
    clientSecret: Redacted.make(process.env.DOMO_CLIENT_SECRET!),
    retry: { requestTimeout: "30 minutes" }
  })
  return Streams.layer.pipe(
    Layer.provideMerge(Domo.layer),
    Layer.provide(config),
    Layer.provide(NodeHttpClient.layerUndici)
  )
}

const NEEDS_QUOTES = /[",\r\n]/
const quote = (text: string): string =>
  text === "" || NEEDS_QUOTES.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text
const pad = (n: number) => (n < 10 ? "0" : "") + n
const dayText = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
const atText = (d: Date) => `${dayText(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`

/**
 * (a) The lower bound: a hand-written encoder for exactly these columns (no per-column
 * dispatch, no validation) and `gzipSync` per part of PART_SIZE, in one loop; nothing sent.
 */
const lowerBound = (rows: number) => {
  let bytes = 0
  let sent = 0
  let pending: Array<Buffer> = []
  let pendingBytes = 0
  let text = ""
  const emit = () => {
    const chunk = Buffer.from(text)
    text = ""
    pending.push(chunk)
    pendingBytes += chunk.length
    bytes += chunk.length
  }
  const flush = () => {
    if (pendingBytes === 0) return
    sent += Zlib.gzipSync(Buffer.concat(pending), { level: LEVEL }).length
    pending = []
    pendingBytes = 0
  }
  for (const r of generateRows(rows)) {
    text += quote(r.name) + "," + r.count + "," + r.amount + "," + dayText(r.day) + "," + atText(r.at) + "," +
      (r.note === null ? "" : quote(r.note)) + "\n"
    if (text.length >= 128 * 1024) {
      emit()
      if (pendingBytes >= PART_SIZE) flush()
    }
  }
  emit()
  flush()
  return { bytes, sent }
}

const createStream = Effect.flatMap(Streams.Streams, (streams) =>
  streams.create({
    dataSet: { name: `bench ${process.pid}`, schema: Bench.domoSchema },
    updateMethod: "REPLACE"
  }))

const child = async (side: string, rows: number): Promise<Measured> => {
  const cpu0 = process.cpuUsage()
  if (side === "lower-bound") {
    const start = performance.now()
    const { bytes, sent } = lowerBound(rows)
    return finish(side, rows, bytes, sent, start, undefined, cpu0)
  }
  return Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const context = yield* Layer.build(clientLayer())
    return yield* Effect.gen(function*() {
      const stream = yield* createStream
      const cpuStart = process.cpuUsage()
      const start = performance.now()
      if (side === "upload") {
        let partsDone = 0
        const result = yield* StreamUpload.upload(
          stream.id,
          StreamUpload.fromRows(Bench, Stream.fromIterable(generateRows(rows))),
          {
            onProgress: (event) =>
              Effect.sync(() => {
                if (event._tag === "Committing") partsDone = performance.now()
              })
          }
        )
        if (result.rows !== rows) throw new Error(`uploaded ${result.rows} rows, expected ${rows}`)
        return finish(side, rows, result.bytes, result.sentBytes, start, partsDone, cpuStart)
      }
      // (b) the SDK way: all rows in memory, one CSV string, plain parts one by one
      const streams = yield* Streams.Streams
      const all = Array.from(generateRows(rows))
      const csv = Either.getOrThrow(DomoTable.formatCsv(Bench, all))
      const execution = yield* streams.createExecution(stream.id)
      const encoder = new TextEncoder()
      let offset = 0
      let partId = 0
      let bytes = 0
      while (offset < csv.length) {
        // cut at a line break outside quotes: parts of whole rows, as pydomo's row chunks
        let end = Math.min(csv.length, offset + PART_SIZE)
        if (end < csv.length) {
          end = csv.indexOf("\n", end)
          while (end !== -1 && quotesBefore(csv, offset, end) % 2 === 1) end = csv.indexOf("\n", end + 1)
          end = end === -1 ? csv.length : end + 1
        }
        const part = encoder.encode(csv.slice(offset, end))
        bytes += part.length
        yield* streams.uploadPart(stream.id, execution.id, ++partId, part, { gzip: false })
        offset = end
      }
      const partsDone = performance.now()
      const committed = yield* streams.commit(stream.id, execution.id)
      if (committed.rows !== undefined && committed.rows !== rows) {
        throw new Error(`committed ${committed.rows} rows, expected ${rows}`)
      }
      return finish(side, rows, bytes, bytes, start, partsDone, cpuStart)
    }).pipe(Effect.provide(context))
  })))
}

const quotesBefore = (text: string, from: number, to: number): number => {
  let n = 0
  for (let i = text.indexOf("\"", from); i !== -1 && i < to; i = text.indexOf("\"", i + 1)) n++
  return n
}

const finish = (
  side: string,
  rows: number,
  bytes: number,
  sentBytes: number,
  start: number,
  partsDone: number | undefined,
  cpu0: NodeJS.CpuUsage
): Measured => {
  const cpu = process.cpuUsage(cpu0)
  return {
    side,
    rows,
    bytes,
    sentBytes,
    seconds: (performance.now() - start) / 1000,
    partsSeconds: partsDone === undefined ? undefined : (partsDone - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024
  }
}

// ---------------------------------------------------------------------------------------------
// parent: the emulator, the children, the table
// ---------------------------------------------------------------------------------------------

const runChild = (side: string, rows: number, env: Record<string, string>): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const proc = ChildProcess.spawn(process.execPath, [process.argv[1], "child", side, String(rows)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    proc.stdout.on("data", (data: Buffer) => (out += data.toString()))
    proc.on("error", reject)
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? ""
      if (code !== 0) return reject(new Error(`${side} exited with ${code}: ${out}`))
      resolve(JSON.parse(line) as Measured)
    })
  })

const fmt = (n: number, digits = 1) => n.toFixed(digits)

const parent = Effect.scoped(Effect.gen(function*() {
  const emulator = yield* Emulator.make({ seed: 7 })
  const env = {
    DOMO_API_HOST: emulator.url,
    DOMO_CLIENT_ID: emulator.clientId,
    DOMO_CLIENT_SECRET: Redacted.value(emulator.clientSecret)
  }
  console.log(
    `Stream upload, ${ROWS.toLocaleString("en")} rows × 6 columns; parts of ${
      PART_SIZE / 1024 / 1024
    } MiB, gzip level ${LEVEL}, ${StreamUpload.defaultConcurrency} parts at once; emulator on loopback`
  )
  const sides: Array<readonly [string, number]> = [
    ["lower-bound", ROWS],
    ["upload", ROWS],
    ["sdk-way", ROWS],
    ["upload", Math.floor(ROWS / 4)]
  ]
  const results: Array<Measured> = []
  for (const [side, rows] of sides) {
    results.push(yield* Effect.promise(() => runChild(side, rows, env)))
  }
  const [lower, upload, sdk, small] = results
  console.log(
    `\n  ${"side".padEnd(34)} ${"rows".padStart(9)} ${"total s".padStart(8)} ${"parts s".padStart(8)} ${
      "k rows/s".padStart(9)
    } ${"CSV MB/s".padStart(9)} ${"sent MB".padStart(8)} ${"CPU s".padStart(6)} ${"peak RSS MB".padStart(12)}`
  )
  const names: Record<string, string> = {
    "lower-bound": "(a) encode + gzip loop, no HTTP",
    "upload": "StreamUpload.upload",
    "sdk-way": "(b) SDK way: all in memory, plain"
  }
  for (const r of results) {
    console.log(
      `  ${names[r.side].padEnd(34)} ${String(r.rows).padStart(9)} ${fmt(r.seconds, 2).padStart(8)} ${
        (r.partsSeconds === undefined ? "-" : fmt(r.partsSeconds, 2)).padStart(8)
      } ${fmt(r.rows / r.seconds / 1000, 0).padStart(9)} ${fmt(r.bytes / r.seconds / 1e6).padStart(9)} ${
        fmt(r.sentBytes / 1e6).padStart(8)
      } ${fmt(r.cpuSeconds, 2).padStart(6)} ${fmt(r.peakRssMB, 0).padStart(12)}`
    )
  }
  console.log(`
  upload ÷ lower bound, wall (goal ≤ 1.5×):              ${fmt(upload.seconds / lower.seconds, 2)}× total, ${
    fmt(upload.partsSeconds! / lower.seconds, 2)
  }× until the last part is in (the rest is the emulator storing the rows at commit)
  SDK way ÷ upload, wall (goal ≥ 3×):                    ${fmt(sdk.seconds / upload.seconds, 2)}× total, ${
    fmt(sdk.partsSeconds! / upload.partsSeconds!, 2)
  }× until the last part is in
  upload peak RSS ÷ SDK way peak RSS (goal: a fraction):  ${fmt(upload.peakRssMB / sdk.peakRssMB, 2)}× (${
    fmt(upload.peakRssMB, 0)
  } vs ${fmt(sdk.peakRssMB, 0)} MB)
  upload peak RSS, ${ROWS} rows ÷ ${small.rows} rows (goal ≈ 1):  ${fmt(upload.peakRssMB / small.peakRssMB, 2)}× (${
    fmt(upload.peakRssMB, 0)
  } vs ${fmt(small.peakRssMB, 0)} MB)`)
}))

if (process.argv[2] === "child") {
  child(process.argv[3], Number(process.argv[4])).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
} else {
  Effect.runPromise(parent).catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
