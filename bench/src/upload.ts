/**
 * Upload benchmark: `StreamUpload.upload` of ROWS typed rows (default 1,000,000) to the emulator,
 * against (a) the lower bound on this machine — the same rows CSV-encoded and gzipped in one
 * synchronous loop, no HTTP — and (b) the way Domo's SDKs do it — every row in memory, the whole
 * CSV built as one string, then parts uploaded one after another without gzip, then commit.
 * One run by default (`REPS=n`: n rounds, ratios from each side's median run); ratios printed. Run:
 * `pnpm bench:upload` (needs a build).
 *
 * Each side runs in its own child process (this script, re-run with `child <side>`) so its peak
 * RSS is its own; the emulator runs in this parent process, on loopback. Every side's time
 * includes making the rows from the same seeded generator. `upload` also runs with 2 × ROWS rows
 * to show that its peak RSS does not grow with the row count.
 *
 * Data: six columns like perf-anchors §4: a string with commas (6 %), quotes (3 %) and line
 * breaks (1 %); a LONG; a DOUBLE with 4 decimals; a DATE; a DATETIME; a nullable string (30 %).
 */
import { Domo, DomoConfig, DomoTable, Streams, StreamUpload } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import { Emulator } from "@effect-domo/emulator"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Zlib from "node:zlib"
import { type BenchRow, BenchTable, generateRows } from "./internal/BenchRows.js"
import * as ShapedLink from "./internal/ShapedLink.js"

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const REPS = Number(process.env.REPS ?? 1)
// the wide-area link of the "+link" rows: MB/s each way per connection, round trip in ms
const LINK = ShapedLink.parseShape(process.env.BENCH_LINK ?? "12.5,30")
// BENCH_PART_MIB overrides the part size of every side (default: upload's own default)
const PART_SIZE = process.env.BENCH_PART_MIB === undefined
  ? StreamUpload.defaultPartSize
  : Number(process.env.BENCH_PART_MIB) * 1024 * 1024
const LEVEL = StreamUpload.defaultGzipLevel

