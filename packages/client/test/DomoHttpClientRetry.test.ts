import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import type { DomoAuth } from "../src/DomoAuth.js"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import { driveUntilDone, liveSleep, nextSleepWithin, pendingSleeps, until } from "./utils/helpers.js"
import * as LeakScanner from "./utils/LeakScanner.js"
import { installLeakScanner, record } from "./utils/LeakScanner.js"
import { setup } from "./utils/setup.js"
import * as TestDomoServer from "./utils/TestDomoServer.js"
import { errorReply } from "./utils/TestDomoServer.js"

installLeakScanner()

const ok = (path: string): TestDomoServer.Reply => ({ status: 200, body: { ok: true, path } })

/**
 * Fetch the token before driving the TestClock: advancing the clock while the token request is
 * on the wire would fire its timeout.
 */
const warm = (auth: DomoAuth.Service) => Effect.asVoid(auth.token)

/** run `effect` in a fiber and drive the TestClock until it is done */
const drive = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.fork(effect), (fiber) => driveUntilDone(fiber))

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const failure = exit.cause._tag === "Fail" ? Option.some(exit.cause.error) : Option.none()
  record(exit)
  return Option.getOrThrow(failure)
}

describe("DomoHttpClient retries and throttling (C)", () => {
  it.scoped("C1: Retry-After in seconds is honoured exactly on 429", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      server.script("/v1/a", errorReply(429, "Too Many Requests", "slow down", { "retry-after": "2" }))
      const fiber = yield* Effect.fork(client.get("/v1/a"))
      // (longer pending sleeps are the token request's timeout; the TestClock keeps them listed)
      expect(yield* nextSleepWithin(20_000)).toBe(2000)
      yield* TestClock.adjust("2 seconds")
      const response = yield* Fiber.join(fiber)
      expect(response.status).toBe(200)
      expect(state.apiCalls).toHaveLength(2)
    }))

  it.scoped("C1: Retry-After as an HTTP date is honoured on 503", () =>
    Effect.gen(function*() {
      // a whole second: an HTTP date has no milliseconds, so the wait is exactly 10 s of test time
      const now = Math.floor(Date.now() / 1000) * 1000
      yield* TestClock.setTime(now)
      const { client, server, state } = yield* setup()
      const at = new Date(now + 10_000).toUTCString()
      server.script("/v1/a", errorReply(503, "Service Unavailable", "later", { "retry-after": at }))
      const fiber = yield* Effect.fork(client.get("/v1/a"))
      const wait = yield* nextSleepWithin(20_000)
      expect(wait).toBeGreaterThan(8000)
      expect(wait).toBeLessThanOrEqual(10_000)
      yield* TestClock.adjust(wait)
      expect((yield* Fiber.join(fiber)).status).toBe(200)
      expect(state.apiCalls).toHaveLength(2)
    }))

  it.scoped("C1: a Retry-After beyond the cap fails at once as RateLimitedError with the wait", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      server.script("/v1/a", errorReply(429, "Too Many Requests", "slow down", { "retry-after": "120" }))
      const error = yield* Effect.flip(client.get("/v1/a"))
      record(error)
      expect(error).toMatchObject({ _tag: "RateLimitedError", retryAfterMillis: 120_000, status: 429 })
      expect(state.apiCalls).toHaveLength(1)
    }))

  it.scoped("C2: connect/5xx/maintenance/dropped failures are retried with full-jitter backoff, bounded", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* setup({ retry: { maxRetries: 4, backoffBase: "100 millis" } })
      yield* warm(auth)
      const maintenance: TestDomoServer.Reply = {
        status: 500,
        headers: { "content-type": "text/html" },
        body: "<html><body><h1>Domo is down for scheduled maintenance</h1></body></html>"
      }
      server.script(
        "/v1/a",
        errorReply(502, "Bad Gateway", "bad gateway"),
        errorReply(504, "Gateway Timeout", "gateway timeout"),
        maintenance,
        { status: 200, drop: true }
      )
      const fiber = yield* Effect.fork(client.get("/v1/a"))
      // Each backoff sleep is recorded with the number of calls made before it. Full jitter may
      // draw a 0 ms delay, which never shows up as a pending sleep: the loop does not assume
      // one sleep per attempt.
      const delays: Array<{ readonly calls: number; readonly delay: number }> = []
      // The horizon is the largest possible backoff (100 ms * 2^3): the TestClock also lists the
      // token request's 30 s timeout, which is no backoff.
      while (Option.isNone(yield* Fiber.poll(fiber))) {
        const due = yield* pendingSleeps(800)
        if (due.length === 0) {
          yield* liveSleep(2)
          continue
        }
        const delay = Math.min(...due)
        delays.push({ calls: state.apiCalls.length, delay })
        yield* TestClock.adjust(delay)
      }
      expect((yield* Fiber.join(fiber)).status).toBe(200)
      expect(state.apiCalls).toHaveLength(5)
      expect(delays.length).toBeLessThanOrEqual(4)
      // the n-th retry (after n + 1 calls) waits at most base * 2^n
      delays.forEach(({ calls, delay }) => expect(delay).toBeLessThanOrEqual(100 * 2 ** (calls - 1)))

      server.script("/v1/down", ...Array.from({ length: 10 }, () => errorReply(503, "Service Unavailable", "down")))
      const before = state.apiCalls.length
      const down = failureOf(yield* drive(client.get("/v1/down")))
      expect(down).toMatchObject({ _tag: "ServerError", status: 503 })
      expect(state.apiCalls.length - before).toBe(5)
    }))

  it.scoped("C2: 501 and other 4xx are not retried", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* setup()
      yield* warm(auth)
      server.script("/v1/a", errorReply(501, "Not Implemented", "no"), ok("/v1/a"))
      expect(failureOf(yield* drive(client.get("/v1/a")))._tag).toBe("ServerError")
      server.script("/v1/b", errorReply(400, "Bad Request", "no"), ok("/v1/b"))
      expect(failureOf(yield* drive(client.get("/v1/b")))._tag).toBe("BadRequestError")
      expect(state.apiCalls).toHaveLength(2)
    }))

  it.scoped("C3: a retry budget stops retries from amplifying a widespread failure", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* setup({
        retry: { maxRetries: 4, backoffBase: "10 millis", budgetMinRetries: 10, budgetRatio: 0.1 }
      })
      yield* warm(auth)
      server.script("/v1/down", ...Array.from({ length: 1000 }, () => errorReply(503, "Service Unavailable", "down")))
      const all = Effect.all(Array.from({ length: 100 }, () => Effect.exit(client.get("/v1/down"))), {
        concurrency: 10
      })
      const exit = yield* drive(all)
      expect(Exit.isSuccess(exit) && exit.value.every(Exit.isFailure)).toBe(true)
      // without a budget: 100 × 5 = 500 attempts; with it at most 100 + 10 + 100 × 0.1
      expect(state.apiCalls.length).toBeLessThanOrEqual(120)
      expect(state.apiCalls.length).toBeGreaterThan(100)
    }))

  it.scoped("C4: non-idempotent calls are retried only on explicit refusal or when never sent", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* setup()
      yield* warm(auth)
      const count = (path: string) => state.apiCalls.filter((c) => c.path === path).length
      server.script("/v1/p502", errorReply(502, "Bad Gateway", "x"), ok("/v1/p502"))
      expect(failureOf(yield* drive(client.post("/v1/p502")))._tag).toBe("ServerError")
      expect(count("/v1/p502")).toBe(1)

      server.script("/v1/p503", errorReply(503, "Service Unavailable", "x"), ok("/v1/p503"))
      expect(Exit.isSuccess(yield* drive(client.post("/v1/p503")))).toBe(true)
      expect(count("/v1/p503")).toBe(2)

      server.script("/v1/p429", errorReply(429, "Too Many Requests", "x"), ok("/v1/p429"))
      expect(Exit.isSuccess(yield* drive(client.post("/v1/p429")))).toBe(true)
      expect(count("/v1/p429")).toBe(2)

      server.script("/v1/pdrop", { status: 200, drop: true }, ok("/v1/pdrop"))
      const dropped = failureOf(yield* drive(client.post("/v1/pdrop")))
      expect(dropped).toMatchObject({ _tag: "TransportError", sent: true })
      expect(count("/v1/pdrop")).toBe(1)

      server.script("/v1/put502", errorReply(502, "Bad Gateway", "x"), ok("/v1/put502"))
      expect(Exit.isSuccess(yield* drive(client.put("/v1/put502")))).toBe(true)
      expect(count("/v1/put502")).toBe(2)

      server.script("/v1/query", errorReply(502, "Bad Gateway", "x"), ok("/v1/query"))
      const marked = client.post("/v1/query").pipe(DomoHttpClient.withRequestOptions({ idempotent: true }))
      expect(Exit.isSuccess(yield* drive(marked))).toBe(true)
      expect(count("/v1/query")).toBe(2)
    }))

  it.scoped("C4: a POST that provably never reached the server (connection refused) is retried", () =>
    Effect.gen(function*() {
      const { auth, client } = yield* setup({ retry: { maxRetries: 3 } })
      yield* warm(auth)
      const scope = yield* Scope.make()
      const dead = yield* TestDomoServer.make().pipe(Scope.extend(scope))
      yield* Scope.close(scope, Exit.void)
      const error = failureOf(yield* drive(client.post(`${dead.url}/v1/create`)))
      expect(error).toMatchObject({ _tag: "TransportError", sent: false, code: "ECONNREFUSED" })
      const span = [...LeakScanner.spans].reverse().find((s) => s.name === "DomoHttpClient POST")
      expect(span?.attributes.get("domo.retries")).toBe(3)
    }))

  it.scoped("C5: token retries and call retries never multiply", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      state.tokenOutage = true
      const error = failureOf(yield* drive(client.get("/v1/a")))
      expect(error._tag).toBe("TokenEndpointUnavailableError")
      expect(state.tokenCalls).toHaveLength(1)
      expect(state.apiCalls).toHaveLength(0)
      // 401 then a failing token endpoint: one API call, one token call, no loop
      state.tokenOutage = false
      yield* TestClock.adjust("6 seconds")
      yield* client.get("/v1/a")
      server.revokeAll()
      state.tokenOutage = true
      const again = failureOf(yield* drive(client.get("/v1/a")))
      expect(again._tag).toBe("TokenEndpointUnavailableError")
      expect(state.tokenCalls).toHaveLength(3)
      expect(state.apiCalls).toHaveLength(2)
    }))

  it.scoped("C6: a per-call timeout covers the call, retries included", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      server.script("/v1/slow", { ...ok("/v1/slow"), delayMs: 5000 })
      const fiber = yield* Effect.fork(
        client.get("/v1/slow").pipe(DomoHttpClient.withRequestOptions({ timeout: "2 seconds" }))
      )
      yield* until(() => state.apiCalls.length === 1)
      yield* TestClock.adjust("2 seconds")
      const error = failureOf(yield* Fiber.await(fiber))
      expect(error).toMatchObject({ _tag: "TimeoutError", method: "GET", path: "/v1/slow", timeoutMillis: 2000 })
    }))

  it.scoped("C6: a per-service concurrency limit", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      yield* client.get("/v1/warm")
      server.script("/v1/limited", ...Array.from({ length: 12 }, () => ({ ...ok("/v1/limited"), delayMs: 30 })))
      const limited = yield* DomoHttpClient.limitConcurrency(2)(client)
      yield* Effect.all(Array.from({ length: 12 }, () => limited.get("/v1/limited")), { concurrency: "unbounded" })
      expect(state.apiInFlightMax).toBe(2)
      // without the limit they all run at once
      server.script("/v1/free", ...Array.from({ length: 12 }, () => ({ ...ok("/v1/free"), delayMs: 30 })))
      yield* Effect.all(Array.from({ length: 12 }, () => client.get("/v1/free")), { concurrency: "unbounded" })
      expect(state.apiInFlightMax).toBeGreaterThan(2)
    }))
})

