/**
 * `Datasets.exportRows` of ROWS rows (default 1,000,000) from the emulator: rows/s and the peak
 * RSS of the exporting process. The emulator (and the import that fills it) runs in this
 * process; the export runs in a fresh child process, so its peak RSS is the export's alone.
 * The yardstick is the same child reading the same export as raw bytes (`exportCsv`, no decode).
 *
 *   node dist/export.js            # parent: emulator + import, then both children
 *   node dist/export.js child …    # child: one export, prints JSON
 */
import { Datasets, Domo, DomoConfig, DomoTable } from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const execFileAsync = promisify(execFile)
const ROWS = Number(process.env.ROWS ?? 1_000_000)

const Events = DomoTable.make("Events", {
  id: DomoTable.long,
  label: DomoTable.string,
  amount: DomoTable.double,
  day: DomoTable.date,
  at: DomoTable.datetime,
  note: DomoTable.nullable(DomoTable.string)
})
type Event = DomoTable.Row<typeof Events>

const event = (i: number): Event => ({
  id: i,
  label: i % 16 === 0 ? `label, "${i}"` : `label ${i}`,
  amount: i / 16,
  day: new Date(Date.UTC(2020, 0, 1) + (i % 3000) * 86_400_000),
  at: new Date(Date.UTC(2024, 0, 1) + i * 1000),
  note: i % 3 === 0 ? null : `note ${i % 1000}`
})

const clientLayer = (apiHost: string, clientId: string, clientSecret: string) =>
  Datasets.layer.pipe(
    Layer.provideMerge(Domo.layer),
    Layer.provide(DomoConfig.layer({ apiHost, clientId, clientSecret: Redacted.make(clientSecret) })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/**
 * This process's peak RSS. On Linux, `getrusage` maxRSS survives `exec` (it starts at the
 * parent's RSS at fork, and the parent holds the emulator's data), so VmHWM of this process's own
 * address space is read instead.
 */
const peakRssMB = (): number => {
  try {
    const status = readFileSync("/proc/self/status", "utf8")
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status)
    if (match !== null) return Number(match[1]) / 1024
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024
}

const child = async (mode: string, apiHost: string, clientId: string, clientSecret: string, id: string) => {
  const program = Effect.gen(function*() {
    const datasets = yield* Datasets.Datasets
    const start = performance.now()
    let rows = 0
    let bytes = 0
    if (mode === "rows") {
      rows = yield* Stream.runCount(datasets.exportRows(Events, id))
    } else {
      bytes = yield* Stream.runFold(datasets.exportCsv(id), 0, (n, chunk) => n + chunk.length)
    }
    const seconds = (performance.now() - start) / 1000
    if (process.env.MEMTRACE !== undefined) {
      console.error(`done: rss ${process.memoryUsage().rss >> 20} MB, VmHWM ${peakRssMB().toFixed(0)} MB`)
    }
    return { mode, rows, bytes, seconds, maxRssMB: peakRssMB() }
  })
  const result = await Effect.runPromise(Effect.provide(program, clientLayer(apiHost, clientId, clientSecret)))
  console.log(JSON.stringify(result))
}

const parent = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const datasets = yield* Datasets.Datasets
  const ds = yield* datasets.createFromTable(Events, { name: "bench events" })
  const t0 = performance.now()
  yield* datasets.importRows(Events, ds.id, Stream.range(0, ROWS - 1).pipe(Stream.map(event)))
  const importSeconds = (performance.now() - t0) / 1000
  console.log(`exportRows benchmark: ${ROWS} rows × 6 columns; import took ${importSeconds.toFixed(1)} s`)
  const self = fileURLToPath(import.meta.url)
  // asynchronously: the emulator in this process serves the child meanwhile
  const run = (mode: string) =>
    Effect.promise(() =>
      execFileAsync(process.execPath, [
        self,
        "child",
        mode,
        emulator.url,
        emulator.clientId,
        ds.id
      ], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
        // the secret goes by environment, not argv (visible to `ps`)
        env: {
          ...process.env,
          DOMO_CLIENT_SECRET: Redacted.value(emulator.clientSecret),
          NODE_OPTIONS: process.env.CHILD_NODE_OPTIONS ?? ""
        }
      })
    ).pipe(Effect.map(({ stderr, stdout }) => {
      if (stderr !== "") console.error(stderr.trimEnd())
      return JSON.parse(stdout) as ChildResult
    }))
  const raw = yield* run("bytes")
  const typed = yield* run("rows")
  const mb = raw.bytes / 1e6
  console.log(
    `  exportCsv (bytes only)   ${(ROWS / raw.seconds / 1e6).toFixed(2)} M rows/s  ${
      (mb / raw.seconds).toFixed(0)
    } MB/s  peak RSS ${raw.maxRssMB.toFixed(0)} MB`
  )
  console.log(
    `  exportRows (typed rows)  ${(typed.rows / typed.seconds / 1e6).toFixed(2)} M rows/s  ${
      (mb / typed.seconds).toFixed(0)
    } MB/s  peak RSS ${typed.maxRssMB.toFixed(0)} MB`
  )
  console.log(
    `  export size ${mb.toFixed(1)} MB; typed / bytes time ${
      (typed.seconds / raw.seconds).toFixed(2)
    }×; peak RSS goal < 200 MB`
  )
})

interface ChildResult {
  readonly rows: number
  readonly bytes: number
  readonly seconds: number
  readonly maxRssMB: number
}

const parentLayer = Layer.unwrapEffect(
  Effect.map(
    Emulator.Emulator,
    (emulator) => clientLayer(emulator.url, emulator.clientId, Redacted.value(emulator.clientSecret))
  )
).pipe(Layer.provideMerge(Emulator.layer({ seed: 1 })))

if (process.argv[2] === "child") {
  const [, , , mode, apiHost, clientId, id] = process.argv
  await child(mode, apiHost, clientId, process.env.DOMO_CLIENT_SECRET ?? "", id)
} else {
  await Effect.runPromise(Effect.provide(parent, parentLayer))
}
