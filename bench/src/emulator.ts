/**
 * Emulator CSV benchmark (issue 3): `PUT /v1/datasets/{id}/data` (REPLACE) of ROWS rows (default
 * 1,000,000) × 6 columns, then `GET /v1/datasets/{id}/data`; rows/s, MB/s and the emulator's
 * peak RSS for each, and "constant memory": the emulator's peak RSS exporting ROWS / 10 rows vs
 * ROWS rows (ratio ≈ 1). Baseline in the same run: raw better-sqlite3 inserting the same typed
 * rows in one transaction, and a raw SELECT iteration — the lower bound of the storage work.
 * One run; ratios printed. Run: `pnpm bench:emulator` (needs `pnpm build`).
 *
 * The emulator runs as its own child process (`packages/emulator/dist/bin.js --port 0`, in-memory
 * SQLite); its memory is read from `/proc/<pid>/status` (VmHWM, reset per phase). This process
 * drives it with plain `node:http` on loopback, so the client is not what is measured: it writes
 * the CSV to a temporary file first (buffer by buffer, never the whole body in memory) and sends
 * the file as a stream, and reads the export as a stream, counting records (quote-aware) and
 * hashing the bytes. The CSV is written the way the emulator writes its export, so an exact
 * round trip is a byte-identical export: SHA-256 of both sides. The baseline runs in another
 * child (this script, `baseline <rows>`) for its own peak RSS. `EMULATOR_NODE_OPTIONS` go to
 * the emulator child (e.g. a heap cap, to tell live memory from GC slack).
 *
 * Data: STRING with commas (6 %), quotes (3 %), line breaks (1 %), empty (1 %); LONG; DOUBLE
 * (4 decimals); DECIMAL (2 decimals, kept as text); DATE; DATETIME; 5 % NULLs in every column.
 */
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Os from "node:os"
import * as Path from "node:path"
import type { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { fileURLToPath } from "node:url"
import { cpuSeconds } from "./internal/CpuTime.js"
import {
  BASELINE_TABLE,
  COLUMNS,
  formatRow,
  generateRows,
  RecordCounter,
  type Row,
  writeCsvFile
} from "./internal/EmulatorBenchData.js"
import { peakRssKiB, resetPeakRss, rssKiB } from "./internal/PeakRss.js"

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const SMALL = Math.max(1, Math.floor(ROWS / 10))

// ---------------------------------------------------------------------------------------------
// baseline child: raw better-sqlite3, the same rows, no HTTP, no CSV
// ---------------------------------------------------------------------------------------------

interface Baseline {
  readonly rows: number
  readonly generateSeconds: number
  readonly insertSeconds: number
  readonly insertCpuSeconds: number
  readonly insertPeakMB: number
  readonly selectSeconds: number
  readonly selectCpuSeconds: number
  readonly selectFormatSeconds: number
  readonly selectFormatCpuSeconds: number
  readonly selectPeakMB: number
  readonly csvBytes: number
}

const baseline = (count: number): Baseline => {
  // what making the rows costs alone: part of the insert time below
  const generateStart = performance.now()
  let cells = 0
  for (const row of generateRows(count)) cells += row.length
  const generateSeconds = (performance.now() - generateStart) / 1000
  if (cells !== count * COLUMNS.length) throw new Error("generator")
  const db = new Database(":memory:")
  db.exec(BASELINE_TABLE)
  const insert = db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)")
  // one transaction; only the inserts are timed: the rows are made 10,000 at a time in between
  let insertSeconds = 0
  let insertCpuSeconds = 0
  const timed = (f: () => void) => {
    const start = performance.now()
    const cpu = cpuSeconds()
    f()
    insertSeconds += (performance.now() - start) / 1000
    insertCpuSeconds += cpuSeconds() - cpu
  }
  let batch: Array<Row> = []
  const insertBatch = () => {
    for (const row of batch) insert.run(...row)
  }
  timed(() => db.exec("BEGIN"))
  for (const row of generateRows(count)) {
    batch.push(row)
    if (batch.length === 10_000) {
      timed(insertBatch)
      batch = []
    }
  }
  timed(insertBatch)
  timed(() => db.exec("COMMIT"))
  const insertPeakMB = peakRssKiB() / 1024
  resetPeakRss()
  const select = db.prepare<[], Array<unknown>>("SELECT * FROM t ORDER BY rowid").raw(true)
  let start = performance.now()
  let cpu = cpuSeconds()
  let selected = 0
  for (const row of select.iterate()) selected += row.length
  const selectSeconds = (performance.now() - start) / 1000
  const selectCpuSeconds = cpuSeconds() - cpu
  if (selected !== count * COLUMNS.length) throw new Error(`selected ${selected / COLUMNS.length} rows`)
  // the same iteration writing the CSV text (not kept): storage + formatting, no HTTP
  start = performance.now()
  cpu = cpuSeconds()
  let csvBytes = 0
  let page = ""
  for (const row of select.iterate()) {
    page += formatRow(row as unknown as Row)
    if (page.length >= 65_536) {
      csvBytes += Buffer.byteLength(page)
      page = ""
    }
  }
  csvBytes += Buffer.byteLength(page)
  const selectFormatSeconds = (performance.now() - start) / 1000
  const selectFormatCpuSeconds = cpuSeconds() - cpu
  const selectPeakMB = peakRssKiB() / 1024
  db.close()
  return {
    rows: count,
    generateSeconds,
    insertSeconds,
    insertCpuSeconds,
    insertPeakMB,
    selectSeconds,
    selectCpuSeconds,
    selectFormatSeconds,
    selectFormatCpuSeconds,
    selectPeakMB,
    csvBytes
  }
}

