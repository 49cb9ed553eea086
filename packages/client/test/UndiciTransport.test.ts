import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import * as UndiciTransport from "../src/UndiciTransport.js"
import * as LeakScanner from "./utils/LeakScanner.js"
import { installLeakScanner, record } from "./utils/LeakScanner.js"
import { setup } from "./utils/setup.js"
import { errorReply } from "./utils/TestDomoServer.js"

installLeakScanner()

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
}

/** A loopback server whose handler the test chooses; every request it saw is kept. */
const loopback = (
  handler: (req: Http.IncomingMessage, res: Http.ServerResponse, body: Buffer) => void,
  options: { readonly readBody?: boolean } = {}
) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly seen: Array<Seen>; readonly server: Http.Server }>((resume) => {
      const seen: Array<Seen> = []
      const server = Http.createServer((req, res) => {
        if (options.readBody === false) return handler(req, res, Buffer.alloc(0))
        const parts: Array<Buffer> = []
        req.on("data", (part: Buffer) => parts.push(part))
        req.on("end", () => {
          const body = Buffer.concat(parts)
          seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
          handler(req, res, body)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, seen, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const client = Effect.map(UndiciTransport.makeAgent(), UndiciTransport.make)

describe("UndiciTransport", () => {
  it.scoped("GET: status, headers, cookies, json / text / arrayBuffer, each body read once", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* loopback((_, res) => {
        res.writeHead(201, { "content-type": "application/json", "set-cookie": ["a=1", "b=2"], "x-many": "v" })
        res.end(JSON.stringify({ ok: true }))
      })
      const http = yield* client
      const response = yield* http.get(`${url}/x/y`, { urlParams: { q: "1 2" }, headers: { "x-test": "t" } })
      expect(response.status).toBe(201)
      expect(response.headers["content-type"]).toBe("application/json")
      expect(response.headers["x-many"]).toBe("v")
      expect(response.cookies.cookies["a"]?.value).toBe("1")
      expect(yield* response.json).toEqual({ ok: true })
      expect(yield* response.text).toBe("{\"ok\":true}")
      expect(seen[0]!.url).toBe("/x/y?q=1+2")
      expect(seen[0]!.headers["x-test"]).toBe("t")
      // inspecting a response does not consume its body
      const second = yield* http.get(`${url}/z`)
      expect(JSON.stringify(second)).toContain("\"status\":201")
      const buffer = yield* second.arrayBuffer
      expect(Buffer.from(buffer).toString()).toBe("{\"ok\":true}")
      const decoded = yield* http.get(`${url}/w`).pipe(
        Effect.flatMap(DomoHttpClient.schemaBodyJson(Schema.Struct({ ok: Schema.Boolean })))
      )
      expect(decoded).toEqual({ ok: true })
    }))

  it.scoped("a Stream body is sent chunked, in order, as it is pulled; a Uint8Array body with its length", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* loopback((_, res, body) => res.end(String(body.length)))
      const http = yield* client
      const parts = Array.from({ length: 50 }, (_, i) => new TextEncoder().encode(`part-${i};`))
      const streamed = yield* http.execute(
        HttpClientRequest.post(`${url}/up`).pipe(
          HttpClientRequest.setBody(HttpBody.stream(Stream.fromIterable(parts), "text/plain"))
        )
      )
      const expected = parts.map((p) => new TextDecoder().decode(p)).join("")
      expect(yield* streamed.text).toBe(String(expected.length))
      expect(seen[0]!.headers["transfer-encoding"]).toBe("chunked")
      expect(seen[0]!.headers["content-type"]).toBe("text/plain")
      expect(seen[0]!.body.toString()).toBe(expected)
      yield* http.execute(HttpClientRequest.put(`${url}/put`).pipe(HttpClientRequest.bodyText("hello")))
      expect(seen[1]!.headers["content-length"]).toBe("5")
      expect(seen[1]!.body.toString()).toBe("hello")
    }))

  it.scoped("a failing body stream fails the request with RequestError (Transport)", () =>
    Effect.gen(function*() {
      const { url } = yield* loopback((_, res) => res.end("ok"))
      const http = yield* client
      const body = Stream.concat(Stream.make(new Uint8Array([1, 2, 3])), Stream.fail("broken"))
      const error = yield* Effect.flip(
        http.execute(HttpClientRequest.post(`${url}/up`).pipe(HttpClientRequest.setBody(HttpBody.stream(body))))
      )
      expect(error._tag).toBe("RequestError")
      expect(error.reason).toBe("Transport")
    }))

  it.scoped("response.stream delivers the body as it comes; stopping early closes the exchange", () =>
    Effect.gen(function*() {
      const closed = yield* Deferred.make<void>()
      const { url } = yield* loopback((req, res) => {
        if (req.url === "/all") {
          res.write("a".repeat(100_000))
          res.write("b".repeat(100_000))
          return res.end("c")
        }
        // endless: only a client that goes away ends it
        const timer = setInterval(() => res.write("x".repeat(16_384)), 1)
        res.on("close", () => {
          clearInterval(timer)
          Deferred.unsafeDone(closed, Effect.void)
        })
      })
      const http = yield* client
      const all = yield* http.get(`${url}/all`).pipe(
        Effect.flatMap((response) => Stream.runCollect(response.stream))
      )
      const bytes = Buffer.concat(Chunk.toArray(all))
      expect(bytes.length).toBe(200_001)
      expect(bytes.subarray(199_999).toString()).toBe("bc")
      const first = yield* http.get(`${url}/endless`).pipe(
        Effect.flatMap((response) => Stream.runCollect(Stream.take(response.stream, 2)))
      )
      expect(Chunk.size(first)).toBe(2)
      yield* Deferred.await(closed)
    }))

  it.scoped("interrupting a call in flight aborts it: the server sees the socket close (traced and lean paths)", () =>
    Effect.gen(function*() {
      const http = yield* client
      // the platform's path (tracer on) and ours (tracer off for the request, as DomoHttpClient runs it)
      for (const path of [http, http.pipe(HttpClient.withTracerDisabledWhen(() => true))]) {
        const arrived = yield* Deferred.make<void>()
        const closed = yield* Deferred.make<void>()
        const { url } = yield* loopback((_, res) => {
          Deferred.unsafeDone(arrived, Effect.void)
          res.on("close", () => Deferred.unsafeDone(closed, Effect.void))
          // never answers
        })
        const fiber = yield* Effect.fork(path.get(`${url}/hang`))
        yield* Deferred.await(arrived)
        yield* Fiber.interrupt(fiber)
        yield* Deferred.await(closed)
      }
    }))

  it.scoped("interrupting the read of a body destroys it", () =>
    Effect.gen(function*() {
      const http = yield* client
      const bodyClosed = yield* Deferred.make<void>()
      const slow = yield* loopback((_, res) => {
        res.writeHead(200)
        res.write("partial")
        res.on("close", () => Deferred.unsafeDone(bodyClosed, Effect.void))
      })
      const response = yield* http.get(`${slow.url}/slow`)
      const reading = yield* Effect.fork(response.text)
      // let the read start before interrupting it
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(reading)
      yield* Deferred.await(bodyClosed)
    }))

  it.scoped("errors: refused connection and a bad URL are RequestErrors; a cut body is a ResponseError", () =>
    Effect.gen(function*() {
      const http = yield* client
      const refused = yield* Effect.flip(http.get("http://127.0.0.1:1/nothing"))
      expect(refused._tag).toBe("RequestError")
      expect(refused.reason).toBe("Transport")
      const invalid = yield* Effect.flip(http.get("not a url"))
      expect(invalid._tag).toBe("RequestError")
      expect(invalid.reason).toBe("InvalidUrl")
      const { url } = yield* loopback((_, res) => {
        res.writeHead(200, { "content-length": "1000" })
        res.write("only part")
        setTimeout(() => res.socket?.destroy(), 10)
      })
      const response = yield* http.get(`${url}/cut`)
      const cut = yield* Effect.flip(response.text)
      expect(cut._tag).toBe("ResponseError")
      expect(cut.reason).toBe("Decode")
    }))

  it.scoped("with the tracer on it makes the platform's span and sends trace headers; turned off, neither", () =>
    Effect.gen(function*() {
      yield* LeakScanner.observe
      const { seen, url } = yield* loopback((_, res) => res.end("ok"))
      const http = yield* client
      yield* http.get(`${url}/traced`).pipe(Effect.withSpan("outer"))
      expect(seen[0]!.headers["traceparent"]).toBeDefined()
      expect(LeakScanner.spans.some((s) => s.name === "http.client GET")).toBe(true)
      yield* http.pipe(HttpClient.withTracerDisabledWhen(() => true)).get(`${url}/plain`).pipe(Effect.withSpan("outer"))
      expect(seen[1]!.headers["traceparent"]).toBeUndefined()
    }))
})

describe("DomoHttpClient over UndiciTransport", () => {
  const lean = { transport: UndiciTransport.layer }

  it.scoped("bearer per call, no trace headers to Domo, a span without secrets", () =>
    Effect.gen(function*() {
      const { client, state } = yield* setup(lean)
      const response = yield* client.get("/v1/datasets?limit=5")
      expect(response.status).toBe(200)
      expect(state.apiCalls[0]!.authorization).toBe(`Bearer ${state.issued[0]}`)
      expect(state.apiCalls[0]!.headers.traceparent).toBeUndefined()
      const span = [...LeakScanner.spans].reverse().find((s) => s.name === "DomoHttpClient GET")
      expect(span?.attributes.get("url.path")).toBe("/v1/datasets")
      for (const s of LeakScanner.spans) {
        for (const [key] of s.attributes) expect(key.toLowerCase()).not.toContain("authorization")
      }
      record(response)
      record(response.request)
      expect(LeakScanner.findLeaks()).toEqual([])
    }))

  it.live("on the live clock a call timeout interrupts the exchange: TimeoutError, the socket is closed", () =>
    Effect.scoped(Effect.gen(function*() {
      const { client, server, state } = yield* setup(lean)
      server.script("/v1/slow", { status: 200, body: {}, delayMs: 60_000 })
      const error = yield* Effect.flip(
        client.get("/v1/slow").pipe(DomoHttpClient.withRequestOptions({ timeout: "200 millis", retry: false }))
      )
      expect(error).toMatchObject({ _tag: "TimeoutError", method: "GET", path: "/v1/slow", timeoutMillis: 200 })
      expect(state.apiCalls.filter((c) => c.path === "/v1/slow")).toHaveLength(1)
      // and a call that answers in time is not cut
      const fast = yield* client.get("/v1/fast").pipe(DomoHttpClient.withRequestOptions({ timeout: "30 seconds" }))
      expect(fast.status).toBe(200)
    })))

  it.scoped("a 401 renews and replays once; a 429 with Retry-After is retried after the wait", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup(lean)
      yield* client.get("/v1/warm")
      server.script("/v1/a", errorReply(401, "Unauthorized", "expired"))
      expect((yield* client.get("/v1/a")).status).toBe(200)
      expect(state.tokenCalls).toHaveLength(2)
      server.script("/v1/b", errorReply(429, "Too Many Requests", "slow", { "retry-after": "0" }))
      expect((yield* client.get("/v1/b")).status).toBe(200)
      expect(state.apiCalls.filter((c) => c.path === "/v1/b")).toHaveLength(2)
      record(yield* Effect.exit(client.get("/v1/missing").pipe(Effect.zipRight(Effect.void))))
      expect(LeakScanner.findLeaks()).toEqual([])
    }))
})
