import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { DomoAuth } from "../src/DomoAuth.js"
import { driveUntilDone, eventually, liveSleep, pendingSleeps, until } from "./utils/helpers.js"
import { installLeakScanner, record, registerSecret, warnings } from "./utils/LeakScanner.js"
import * as LeakScanner from "./utils/LeakScanner.js"
import { layerFor, setup } from "./utils/setup.js"
import * as TestDomoServer from "./utils/TestDomoServer.js"

installLeakScanner()

const many = <A, E>(n: number, effect: Effect.Effect<A, E>) =>
  Effect.all(Array.from({ length: n }, () => Effect.exit(effect)), { concurrency: "unbounded" })

let current: TestDomoServer.ServerState | undefined

/**
 * advance the TestClock to `ms` (absolute), letting the renewal fiber's real I/O land on the way
 * (moving the clock while a token request is on the wire would fire its timeout)
 */
const advanceTo = (ms: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 10_000; i++) {
      const now = yield* TestClock.currentTimeMillis
      if (now >= ms) return
      const sleeps = Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((d) => d > now && d <= ms)
      const step = sleeps.length > 0 ? Math.min(...sleeps) - now : ms - now
      yield* TestClock.adjust(step)
      // give a renewal started by this step time to reach the server and come back
      yield* liveSleep(15)
      const state = current
      if (state !== undefined) yield* until(() => state.tokenInFlight === 0)
    }
  })

const errorOf = <A, E>(exit: Exit.Exit<A, E>): E =>
  Exit.isFailure(exit)
    ? Option.getOrThrow(Cause.failureOption(exit.cause))
    : Effect.runSync(Effect.dieMessage("no error"))

/** the renewal fiber's pending sleep (longer than any request timeout) */
const renewalSleep = eventually(
  Effect.map(pendingSleeps(10_000_000), (due) => {
    const long = due.filter((d) => d > 60_000)
    return long.length === 0 ? Option.none() : Option.some(Math.min(...long))
  })
)

/** setup, remembering the server for `advanceTo` */
const track = (options?: Parameters<typeof setup>[0]) =>
  Effect.tap(setup(options), (s) =>
    Effect.sync(() => {
      current = s.state
    }))

const value = (token: { readonly value: Redacted.Redacted<string> }) => Redacted.value(token.value)