// ---------------------------------------------------------------------------------------------
// parent: the emulator child, plain HTTP
// ---------------------------------------------------------------------------------------------

interface EmulatorProcess {
  readonly pid: number
  readonly url: string
  readonly clientId: string
  readonly clientSecret: string
  readonly process: ChildProcess.ChildProcess
}

const emulatorBin = fileURLToPath(new URL("../../packages/emulator/dist/bin.js", import.meta.url))

/** `bin.js --port 0` in a child process; its stdout lines say where it listens and who may call. */
const startEmulator = Effect.acquireRelease(
  Effect.async<EmulatorProcess, Error>((resume) => {
    const child = ChildProcess.spawn(process.execPath, [emulatorBin, "--port", "0", "--seed", "1"], {
      stdio: ["ignore", "pipe", "pipe"],
      // e.g. EMULATOR_NODE_OPTIONS=--max-old-space-size=128: is a peak live memory or lazy GC?
      env: { ...process.env, NODE_OPTIONS: process.env.EMULATOR_NODE_OPTIONS ?? "" }
    })
    let out = ""
    let err = ""
    child.stderr.on("data", (data: Buffer) => (err += data.toString()))
    child.on("error", (e) => resume(Effect.fail(e)))
    child.on("exit", (code) => resume(Effect.fail(new Error(`emulator exited with ${code}: ${err}`))))
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString()
      const env = Object.fromEntries(out.split("\n").map((line) => line.split("=", 2)))
      if (env.DOMO_CLIENT_SECRET === undefined || !out.endsWith("\n")) return
      resume(Effect.succeed({
        pid: child.pid!,
        url: env.DOMO_API_HOST,
        clientId: env.DOMO_CLIENT_ID,
        clientSecret: env.DOMO_CLIENT_SECRET,
        process: child
      }))
    })
  }),
  (emulator) =>
    Effect.async<void>((resume) => {
      emulator.process.removeAllListeners("exit")
      if (emulator.process.exitCode !== null) return resume(Effect.void)
      emulator.process.once("exit", () => resume(Effect.void))
      emulator.process.kill("SIGTERM")
    })
)

const agent = new Http.Agent({ keepAlive: true })

interface Answer {
  readonly status: number
  readonly body: string
}