describe("DomoHttpClient secrets (D1, D2)", () => {
  it.scoped("D1: responses, errors and causes render without the token; the scanner itself catches a leak", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      const response = yield* client.get("/v1/a")
      record(response)
      record(response.request)
      server.script("/v1/x", errorReply(404, "Not Found", "nope"))
      record(yield* Effect.exit(client.get("/v1/x")))
      record(yield* Effect.exit(response.json.pipe(Effect.zipRight(response.json))))
      server.revokeAll()
      const unauthorized = errorReply(401, "Unauthorized", "no")
      server.script("/v1/y", unauthorized, unauthorized)
      record(yield* Effect.exit(client.get("/v1/y")))
      expect(LeakScanner.findLeaks()).toEqual([])
      // the scanner is not blind: a token in a rendering is reported
      record({ authorization: `Bearer ${state.issued[0]}` })
      expect(LeakScanner.findLeaks()).toHaveLength(1)
      LeakScanner.reset()
    }))

  it.scoped("D2: spans name the call and carry no secret", () =>
    Effect.gen(function*() {
      const { client } = yield* setup()
      yield* client.get("/v1/datasets?limit=5")
      const span = [...LeakScanner.spans].reverse().find((s) => s.name === "DomoHttpClient GET")
      expect(span?.attributes.get("url.path")).toBe("/v1/datasets")
      expect(LeakScanner.spans.some((s) => s.name === "DomoAuth.fetchToken")).toBe(true)
      for (const s of LeakScanner.spans) {
        for (const [key] of s.attributes) expect(key.toLowerCase()).not.toContain("authorization")
      }
    }))

  it.scoped("D2: the call span is a child of the caller's span, carries annotations and links, and always ends", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup()
      const link = { span: Tracer.externalSpan({ spanId: "feed", traceId: "beef" }), attributes: {} }
      yield* client.get("/v1/datasets").pipe(
        Effect.annotateSpans("tenant", "acme"),
        Effect.linkSpans(link.span),
        Effect.withSpan("caller")
      )
      const caller = [...LeakScanner.spans].reverse().find((s) => s.name === "caller")!
      const call = [...LeakScanner.spans].reverse().find((s) => s.name === "DomoHttpClient GET")!
      expect(Option.map(call.parent, (p) => p.spanId)).toEqual(Option.some(caller.spanId))
      expect(call.kind).toBe("client")
      expect(call.attributes.get("tenant")).toBe("acme")
      expect(call.links.map((l) => l.span.spanId)).toContain("feed")
      expect(call.status._tag).toBe("Ended")
      // interrupted mid-call (the server never answers in time): the span still ends
      server.script("/v1/slow", { status: 200, body: { ok: true, path: "/v1/slow" }, delayMs: 2_000 })
      const fiber = yield* Effect.fork(client.get("/v1/slow"))
      yield* liveSleep(50)
      yield* Fiber.interrupt(fiber)
      const slow = [...LeakScanner.spans].reverse().find((s) =>
        s.name === "DomoHttpClient GET" && s.attributes.get("url.path") === "/v1/slow"
      )!
      expect(slow.status._tag).toBe("Ended")
      // with the tracer off for the caller, calls work and make no span
      const before = LeakScanner.spans.length
      expect((yield* client.get("/v1/datasets").pipe(Effect.withTracerEnabled(false))).status).toBe(200)
      expect(LeakScanner.spans.slice(before).some((s) => s.name === "DomoHttpClient GET")).toBe(false)
    }))

  it.scoped("the underlying HttpClient stays swappable: DomoHttpClient is an HttpClient", () =>
    Effect.gen(function*() {
      const { client } = yield* setup()
      const prefixed = client.pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl("/v1")))
      const response = yield* prefixed.get("/datasets")
      expect(response.status).toBe(200)
    }))
})