describe("DomoAuth: getting and keeping the token (A)", () => {
  it.scoped("A1: 300 concurrent callers at cold start and at expiry cause one token request each", () =>
    Effect.gen(function*() {
      const { auth, state } = yield* track({ expiresIn: 1000 })
      state.tokenLatencyMs = 50
      const first = yield* many(300, auth.token)
      expect(first.every(Exit.isSuccess)).toBe(true)
      expect(state.tokenCalls).toHaveLength(1)
      expect(new Set(first.map((e) => Exit.isSuccess(e) ? value(e.value) : ""))).toEqual(new Set([state.issued[0]]))
      // at expiry: let the token run out while the endpoint is down (the renewal fiber cannot help)
      state.tokenOutage = true
      yield* advanceTo(1_001_000)
      yield* until(() => state.tokenInFlight === 0)
      // The endpoint is back before the clock moves on: a background retry that fires during the
      // adjust (real I/O, racing the test) must not fail and leave a remembered failure behind.
      state.tokenOutage = false
      const before = state.tokenCalls.length
      yield* TestClock.adjust("6 seconds") // the remembered failure is forgotten
      const second = yield* many(300, auth.token)
      yield* until(() => state.tokenInFlight === 0)
      expect(second.every(Exit.isSuccess)).toBe(true)
      // the 300 callers and the background renewal together: one request
      expect(state.tokenCalls.length - before).toBe(1)
      expect(new Set(second.map((e) => Exit.isSuccess(e) ? value(e.value) : ""))).toEqual(
        new Set([state.issued.at(-1)])
      )
      expect(state.tokenInFlightMax).toBe(1)
    }))

  it.scoped("A2: expiry = send time + expires_in, measured on the monotonic clock, not a JWT exp", () =>
    Effect.gen(function*() {
      const { auth, server, state } = yield* track()
      // a JWT-shaped token whose exp claim says "expired long ago"
      const payload = Buffer.from(JSON.stringify({ exp: 1 })).toString("base64url")
      const jwt = `eyJhbGciOiJub25lIn0.${payload}.c2lnbmF0dXJlc2lnbmF0dXJl`
      registerSecret(jwt)
      state.valid.set(jwt, Date.now() + 3_600_000)
      server.scriptToken({
        status: 200,
        delayMs: 200,
        body: { access_token: jwt, expires_in: 100, token_type: "bearer" }
      })
      const sentAt = yield* TestClock.currentTimeMillis
      const fiber = yield* Effect.fork(auth.token)
      yield* until(() => state.tokenCalls.length === 1)
      // time passes while the response is on its way: it must not extend the token's life
      yield* TestClock.adjust("10 seconds")
      const token = yield* Fiber.join(fiber)
      expect(value(token)).toBe(jwt)
      expect(token.issuedAt).toBe(sentAt)
      expect(token.expiresAt).toBe(sentAt + 100_000)
      // the JWT's exp is ignored: the token is served without a new request
      yield* auth.token
      expect(state.tokenCalls).toHaveLength(1)
    }))

  it.scoped("A3: the background fiber renews at 70–80 % of the lifetime; callers never wait while > M remains", () =>
    Effect.gen(function*() {
      const { auth, state } = yield* track({ expiresIn: 1000 })
      yield* auth.token
      const due = yield* renewalSleep
      expect(due).toBeGreaterThanOrEqual(700_000)
      expect(due).toBeLessThanOrEqual(800_000)
      yield* TestClock.adjust(due - 1)
      yield* auth.token
      expect(state.tokenCalls).toHaveLength(1)
      yield* TestClock.adjust(1)
      yield* until(() => state.tokenCalls.length === 2)
      yield* until(() => state.issued.length === 2)
      const renewed = yield* auth.token
      expect(value(renewed)).toBe(state.issued[1])
      // the next renewal is again 70–80 % of a lifetime after the renewal was sent
      const next = yield* renewalSleep
      expect(next).toBeGreaterThanOrEqual(700_000 - 100)
      expect(next).toBeLessThanOrEqual(800_000)
    }))

  it.scoped("A4: no request leaves with less than M of token life left", () =>
    Effect.gen(function*() {
      const { client, state } = yield* track({ expiresIn: 1000 })
      yield* client.get("/v1/a")
      const first = state.issued[0]!
      state.tokenOutage = true // renewals fail: only the margin rule protects callers now
      yield* advanceTo(939_000) // 61 s left: still fine
      yield* client.get("/v1/a")
      expect(state.apiCalls.at(-1)!.authorization).toBe(`Bearer ${first}`)
      yield* advanceTo(941_000) // 59 s left: below M = 60 s
      const callsBefore = state.apiCalls.length
      const exit = yield* Effect.exit(client.get("/v1/a"))
      record(exit)
      expect(Exit.isFailure(exit)).toBe(true)
      expect(state.apiCalls.length).toBe(callsBefore) // nothing was sent with the old token
      state.tokenOutage = false
      yield* advanceTo(950_000)
      yield* client.get("/v1/a")
      expect(state.apiCalls.at(-1)!.authorization).not.toBe(`Bearer ${first}`)
    }))

  it.scoped("A5/E2: a failing renewal keeps serving the valid token, backs off (capped, jittered), one attempt at a time, warns", () =>
    Effect.gen(function*() {
      const { auth, client, state } = yield* track({ expiresIn: 3600 })
      const events = yield* Ref.make<Array<{ tag: string; at: number }>>([])
      yield* auth.events.pipe(
        Stream.runForEach((e) =>
          Effect.flatMap(Clock.currentTimeMillis, (at) => Ref.update(events, (xs) => [...xs, { tag: e._tag, at }]))
        ),
        Effect.forkScoped
      )
      yield* client.get("/v1/a")
      state.tokenOutage = true
      yield* advanceTo(2_900_000) // past the renewal point (≤ 80 % = 2880 s)
      yield* advanceTo(3_400_000)
      // traffic still succeeds with the first token
      for (let i = 0; i < 5; i++) yield* client.get("/v1/a")
      expect(state.apiCalls.every((c) => c.authorization === `Bearer ${state.issued[0]}`)).toBe(true)
      expect(state.tokenInFlightMax).toBe(1)
      const failures = (yield* Ref.get(events)).filter((e) => e.tag === "RenewalFailed")
      expect(failures.length).toBeGreaterThanOrEqual(5)
      // capped (30 s) exponential backoff: hundreds of seconds of outage, not hundreds of attempts
      expect(failures.length).toBeLessThan(100)
      for (let i = 1; i < failures.length; i++) {
        const gap = failures[i]!.at - failures[i - 1]!.at
        expect(gap).toBeGreaterThanOrEqual(1000)
        expect(gap).toBeLessThanOrEqual(30_000 + 1000)
      }
      expect(warnings().length).toBeGreaterThanOrEqual(failures.length)
      expect(warnings()[0]).toContain("token fetch failed")
      // recovery: the next background attempt succeeds
      state.tokenOutage = false
      yield* advanceTo(3_440_000)
      expect((yield* Ref.get(events)).some((e) => e.tag === "Renewed" && e.at > 2_000_000)).toBe(true)
    }))

  it.scoped("A6: endpoint down past expiry: waiting callers fail together, failure remembered for seconds, then recovery", () =>
    Effect.gen(function*() {
      const { auth, state } = yield* track({ expiresIn: 100 })
      yield* auth.token
      state.tokenOutage = true
      state.tokenLatencyMs = 30
      yield* advanceTo(200_000)
      yield* until(() => state.tokenInFlight === 0)
      yield* TestClock.adjust("10 seconds") // let any remembered background failure expire
      const before = state.tokenCalls.length
      const exits = yield* many(100, auth.token)
      const tags = new Set(exits.map((e) => Exit.isFailure(e) ? errorOf(e)._tag : "ok"))
      expect(tags).toEqual(new Set(["TokenEndpointUnavailableError"]))
      record(exits[0])
      expect(state.tokenCalls.length - before).toBeLessThanOrEqual(1)
      // remembered: an immediate retry does not hit the endpoint
      const again = yield* Effect.exit(auth.token)
      expect(Exit.isFailure(again)).toBe(true)
      expect(state.tokenCalls.length - before).toBeLessThanOrEqual(1)
      // recovery is automatic once the failure is forgotten (5 s)
      state.tokenOutage = false
      yield* TestClock.adjust("6 seconds")
      const token = yield* auth.token
      expect(value(token)).toBe(state.issued.at(-1))
    }))

  it.scoped("A7: invalid client fails fast, no retry loop, short negative cache", () =>
    Effect.gen(function*() {
      const { auth, state } = yield* track({ configSecret: "wrong-secret-0123456789abcdef" })
      const exits = yield* many(100, auth.token)
      expect(exits.every((e) => Exit.isFailure(e))).toBe(true)
      const error = errorOf(exits[0]!)
      record(error)
      expect(error._tag).toBe("InvalidClientError")
      expect(error.message).toContain("Bad credentials")
      expect(state.tokenCalls).toHaveLength(1)
      yield* TestClock.adjust("10 seconds")
      yield* Effect.exit(auth.token)
      expect(state.tokenCalls).toHaveLength(1)
      yield* TestClock.adjust("25 seconds")
      yield* Effect.exit(auth.token)
      expect(state.tokenCalls).toHaveLength(2)
      // nothing retries in the background
      yield* advanceTo(3_600_000)
      expect(state.tokenCalls).toHaveLength(2)
    }))

  it.scoped("A7: a scope the client was not granted is a ScopeNotGrantedError", () =>
    Effect.gen(function*() {
      const { auth, server } = yield* track({ scopes: ["audit"] })
      server.scriptToken({
        status: 400,
        body: { status: 400, message: "Invalid scope: audit", error: "invalid_scope", toe: "ABCDEFGHIJ-KLMNO-PQRST" }
      })
      const error = yield* Effect.flip(auth.token)
      record(error)
      expect(error._tag).toBe("ScopeNotGrantedError")
      expect(error).toMatchObject({ scopes: ["audit"], status: 400 })
    }))

  it.scoped("A8: near-expiry tokens (expires_in below M) do not cause a renewal per call", () =>
    Effect.gen(function*() {
      // 20 s tokens with M = 60 s: a fixed margin would make every token "too old" on arrival
      const { client, state } = yield* track({ expiresIn: 20 })
      for (let i = 0; i < 200; i++) {
        yield* client.get("/v1/a")
        yield* TestClock.adjust("50 millis")
      }
      expect(state.apiCalls).toHaveLength(200)
      expect(state.tokenCalls).toHaveLength(1)
    }))

  it.scoped("A8: a renewal that returns the same token is not a renewal: reported, backed off, never per call", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* track({ expiresIn: 1000 })
      const failures = yield* Ref.make<Array<string>>([])
      yield* auth.events.pipe(
        Stream.runForEach((e) =>
          e._tag === "RenewalFailed" && e.error._tag === "TokenEndpointUnavailableError"
            ? Ref.update(
              failures,
              (xs) => [...xs, e.error._tag === "TokenEndpointUnavailableError" ? e.error.reason : ""]
            )
            : Effect.void
        ),
        Effect.forkScoped
      )
      yield* client.get("/v1/a")
      const first = state.issued[0]!
      // from now on the endpoint hands back the same token with its remaining life (a caching
      // server), measured on the test's clock
      const clock = yield* Effect.clock
      const sameToken = (): TestDomoServer.Reply => {
        const remaining = Math.floor((1_000_000 - clock.unsafeCurrentTimeMillis()) / 1000)
        return { status: 200, body: { access_token: first, expires_in: Math.max(1, remaining), token_type: "bearer" } }
      }
      server.scriptToken(...Array.from({ length: 500 }, () => sameToken))
      let calls = 0
      for (let t = 700_000; t < 935_000; t += 1_000) {
        yield* advanceTo(t)
        yield* client.get("/v1/a")
        calls++
      }
      expect(calls).toBe(235)
      expect(yield* Ref.get(failures)).toContain("stale-token")
      // background attempts back off (≤ 30 s apart after a few): far fewer than the calls
      expect(state.tokenCalls.length).toBeLessThan(30)
      expect(state.apiCalls.every((c) => c.authorization === `Bearer ${first}`)).toBe(true)
    }))

  it.scoped("A9: a malformed token response names the bad field and never includes the body", () =>
    Effect.gen(function*() {
      const marker = "leaky-body-0123456789abcdef-marker"
      registerSecret(marker)
      const cases: Array<[TestDomoServer.Reply, string, string]> = [
        [{ status: 200, body: `not json ${marker}` }, "(body)", "not JSON"],
        [{ status: 200, body: { expires_in: 3600, note: marker } }, "access_token", "missing"],
        [{ status: 200, body: { access_token: marker, expires_in: "soon" } }, "expires_in", "invalid"],
        [{ status: 200, body: { access_token: marker, expires_in: -5 } }, "expires_in", "invalid"],
        [{ status: 200, body: { access_token: "", expires_in: 60, note: marker } }, "access_token", "invalid"],
        [{ status: 200, body: [marker] }, "(body)", "invalid"]
      ]
      for (const [reply, field, reason] of cases) {
        const { auth, server } = yield* track()
        server.scriptToken(reply)
        const error = yield* Effect.flip(auth.token)
        record(error)
        expect(error._tag).toBe("MalformedTokenResponseError")
        expect(error).toMatchObject({ field, reason })
        expect(error.message).toContain(field)
      }
    }))

  it.scoped("A10: a caller that times out or is interrupted does not cancel the shared fetch", () =>
    Effect.gen(function*() {
      const { auth, state } = yield* track()
      state.tokenLatencyMs = 300
      const impatient = yield* Effect.fork(auth.token.pipe(Effect.timeout("1 second")))
      const interrupted = yield* Effect.fork(auth.token)
      yield* until(() => state.tokenCalls.length === 1)
      yield* TestClock.adjust("1 second")
      const timedOut = yield* Fiber.await(impatient)
      expect(Exit.isFailure(timedOut)).toBe(true)
      yield* Fiber.interrupt(interrupted)
      const token = yield* auth.token
      expect(value(token)).toBe(state.issued[0])
      expect(state.tokenCalls).toHaveLength(1)
    }))
})

