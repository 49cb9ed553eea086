/**
 * `domo demo`: the whole path on an embedded emulator, with a short narrative — authenticate,
 * create a typed dataset, upload a million rows through the Stream API, query, export and
 * verify, set a PDP policy, watch a token renewal with no request failing, and sum up. Every
 * step is a real HTTP call to the emulator through the client library.
 *
 * @since 0.1.0
 */
import { AccessToken, Datasets, DomoAuth, DomoConfig, StreamUpload } from "@effect-domo/client"
import type { Emulator } from "@effect-domo/emulator"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Connection from "./Connection.js"
import * as ErrorReport from "./ErrorReport.js"
import * as Data from "./internal/demoData.js"
import * as Narrator from "./internal/narrator.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/**
 * The demo's knobs.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoOptions {
  /** rows to upload [1,000,000] */
  readonly rows: number
  /** lifetime of the emulator's tokens in seconds, short so renewals happen during the demo [10] */
  readonly tokenLifetimeSeconds: number
  /** rows of the export read back and compared with what was generated [100,000] */
  readonly verifyRows: number
}

const STEPS = 8
// small parts for the demo (Domo advises 10–100 MB): more of them, so the progress bar moves
const PART_SIZE = 2 * 1024 * 1024

interface Renewals {
  readonly background: number
  readonly failed: number
}

