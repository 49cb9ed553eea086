/**
 * Transport benchmark: a GET of a small JSON resource through `DomoHttpClient` (token attached,
 * status mapped, Schema-decoded) over our `UndiciTransport` (what `DomoNode.layer` uses) and over
 * the platform's `NodeHttpClient.layerUndici`, against raw undici `request()` + `body.json()`, same local
 * server (a child process, so server and client run on separate cores), concurrency 1/16/64.
 * Prints requests/s, client CPU µs per request, p50/p99 latency and the ratios (medians of REPS
 * rounds run in a rotating order).
 * Run: `npx tsc -b bench/tsconfig.json && node bench/dist/http.js` (N=requests per run).
 */
import * as Domo from "@effect-domo/client/Domo"
import * as DomoConfig from "@effect-domo/client/DomoConfig"
import * as DomoHttpClient from "@effect-domo/client/DomoHttpClient"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ChildProcess from "node:child_process"
import { createRequire } from "node:module"

const N = Number(process.env.N ?? 20_000)
const REPS = Number(process.env.REPS ?? 3)
const CONCURRENCY = (process.env.C ?? "1,16,64").split(",").map(Number)

interface UndiciResponse {
  readonly statusCode: number
  readonly body: { json(): Promise<unknown> }
}
interface Undici {
  request(url: string, options?: { readonly headers?: Record<string, string> }): Promise<UndiciResponse>
}
// the undici that @effect/platform-node uses (the bench declares no dependency of its own on it)
const undici: Undici = createRequire(import.meta.resolve("@effect/platform-node/NodeHttpClient"))("undici")

const serverSource = `
const http = require("node:http")
const body = JSON.stringify({ id: "3b1e3a7d-5f42-4c1a-9a3e-1f2d3c4b5a69", name: "Sales", rows: 1234, columns: 6, owner: { id: 27, name: "Jane" } })
const token = JSON.stringify({ access_token: "bench-token-0123456789abcdef", expires_in: 3600, token_type: "bearer", scope: "data" })
const server = http.createServer((req, res) => {
  if (req.url.startsWith("/oauth/token")) { res.writeHead(200, { "content-type": "application/json" }); return res.end(token) }
  res.writeHead(200, { "content-type": "application/json;charset=UTF-8", "content-length": Buffer.byteLength(body) })
  res.end(body)
})
server.keepAliveTimeout = 60000
server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"))
`

const DataSet = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  rows: Schema.Number,
  columns: Schema.Number,
  owner: Schema.Struct({ id: Schema.Number, name: Schema.String })
})

interface Result {
  readonly rps: number
  readonly cpuMicros: number
  readonly p50: number
  readonly p99: number
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

const summarize = (latencies: Float64Array, elapsed: number, used: NodeJS.CpuUsage): Result => {
  latencies.sort()
  return {
    rps: N / (elapsed / 1000),
    cpuMicros: (used.user + used.system) / N,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99)
  }
}

// plain async loops (the undici baseline)
const measure = async (c: number, one: () => Promise<void>): Promise<Result> => {
  for (let i = 0; i < 1000; i++) await one()
  const latencies = new Float64Array(N)
  let next = 0
  const cpu = process.cpuUsage()
  const start = performance.now()
  await Promise.all(Array.from({ length: c }, async () => {
    while (true) {
      const i = next++
      if (i >= N) return
      const t0 = performance.now()
      await one()
      latencies[i] = performance.now() - t0
    }
  }))
  return summarize(latencies, performance.now() - start, process.cpuUsage(cpu))
}

// C fibers inside one Effect run (how an Effect program makes calls)
const measureEffect = (c: number, one: Effect.Effect<void, unknown>): Effect.Effect<Result, unknown> =>
  Effect.gen(function*() {
    for (let i = 0; i < 1000; i++) yield* one
    const latencies = new Float64Array(N)
    let next = 0
    const cpu = process.cpuUsage()
    const start = performance.now()
    const worker = Effect.gen(function*() {
      while (true) {
        const i = next++
        if (i >= N) return
        const t0 = performance.now()
        yield* one
        latencies[i] = performance.now() - t0
      }
    })
    yield* Effect.all(Array.from({ length: c }, () => worker), { concurrency: "unbounded", discard: true })
    return summarize(latencies, performance.now() - start, process.cpuUsage(cpu))
  })