const Bench = BenchTable

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
    Layer.provide(DomoNode.layerTransport)
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
const lowerBound = (rows: number, encoder: "hand" | "table") => {
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
  if (encoder === "table") {
    // the same DomoTable encoder `upload` uses, 4096 rows at a time
    let batch: Array<BenchRow> = []
    const encodeBatch = () => {
      text = Either.getOrThrow(DomoTable.formatCsv(Bench, batch))
      batch = []
      emit()
      if (pendingBytes >= PART_SIZE) flush()
    }
    for (const r of generateRows(rows)) {
      batch.push(r)
      if (batch.length === 4096) encodeBatch()
    }
    encodeBatch()
    flush()
    return { bytes, sent }
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
  if (side === "lower-bound" || side === "lower-bound-table") {
    const start = performance.now()
    const { bytes, sent } = lowerBound(rows, side === "lower-bound" ? "hand" : "table")
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
            partSize: PART_SIZE,
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
    peakRssMB: peakRssKiB() / 1024
  }
}

/**
 * This process's own peak RSS. Not `resourceUsage().maxRSS`: on Linux it keeps the parent's RSS
 * at fork time (the emulator, holding the rows stored so far), which would hide the child's own.
 */
const peakRssKiB = (): number => {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(Fs.readFileSync("/proc/self/status", "utf8"))
    if (match !== null) return Number(match[1])
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS
}

// ---------------------------------------------------------------------------------------------
// parent: the emulator, the children, the table
// ---------------------------------------------------------------------------------------------

const runChild = (side: string, rows: number, env: Record<string, string>): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((a) => a !== "")
    const proc = ChildProcess.spawn(process.execPath, [...nodeArgs, process.argv[1], "child", side, String(rows)], {
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

/**
 * A server that speaks just enough of the Stream API and throws every part away: with it, the
 * figures are the client's own, without the emulator parsing and storing the rows.
 */
const discardServer = Effect.acquireRelease(
  Effect.async<Http.Server>((resume) => {
    let executions = 0
    const server = Http.createServer((request, response) => {
      let bytes = 0
      request.on("data", (chunk: Buffer) => (bytes += chunk.length))
      request.on("end", () => {
        const path = (request.url ?? "").split("?")[0]
        const json = (body: unknown) => {
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify(body))
        }
        const execution = (state: string) => ({ id: executions, currentState: state, bytes })
        if (path === "/oauth/token") return json({ access_token: "discard", expires_in: 3600, token_type: "bearer" })
        if (request.method === "POST" && path === "/v1/streams") {
          return json({ id: 1, dataSet: { id: "discard" }, updateMethod: "REPLACE" })
        }
        if (request.method === "GET" && path.startsWith("/v1/streams/")) {
          return json({ id: 1, dataSet: { id: "discard", schema: Bench.domoSchema }, updateMethod: "REPLACE" })
        }
        if (request.method === "POST" && path.endsWith("/executions")) {
          executions++
          return json(execution("ACTIVE"))
        }
        if (path.endsWith("/commit")) return json(execution("SUCCESS"))
        if (path.endsWith("/abort")) return json(execution("ABORTED"))
        return json(execution("ACTIVE"))
      })
    })
    server.keepAliveTimeout = 65_000
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

const fmt = (n: number, digits = 1) => n.toFixed(digits)

const names: Record<string, string> = {
  "lower-bound": "(a) hand encoder + gzip loop",
  "lower-bound-table": "(a') DomoTable encoder + gzip loop",
  "upload": "StreamUpload.upload",
  "sdk-way": "(b) SDK way: all in memory, plain"
}

const printRow = (r: Measured, server: string) =>
  console.log(
    `  ${names[r.side].padEnd(34)} ${server.padEnd(13)} ${String(r.rows).padStart(8)} ${
      fmt(r.seconds, 2).padStart(8)
    } ${(r.partsSeconds === undefined ? "-" : fmt(r.partsSeconds, 2)).padStart(8)} ${
      fmt(r.rows / r.seconds / 1000, 0).padStart(9)
    } ${fmt(r.bytes / r.seconds / 1e6).padStart(9)} ${fmt(r.sentBytes / 1e6).padStart(8)} ${
      fmt(r.cpuSeconds, 2).padStart(6)
    } ${fmt(r.peakRssMB, 0).padStart(12)}`
  )

const parent = Effect.scoped(Effect.gen(function*() {
  const emulator = yield* Emulator.make({ seed: 7 })
  const discard = yield* discardServer
  const emulatorEnv = {
    DOMO_API_HOST: emulator.url,
    DOMO_CLIENT_ID: emulator.clientId,
    DOMO_CLIENT_SECRET: Redacted.value(emulator.clientSecret)
  }
  const discardPort = (discard.address() as AddressInfo).port
  const discardEnv = {
    DOMO_API_HOST: `http://127.0.0.1:${discardPort}`,
    DOMO_CLIENT_ID: "bench",
    DOMO_CLIENT_SECRET: "bench"
  }
  const shaped = (port: number) =>
    Effect.acquireRelease(Effect.promise(() => ShapedLink.start(port, LINK)), (link) => Effect.promise(link.close))
  const emulatorLink = yield* shaped(Number(new URL(emulator.url).port))
  const discardLink = yield* shaped(discardPort)
  const emulatorLinkEnv = { ...emulatorEnv, DOMO_API_HOST: `http://127.0.0.1:${emulatorLink.port}` }
  const discardLinkEnv = { ...discardEnv, DOMO_API_HOST: `http://127.0.0.1:${discardLink.port}` }
  console.log(
    `Stream upload, ${ROWS.toLocaleString("en")} rows × 6 columns; parts of ${
      PART_SIZE / 1024 / 1024
    } MiB, gzip level ${LEVEL}, ${StreamUpload.defaultConcurrency} parts at once; servers on loopback` +
      `\n"+link": through a proxy shaping each connection like a wide-area link (${ShapedLink.describe(LINK)})`
  )
  const sides: Array<readonly [string, string, number, Record<string, string>]> = [
    ["lower-bound", "-", ROWS, {}],
    ["lower-bound-table", "-", ROWS, {}],
    ["upload", "emulator", ROWS, emulatorEnv],
    ["sdk-way", "emulator", ROWS, emulatorEnv],
    ["upload", "discard", ROWS, discardEnv],
    ["sdk-way", "discard", ROWS, discardEnv],
    ["upload", "discard", ROWS * 2, discardEnv],
    ["upload", "emulator+link", ROWS, emulatorLinkEnv],
    ["sdk-way", "emulator+link", ROWS, emulatorLinkEnv],
    ["upload", "discard+link", ROWS, discardLinkEnv],
    ["sdk-way", "discard+link", ROWS, discardLinkEnv]
  ]
  console.log(
    `\n  ${"side".padEnd(34)} ${"server".padEnd(13)} ${"rows".padStart(8)} ${"total s".padStart(8)} ${
      "parts s".padStart(8)
    } ${"k rows/s".padStart(9)} ${"CSV MB/s".padStart(9)} ${"sent MB".padStart(8)} ${"CPU s".padStart(6)} ${
      "peak RSS MB".padStart(12)
    }`
  )
  // BENCH_SIDES=1,3 runs only those sides (for profiling); the ratios need all of them
  const only = process.env.BENCH_SIDES?.split(",").map(Number)
  const selected = sides.filter((_, i) => only === undefined || only.includes(i))
  // REPS=n runs every side n times (rounds one after the other); the ratios use, for each side,
  // its run of median total time: this VM's neighbours move single runs by ±20 %
  const runs: Array<Array<Measured>> = selected.map(() => [])
  for (let rep = 0; rep < REPS; rep++) {
    for (const [i, [side, server, rows, env]] of selected.entries()) {
      const r = yield* Effect.promise(() => runChild(side, rows, env))
      runs[i]!.push(r)
      printRow(r, server)
    }
  }
  const results = runs.map((measured) =>
    [...measured].sort((a, b) => a.seconds - b.seconds)[(measured.length - 1) >> 1]!
  )
  if (REPS > 1) console.log(`\n  ratios from each side's median run of ${REPS}`)
  if (only !== undefined) return
  const [
    lower,
    lowerTable,
    upload,
    sdk,
    uploadDiscard,
    sdkDiscard,
    large,
    uploadLink,
    sdkLink,
    uploadDiscardLink,
    sdkDiscardLink
  ] = results
  const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`
  console.log(`
  upload ÷ lower bound, wall (goal ≤ 1.5×):
    emulator: ${ratio(upload.seconds, lower.seconds)} total, ${
    ratio(upload.partsSeconds!, lower.seconds)
  } until the last part is in (the emulator parses and stores every row on the same cores)
    discarding server: ${ratio(uploadDiscard.seconds, lower.seconds)}; CPU ${
    ratio(uploadDiscard.cpuSeconds, lower.cpuSeconds)
  } (threads included)
  upload ÷ (a') the same encoder + gzip in a loop (what the pipeline and HTTP add):
    discarding server: ${ratio(uploadDiscard.seconds, lowerTable.seconds)} wall, ${
    ratio(uploadDiscard.cpuSeconds, lowerTable.cpuSeconds)
  } CPU; emulator: ${ratio(upload.partsSeconds!, lowerTable.seconds)} until the last part is in
  SDK way ÷ upload, wall (goal ≥ 3×):
    emulator: ${ratio(sdk.seconds, upload.seconds)} total, ${
    ratio(sdk.partsSeconds!, upload.partsSeconds!)
  } until the last part is in; bytes sent ${ratio(sdk.sentBytes, upload.sentBytes)}
    discarding server: ${ratio(sdkDiscard.seconds, uploadDiscard.seconds)}
    over the shaped link: emulator ${ratio(sdkLink.seconds, uploadLink.seconds)} total, ${
    ratio(sdkLink.partsSeconds!, uploadLink.partsSeconds!)
  } until the last part is in; discarding server ${ratio(sdkDiscardLink.seconds, uploadDiscardLink.seconds)}
  upload peak RSS ÷ SDK way peak RSS (goal: a fraction): ${ratio(upload.peakRssMB, sdk.peakRssMB)} (emulator), ${
    ratio(uploadDiscard.peakRssMB, sdkDiscard.peakRssMB)
  } (discarding)
  upload peak RSS, ${large.rows} rows ÷ ${uploadDiscard.rows} rows (goal ≈ 1): ${
    ratio(large.peakRssMB, uploadDiscard.peakRssMB)
  } (${fmt(large.peakRssMB, 0)} vs ${fmt(uploadDiscard.peakRssMB, 0)} MB)`)
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