/**
 * Runs the demo against a fresh in-process emulator; fails if any check does not hold.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (options: DemoOptions) =>
  Effect.scoped(Effect.gen(function*() {
    const started = performance.now()
    const narrator = yield* Narrator.make(STEPS)
    yield* Effect.sync(() =>
      process.stdout.write(
        "domo demo: the whole path on an embedded Domo emulator (a real HTTP server on loopback, no account needed)\n"
      )
    )
    const emulator = yield* narrator.step(
      "Start the embedded emulator",
      Effect.gen(function*() {
        const emulator = yield* Connection.startEmulator({ tokenLifetimeSeconds: options.tokenLifetimeSeconds })
        yield* narrator.say(
          `listening on ${emulator.url}; demo client ${emulator.clientId.slice(0, 8)}… (its secret is never printed)`
        )
        yield* narrator.say(
          `tokens live ${options.tokenLifetimeSeconds} s here (Domo: 3600 s), so renewals happen during the demo`
        )
        return emulator
      })
    )
    // built in the demo's scope: the token manager's renewal fiber lives as long as the demo
    const services = yield* Layer.build(Connection.clientLayer(yield* Connection.emulatorConfig(emulator)))
    return yield* walk(options, narrator, emulator, started).pipe(Effect.provide(services))
  }))

const walk = (
  options: DemoOptions,
  narrator: Narrator.Narrator,
  emulator: Emulator.EmulatorService,
  started: number
) =>
  Effect.gen(function*() {
    const auth = yield* DomoAuth.DomoAuth
    const datasets = yield* Datasets.Datasets
    const renewals = yield* Ref.make<Renewals>({ background: 0, failed: 0 })
    const at = () => Progress.formatDuration(performance.now() - started)
    // every renewal the token manager makes on its own, printed as it happens
    const watcher = yield* auth.events.pipe(
      Stream.runForEach((event) =>
        event._tag === "Renewed" && event.background
          ? Effect.zipRight(
            Ref.update(renewals, (r) => ({ ...r, background: r.background + 1 })),
            narrator.say(`↻ ${at()}: token renewed in the background (scopes ${event.token.scopes.join(" ")})`)
          )
          : event._tag === "RenewalFailed"
          ? Ref.update(renewals, (r) => ({ ...r, failed: r.failed + 1 }))
          : Effect.void
      ),
      Effect.forkScoped
    )

    yield* narrator.step(
      "Authenticate (OAuth client credentials)",
      Effect.gen(function*() {
        const token = yield* auth.token
        const left = yield* AccessToken.remaining(token)
        const lifetime = Duration.toMillis(token.lifetime)
        const { auth: policy } = yield* DomoConfig.DomoConfig
        yield* narrator.say(`scopes granted: ${token.scopes.join(" ")}`)
        yield* narrator.say(
          `instance ${token.customer ?? "?"}, user ${token.userId ?? "?"} (${token.role ?? "?"}); ` +
            `the token expires in ${Progress.formatDuration(left)}`
        )
        yield* narrator.say(
          `renewal: in the background at ${Math.round(policy.renewAtMin * 100)}–${
            Math.round(policy.renewAtMax * 100)
          } % of its lifetime (${Progress.formatDuration(lifetime * policy.renewAtMin)}–${
            Progress.formatDuration(lifetime * policy.renewAtMax)
          } after issue); no call waits for it`
        )
      })
    )

    const stream = yield* narrator.step(
      "Create a typed dataset from a DomoTable",
      Effect.gen(function*() {
        const stream = yield* StreamUpload.createForTable(Data.Sales, {
          name: "Demo sales",
          description: "made by domo demo"
        })
        yield* narrator.say(`DataSet ${stream.dataSet.id} fed by stream ${stream.id}:`)
        yield* narrator.say(
          Data.Sales.columns.map((c) => `${c.name} ${c.type}${c.nullable ? "?" : ""}`).join(", ")
        )
        return stream
      })
    )
    const datasetId = stream.dataSet.id

    yield* narrator.step(
      `Upload ${Progress.formatCount(options.rows)} generated rows through the Stream API`,
      Effect.scoped(Effect.gen(function*() {
        const tracker = yield* Progress.make("  upload", { rows: options.rows })
        // progress as Domo acknowledges each part (rows, parts, CSV bytes)
        const result = yield* StreamUpload.upload(
          stream.id,
          StreamUpload.fromRows(Data.Sales, Data.rows(options.rows)),
          {
            updateMethod: "REPLACE",
            partSize: PART_SIZE,
            onProgress: (event) =>
              event._tag === "PartUploaded"
                ? Effect.all([tracker.addParts(1), tracker.addRows(event.rows), tracker.addBytes(event.bytes)])
                : Effect.void
          }
        )
        const done = yield* tracker.snapshot
        const seconds = Math.max(Duration.toMillis(done.elapsed) / 1000, 0.001)
        yield* narrator.say(
          `execution ${result.executionId} ${result.execution.currentState}: ${
            Progress.formatCount(result.rows)
          } rows, ${result.parts} parts of ≤ ${Progress.formatBytes(PART_SIZE)} CSV, ${
            Progress.formatBytes(result.bytes)
          } of CSV sent as ${Progress.formatBytes(result.sentBytes)} gzipped; ${
            Progress.formatCount(result.rows / seconds)
          } rows/s`
        )
        if (result.rows !== options.rows) {
          return yield* new ErrorReport.VerificationError({
            reason: `uploaded ${result.rows} rows, expected ${options.rows}`
          })
        }
      }))
    )

    yield* narrator.step(
      "Run a SQL query",
      Effect.gen(function*() {
        const sql = "SELECT region, COUNT(*) AS orders, SUM(units) AS units, MIN(price) AS min_price, " +
          "MAX(price) AS max_price FROM table GROUP BY region ORDER BY region"
        yield* narrator.say(sql)
        const result = yield* datasets.query(datasetId, sql)
        const rows = result.rows.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])))
        yield* Effect.sync(() => process.stdout.write(`${indent(Output.table(rows, result.columns))}\n`))
        const total = rows.reduce((n, r) => n + Number(r["orders"]), 0)
        if (total !== options.rows) {
          return yield* new ErrorReport.VerificationError({ reason: `the query counted ${total} rows` })
        }
        yield* narrator.say(`${Progress.formatCount(total)} rows counted: all of them arrived`)
      })
    )

    yield* narrator.step(
      `Export a slice back and verify it (${Progress.formatCount(Math.min(options.verifyRows, options.rows))} rows)`,
      Effect.scoped(Effect.gen(function*() {
        const wanted = Math.min(options.verifyRows, options.rows)
        const tracker = yield* Progress.make("  export", { rows: wanted })
        const checked = yield* Ref.make(0)
        yield* datasets.exportRows(Data.SalesExport, datasetId).pipe(
          Stream.take(wanted),
          Progress.countRows(tracker),
          Stream.runForEach((exported) => {
            const { _BATCH_ID_, _BATCH_LAST_RUN_, ...sale } = exported
            return Data.same(sale, Data.row(sale.id)) && _BATCH_ID_ > 0
              ? Ref.update(checked, (n) => n + 1)
              : Effect.fail(
                new ErrorReport.VerificationError({ reason: `exported row ${sale.id} differs from the one uploaded` })
              )
          })
        )
        const n = yield* Ref.get(checked)
        if (n !== wanted) {
          return yield* new ErrorReport.VerificationError({ reason: `the export had ${n} rows, expected ${wanted}` })
        }
        yield* narrator.say(
          `streamed CSV decoded with the same DomoTable: ${Progress.formatCount(n)} rows equal to the generated ` +
            "ones (decimals exact, dates, nulls vs empty strings, quoted text)"
        )
      }))
    )

    yield* narrator.step(
      "Set a PDP policy",
      Effect.gen(function*() {
        const policy = yield* datasets.createPolicy(datasetId, {
          name: "West region only",
          type: "user",
          filters: [{ column: "region", values: ["West"], operator: "EQUALS", not: false }],
          users: [emulator.userId],
          groups: []
        })
        yield* datasets.update(datasetId, { pdpEnabled: true })
        const dataset = yield* datasets.get(datasetId)
        yield* narrator.say(`policy ${policy.id} created; PDP is ${dataset.pdpEnabled === true ? "on" : "off"}`)
        const policies = yield* datasets.listPolicies(datasetId)
        yield* Effect.sync(() =>
          process.stdout.write(
            `${
              indent(Output.table(policies.map((p) => ({
                id: p.id,
                name: p.name,
                filter: p.filters.map((f) => `${f.column} ${f.operator} ${f.values.join("|")}`).join("; "),
                users: p.users.join(","),
                groups: p.groups.join(",")
              }))))
            }\n`
          )
        )
      })
    )

    yield* narrator.step(
      "Watch a token renewal while API calls keep flowing",
      Effect.gen(function*() {
        const before = (yield* Ref.get(renewals)).background
        const calls = yield* Ref.make({ ok: 0, failed: 0 })
        const tokensBefore = Object.keys((yield* emulator.requestLog.counters).perToken).length
        // real API calls, back to back, until the renewal fiber has replaced the token
        const load = yield* datasets.get(datasetId).pipe(
          Effect.exit,
          Effect.flatMap((exit) =>
            Ref.update(calls, (c) => Exit.isSuccess(exit) ? { ...c, ok: c.ok + 1 } : { ...c, failed: c.failed + 1 })
          ),
          Effect.zipRight(Effect.sleep("50 millis")),
          Effect.forever,
          Effect.fork
        )
        yield* Ref.get(renewals).pipe(
          Effect.repeat({ until: (r) => r.background > before, schedule: Schedule.spaced("50 millis") }),
          Effect.timeoutFail({
            duration: Duration.seconds(options.tokenLifetimeSeconds * 2 + 5),
            onTimeout: () => new ErrorReport.VerificationError({ reason: "no background renewal happened" })
          })
        )
        // a few more calls on the new token
        yield* Effect.sleep("300 millis")
        yield* Fiber.interrupt(load)
        const c = yield* Ref.get(calls)
        const tokensAfter = Object.keys((yield* emulator.requestLog.counters).perToken).length
        yield* narrator.say(
          `${c.ok} GET /v1/datasets/{id} calls across the renewal, ${c.failed} failed; ` +
            `${tokensAfter - tokensBefore} new token(s) on the wire`
        )
        if (c.failed > 0) {
          return yield* new ErrorReport.VerificationError({ reason: `${c.failed} calls failed across the renewal` })
        }
      })
    )

    yield* Fiber.interrupt(watcher)
    const timings = yield* narrator.timings
    const total = performance.now() - started
    const counters = yield* emulator.requestLog.counters
    const failed = (yield* emulator.requestLog.entries).filter((e) => e.status >= 400).length
    const r = yield* Ref.get(renewals)
    const summary = [
      ...timings.map((t) => ({ step: t.title, time: Progress.formatDuration(t.duration) })),
      { step: "total", time: Progress.formatDuration(total) }
    ]
    yield* Effect.sync(() =>
      process.stdout.write(
        `\nSummary\n${indent(Output.table(summary, ["step", "time"]))}\n` +
          `  ${counters.total} HTTP requests (${counters.tokenRequests} for tokens, ${
            Object.keys(counters.perToken).length
          } distinct tokens used), ${failed} failed; ${r.background} background renewals, ${r.failed} failed renewals\n`
      )
    )
    if (failed > 0) {
      return yield* new ErrorReport.VerificationError({ reason: `${failed} HTTP requests failed` })
    }
  })

const indent = (text: string): string => text.split("\n").map((l) => `    ${l}`).join("\n")

/**
 * `domo demo`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(
  "demo",
  {
    rows: Options.integer("rows").pipe(
      Options.withDescription("rows to upload through the Stream API"),
      Options.withDefault(1_000_000)
    ),
    tokenLifetime: Options.integer("token-lifetime").pipe(
      Options.withDescription("lifetime (seconds) of the emulator's tokens: short, to show renewals"),
      Options.withDefault(10)
    ),
    verifyRows: Options.integer("verify-rows").pipe(
      Options.withDescription("rows of the export to read back and compare"),
      Options.withDefault(100_000)
    )
  },
  ({ rows, tokenLifetime, verifyRows }) =>
    Effect.gen(function*() {
      if (rows < 1 || tokenLifetime < 2 || verifyRows < 1) {
        return yield* new ErrorReport.InputError({
          reason: "--rows and --verify-rows must be ≥ 1, --token-lifetime ≥ 2"
        })
      }
      yield* run({ rows, tokenLifetimeSeconds: tokenLifetime, verifyRows })
    })
).pipe(
  Command.withDescription(
    "Run the whole path end to end on an embedded emulator: authenticate, create a typed dataset, upload " +
      "rows through the Stream API with progress, query, export and verify, set a PDP policy, watch a token " +
      "renewal with no request failing, and print a summary with timings."
  )
)