describe("DomoAuth: invalidation (B1, B2)", () => {
  it.scoped("invalidate is a compare-and-swap on the token that was sent", () =>
    Effect.gen(function*() {
      const { auth, state } = yield* track()
      const old = yield* auth.token
      expect(yield* auth.invalidate(old)).toBe(true)
      const fresh = yield* auth.token
      expect(value(fresh)).toBe(state.issued[1])
      // a late 401 for the old token must not drop the new one
      expect(yield* auth.invalidate(old)).toBe(false)
      expect(Option.map(yield* auth.current, value)).toEqual(Option.some(state.issued[1]))
      expect(state.tokenCalls).toHaveLength(2)
    }))

  it.scoped("B2: a token the API rejected is never handed out again, even if the endpoint returns it", () =>
    Effect.gen(function*() {
      const { auth, server, state } = yield* track()
      const old = yield* auth.token
      yield* auth.invalidate(old)
      server.scriptToken({ status: 200, body: { access_token: value(old), expires_in: 3600 } })
      const error = yield* Effect.flip(auth.token)
      record(error)
      expect(error).toMatchObject({ _tag: "TokenEndpointUnavailableError", reason: "rejected-token" })
      yield* TestClock.adjust("6 seconds")
      expect(value(yield* auth.token)).toBe(state.issued[1])
    }))
})