/** One request; `body` is a string or a stream of buffers (sent chunked, with backpressure). */
const call = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string | Readable
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const request = Http.request(url, { method, headers, agent }, (response) => {
      let text = ""
      response.setEncoding("utf8")
      response.on("data", (data: string) => (text += data))
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }))
      response.on("error", reject)
    })
    request.on("error", reject)
    if (body === undefined || typeof body === "string") request.end(body)
    else pipeline(body, request).catch(reject)
  })

const expect = (answer: Answer, status: number, what: string): Answer => {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.body.slice(0, 500)}`)
  return answer
}

/** A GET whose body is read as a stream, never kept: records, bytes and SHA-256. */
const download = (url: string, headers: Record<string, string>) =>
  new Promise<{ readonly records: number; readonly bytes: number; readonly sha256: string }>((resolve, reject) => {
    Http.get(url, { headers, agent }, (response) => {
      if (response.statusCode !== 200) {
        response.resume()
        return reject(new Error(`export: ${response.statusCode}`))
      }
      const counter = new RecordCounter()
      const hash = Crypto.createHash("sha256")
      response.on("data", (chunk: Buffer) => {
        counter.push(chunk)
        hash.update(chunk)
      })
      response.on("end", () => resolve({ records: counter.records, bytes: counter.bytes, sha256: hash.digest("hex") }))
      response.on("error", reject)
    }).on("error", reject)
  })

interface Phase {
  readonly seconds: number
  /** the emulator's CPU seconds (all its threads) during the phase */
  readonly cpuSeconds: number
  readonly rows: number
  readonly bytes: number
  /** the emulator's RSS when the phase began, and its peak during the phase (MB) */
  readonly rssBeforeMB: number
  readonly peakMB: number
}

const runBaseline = (count: number): Promise<Baseline> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.spawn(process.execPath, [process.argv[1], "baseline", String(count)], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (data: Buffer) => (out += data.toString()))
    child.on("error", reject)
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as Baseline)
        : reject(new Error(`baseline exited with ${code}: ${out}`)))
  })

const fmt = (n: number, digits = 1) => n.toFixed(digits)
const mb = (kib: number) => kib / 1024

interface CsvFile {
  readonly path: string
  readonly bytes: number
  readonly sha256: string
}

const temporaryDirectory = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "bench-emulator-"))),
  (directory) => Effect.sync(() => Fs.rmSync(directory, { recursive: true, force: true }))
)

const csvFile = (directory: string, count: number): CsvFile => {
  const path = Path.join(directory, `${count}.csv`)
  return { path, ...writeCsvFile(path, count) }
}

const main = Effect.scoped(Effect.gen(function*() {
  const emulator = yield* startEmulator
  const credentials = Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString("base64")
  const token = yield* Effect.promise(() =>
    call("POST", `${emulator.url}/oauth/token?grant_type=client_credentials&scope=data`, {
      authorization: `Basic ${credentials}`
    })
  ).pipe(
    Effect.map((answer) => (JSON.parse(expect(answer, 200, "token").body) as { access_token: string }).access_token)
  )
  const auth = { authorization: `bearer ${token}` }
  const create = (name: string) =>
    Effect.promise(() =>
      call(
        "POST",
        `${emulator.url}/v1/datasets`,
        { ...auth, "content-type": "application/json" },
        JSON.stringify({ name, schema: { columns: COLUMNS } })
      )
    ).pipe(Effect.map((answer) => (JSON.parse(expect(answer, 201, "create").body) as { id: string }).id))

  const importRows = (id: string, file: CsvFile) =>
    Effect.promise(async (): Promise<Phase & { readonly sha256: string }> => {
      const rssBefore = rssKiB(emulator.pid)
      resetPeakRss(emulator.pid)
      const cpu = cpuSeconds(emulator.pid)
      const start = performance.now()
      const body = Fs.createReadStream(file.path, { highWaterMark: 256 * 1024 })
      expect(
        await call("PUT", `${emulator.url}/v1/datasets/${id}/data?updateMethod=REPLACE`, {
          ...auth,
          "content-type": "text/csv"
        }, body),
        204,
        "import"
      )
      const seconds = (performance.now() - start) / 1000
      const cpuUsed = cpuSeconds(emulator.pid) - cpu
      const info = JSON.parse(
        expect(await call("GET", `${emulator.url}/v1/datasets/${id}`, auth), 200, "get").body
      ) as {
        rows: number
      }
      return {
        seconds,
        cpuSeconds: cpuUsed,
        rows: info.rows,
        bytes: file.bytes,
        rssBeforeMB: mb(rssBefore),
        peakMB: mb(peakRssKiB(emulator.pid)),
        sha256: file.sha256
      }
    })

  const exportRows = (id: string) =>
    Effect.promise(async (): Promise<Phase & { readonly sha256: string }> => {
      const rssBefore = rssKiB(emulator.pid)
      resetPeakRss(emulator.pid)
      const cpu = cpuSeconds(emulator.pid)
      const start = performance.now()
      const result = await download(`${emulator.url}/v1/datasets/${id}/data?includeHeader=false`, {
        ...auth,
        accept: "text/csv"
      })
      return {
        seconds: (performance.now() - start) / 1000,
        cpuSeconds: cpuSeconds(emulator.pid) - cpu,
        rows: result.records,
        bytes: result.bytes,
        rssBeforeMB: mb(rssBefore),
        peakMB: mb(peakRssKiB(emulator.pid)),
        sha256: result.sha256
      }
    })

  const load = Os.loadavg().map((n) => fmt(n, 1)).join(" ")
  const canReset = resetPeakRss(emulator.pid)
  const idleMB = mb(rssKiB(emulator.pid))
  console.log(
    `Emulator CSV import/export: ${ROWS.toLocaleString("en")} rows × 6 columns (STRING, LONG, DOUBLE, DECIMAL, DATE, ` +
      `DATETIME; 5 % NULLs); emulator child process ${emulator.pid}, in-memory SQLite, idle RSS ${
        fmt(idleMB, 0)
      } MB; ` +
      `plain node:http on loopback`
  )
  if (!canReset) console.log("  (cannot reset the emulator's peak RSS: every peak below is since its start)")

  // the CSV bodies, made before anything is timed: sending them costs the driver little
  const directory = yield* temporaryDirectory
  const start = performance.now()
  const largeFile = csvFile(directory, ROWS)
  const generateSeconds = (performance.now() - start) / 1000
  const smallFile = csvFile(directory, SMALL)

  const large = yield* create("bench large")
  const small = yield* create("bench small")
  const imported = yield* importRows(large, largeFile)
  const importedSmall = yield* importRows(small, smallFile)
  const exportedSmall = yield* exportRows(small)
  const exported = yield* exportRows(large)
  const base = yield* Effect.promise(() => runBaseline(ROWS))

  const row = (name: string, p: Phase, where = "emulator") =>
    console.log(
      `  ${name.padEnd(34)} ${String(p.rows).padStart(8)} ${fmt(p.seconds, 2).padStart(7)} ${
        fmt(p.rows / p.seconds / 1000, 0).padStart(9)
      } ${fmt(p.bytes / 1e6 / p.seconds).padStart(6)} ${fmt(p.cpuSeconds, 2).padStart(6)} ${
        fmt(p.rows / p.cpuSeconds / 1000, 0).padStart(12)
      } ${(Number.isNaN(p.rssBeforeMB) ? "-" : fmt(p.rssBeforeMB, 0)).padStart(10)} ${
        fmt(p.peakMB, 0).padStart(8)
      }  ${where}`
    )
  console.log(
    `\n  ${"".padEnd(34)} ${"rows".padStart(8)} ${"wall s".padStart(7)} ${"k rows/s".padStart(9)} ${
      "MB/s".padStart(6)
    } ${"CPU s".padStart(6)} ${"k rows/CPU s".padStart(12)} ${"RSS before".padStart(10)} ${
      "peak MB".padStart(8)
    }  RSS of`
  )
  row("import  PUT …/data (REPLACE)", imported)
  row("export  GET …/data", exported)
  row("import  (small)", importedSmall)
  row("export  (small)", exportedSmall)
  const baseRow = (name: string, seconds: number, cpu: number, peakMB: number, bytes = imported.bytes) =>
    row(name, { seconds, cpuSeconds: cpu, rows: base.rows, bytes, rssBeforeMB: Number.NaN, peakMB }, "baseline")
  baseRow("baseline: INSERT, one transaction", base.insertSeconds, base.insertCpuSeconds, base.insertPeakMB)
  baseRow("baseline: SELECT iteration", base.selectSeconds, base.selectCpuSeconds, base.selectPeakMB)
  baseRow(
    "baseline: SELECT + CSV text",
    base.selectFormatSeconds,
    base.selectFormatCpuSeconds,
    base.selectPeakMB,
    base.csvBytes
  )

  const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`
  const exact = exported.rows === ROWS && imported.rows === ROWS && exported.sha256 === imported.sha256 &&
    exportedSmall.rows === SMALL && exportedSmall.sha256 === importedSmall.sha256
  console.log(`
  CSV ${fmt(imported.bytes / 1e6)} MB; the driver wrote it to a file in ${fmt(generateSeconds, 2)} s (${
    fmt(largeFile.bytes / 1e6 / generateSeconds, 0)
  } MB/s) before the import, the baseline makes the typed rows in ${
    fmt(base.generateSeconds, 2)
  } s (outside its INSERT time)
  emulator ÷ baseline, wall (CPU): import ÷ INSERT ${ratio(imported.seconds, base.insertSeconds)} (${
    ratio(imported.cpuSeconds, base.insertCpuSeconds)
  }), export ÷ SELECT ${ratio(exported.seconds, base.selectSeconds)} (${
    ratio(exported.cpuSeconds, base.selectCpuSeconds)
  }), export ÷ SELECT + CSV text ${ratio(exported.seconds, base.selectFormatSeconds)} (${
    ratio(exported.cpuSeconds, base.selectFormatCpuSeconds)
  })
  emulator peak RSS: import ${fmt(imported.peakMB, 0)} MB (+${
    fmt(imported.peakMB - imported.rssBeforeMB, 0)
  } over idle), export ${fmt(exported.peakMB, 0)} MB (+${
    fmt(exported.peakMB - exported.rssBeforeMB, 0)
  } over its RSS before)
  constant memory: export peak RSS ${ROWS.toLocaleString("en")} rows ÷ ${SMALL.toLocaleString("en")} rows ${
    ratio(exported.peakMB, exportedSmall.peakMB)
  } (${fmt(exported.peakMB, 0)} vs ${fmt(exportedSmall.peakMB, 0)} MB, both with both DataSets stored; growth +${
    fmt(exported.peakMB - exported.rssBeforeMB, 0)
  } vs +${fmt(exportedSmall.peakMB - exportedSmall.rssBeforeMB, 0)} MB)
  round trip: imported ${imported.rows} rows (DataSet rows), exported ${exported.rows} records; SHA-256 import ${
    imported.sha256.slice(0, 16)
  }…, export ${exported.sha256.slice(0, 16)}… ${exact ? "(byte-identical: OK)" : "(MISMATCH)"}`)
  console.log(
    `  machine: ${Os.cpus().length} CPUs, load average ${load} at start, ${
      Os.loadavg().map((n) => fmt(n, 1)).join(" ")
    } at the end (other work on the machine slows the wall times; CPU seconds much less)`
  )
  if (!exact) return yield* Effect.die(new Error("export differs from import"))
}))

if (process.argv[2] === "baseline") {
  console.log(JSON.stringify(baseline(Number(process.argv[3]))))
} else {
  Effect.runPromise(main).then(
    () => agent.destroy(),
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
}