const main = async () => {
  const child = ChildProcess.spawn(process.execPath, ["-e", serverSource], { stdio: ["ignore", "pipe", "inherit"] })
  const port = await new Promise<number>((resolve) =>
    child.stdout.once("data", (d: Buffer) => resolve(Number(String(d))))
  )
  const url = `http://127.0.0.1:${port}`
  const config = DomoConfig.layer({ apiHost: url, clientId: "bench", clientSecret: Redacted.make("bench-secret") })
  // the same DomoHttpClient over two transports: the platform's undici client, and ours
  const stockRuntime = ManagedRuntime.make(
    Domo.layer.pipe(Layer.provide(config), Layer.provideMerge(NodeHttpClient.layerUndici))
  )
  const leanRuntime = ManagedRuntime.make(
    Domo.layer.pipe(Layer.provide(config), Layer.provide(DomoNode.layerTransport))
  )
  const decode = DomoHttpClient.schemaBodyJson(DataSet)
  const domoCall = (client: HttpClient.HttpClient.With<unknown>) =>
    Effect.asVoid(Effect.flatMap(client.get("/v1/datasets/abc"), decode))
  const viaStock = domoCall(await stockRuntime.runPromise(DomoHttpClient.DomoHttpClient))
  const viaLean = domoCall(await leanRuntime.runPromise(DomoHttpClient.DomoHttpClient))
  // the platform's own stack with the same work (bearer, status check, Schema decode), no span
  const platform = (await stockRuntime.runPromise(HttpClient.HttpClient)).pipe(
    HttpClient.mapRequest(HttpClientRequest.prependUrl(url)),
    HttpClient.mapRequest(HttpClientRequest.bearerToken("x")),
    HttpClient.filterStatusOk,
    HttpClient.withTracerDisabledWhen(() => true)
  )
  const stock = Effect.asVoid(
    Effect.flatMap(platform.get("/v1/datasets/abc"), HttpClientResponse.schemaBodyJson(DataSet))
  )
  const raw = async () => {
    const response = await undici.request(`${url}/v1/datasets/abc`, { headers: { authorization: "Bearer x" } })
    if (response.statusCode !== 200) throw new Error(String(response.statusCode))
    await response.body.json()
  }
  const only = process.env.ONLY?.split(",")
  const skipped: Result = { rps: Number.NaN, cpuMicros: Number.NaN, p50: Number.NaN, p99: Number.NaN }
  // ONLY=undici,lean (any of undici, lean, stock, platform) runs only those sides
  const sides: ReadonlyArray<
    { readonly name: string; readonly key: string; readonly run: (c: number) => Promise<Result> }
  > = [
    { name: "undici request() + body.json()", key: "undici", run: (c) => measure(c, raw) },
    {
      name: "DomoHttpClient / UndiciTransport",
      key: "lean",
      run: (c) => leanRuntime.runPromise(measureEffect(c, viaLean))
    },
    {
      name: "DomoHttpClient / layerUndici",
      key: "stock",
      run: (c) => stockRuntime.runPromise(measureEffect(c, viaStock))
    },
    {
      name: "platform layerUndici, no span",
      key: "platform",
      run: (c) => stockRuntime.runPromise(measureEffect(c, stock))
    }
  ]
  const median = (values: ReadonlyArray<number>) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)]!
  }
  const rows: Array<string> = []
  for (const c of CONCURRENCY) {
    // Rounds in a rotating order, so that a noisy neighbour hits every side alike; each
    // side's figures and each ratio (taken within a round) are medians over the rounds.
    const results = sides.map((): Array<Result> => [])
    for (let round = 0; round < REPS; round++) {
      for (let k = 0; k < sides.length; k++) {
        const i = (k + round) % sides.length
        const side = sides[i]!
        results[i]!.push(only === undefined || only.includes(side.key) ? await side.run(c) : skipped)
      }
    }
    const base = results[0]!
    rows.push(`c=${c}`)
    sides.forEach((side, i) => {
      const runs = results[i]!
      const of = (f: (r: Result) => number) => median(runs.map(f))
      const ratio = (f: (r: Result) => number) => median(runs.map((r, round) => f(r) / f(base[round]!))).toFixed(2)
      rows.push(
        `  ${side.name.padEnd(34)} ${of((r) => r.rps).toFixed(0).padStart(6)} req/s ${
          of((r) => r.cpuMicros).toFixed(1).padStart(6)
        } µs CPU  p50 ${of((r) => r.p50).toFixed(3)} p99 ${of((r) => r.p99).toFixed(3)} ms` +
          (i === 0 ?
            "" :
            `  | CPU ×${ratio((r) => r.cpuMicros)} req/s ×${ratio((r) => r.rps)} p50 ×${ratio((r) => r.p50)} p99 ×${
              ratio((r) => r.p99)
            }`)
      )
    })
  }
  console.log(
    `GET small JSON, ${N} requests per run, ${REPS} rounds (medians; ratios against undici within each round)`
  )
  for (const row of rows) console.log(row)
  await stockRuntime.dispose()
  await leanRuntime.dispose()
  child.kill()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