describe("DomoAuth: lifecycle (E1, E2)", () => {
  it.scoped("E1: closing the layer's scope stops every fiber: no token request after close", () =>
    Effect.gen(function*() {
      yield* LeakScanner.observe
      const server = yield* TestDomoServer.make({ expiresIn: 100 })
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(layerFor(server), scope)
      const auth = Context.get(context, DomoAuth)
      yield* auth.token
      expect(server.state.tokenCalls).toHaveLength(1)
      // a fetch in flight at close time is interrupted too
      server.state.tokenLatencyMs = 200
      yield* Effect.fork(auth.refresh)
      yield* until(() => server.state.tokenCalls.length === 2)
      yield* Scope.close(scope, Exit.void)
      const after = server.state.tokenCalls.length
      yield* TestClock.adjust("2 hours")
      yield* liveSleep(300)
      expect(server.state.tokenCalls.length).toBe(after)
      expect(yield* TestClock.sleeps()).toEqual(Chunk.empty())
    }))

  it.scoped("E1: a call after the scope closed is interrupted, it does not hang or fetch", () =>
    Effect.gen(function*() {
      yield* LeakScanner.observe
      const server = yield* TestDomoServer.make()
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(layerFor(server), scope)
      const auth = Context.get(context, DomoAuth)
      yield* Scope.close(scope, Exit.void)
      const exit = yield* Effect.exit(auth.token)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(server.state.tokenCalls).toHaveLength(0)
    }))

  it.scoped("E2: renewal failures are visible as events and warnings while traffic succeeds", () =>
    Effect.gen(function*() {
      const { auth, client, state } = yield* track({ expiresIn: 100 })
      const seen = yield* auth.events.pipe(Stream.take(3), Stream.runCollect, Effect.fork)
      yield* client.get("/v1/a")
      state.tokenOutage = true
      yield* advanceTo(74_500) // renewal (at ≤ 73 % of 100 s) failed; the token is good until 75 s
      yield* client.get("/v1/a")
      const events = Chunk.toReadonlyArray(yield* driveUntilDone(seen).pipe(Effect.flatten))
      record(events)
      expect(events[0]!._tag).toBe("Renewed")
      expect(events[1]!._tag).toBe("RenewalFailed")
      expect(warnings().length).toBeGreaterThanOrEqual(1)
    }))
})
