import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { Emulator } from "../src/Emulator.js"
import * as RequestLog from "../src/RequestLog.js"
import { call, callJson, testLayer, token } from "./helpers.js"

const admin = (method: "GET" | "PUT" | "POST" | "DELETE", path: string, body?: unknown) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(`${emulator.url}${path}`)
    if (body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, body)
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) as unknown }
  })

layer(testLayer({ seed: 7, maxBodyBytes: 1024 }))("Faults", (it) => {
  it.effect("a script answers the next N matching calls with 503 + Retry-After, then stops", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const emulator = yield* Emulator
      yield* emulator.faults.script({
        method: "GET",
        path: "/v1/datasets",
        times: 2,
        fault: { _tag: "Status", status: 503, retryAfter: 3 }
      })
      const first = yield* callJson("GET", "/v1/datasets", { token: bearer })
      expect(first.status).toBe(503)
      expect(first.headers["retry-after"]).toBe("3")
      expect(first.body).toMatchObject({ status: 503, statusReason: "Service Unavailable" })
      expect((yield* callJson("GET", "/v1/datasets", { token: bearer })).status).toBe(503)
      expect((yield* callJson("GET", "/v1/datasets", { token: bearer })).status).toBe(200)
    }))

  it.effect("429, Domo's rate-limit 403, 502 and 503 HTML pages over the admin route", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const script = (fault: unknown) =>
        admin("POST", "/__emulator/faults/scripts", { path: "/v1/datasets/**", times: 1, fault })
      expect((yield* script({ _tag: "Status", status: 429, retryAfter: "1" })).status).toBe(204)
      const limited = yield* callJson("GET", "/v1/datasets/x", { token: bearer })
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("1")
      yield* script({ _tag: "RateLimited" })
      const rate = yield* callJson("GET", "/v1/datasets/x", { token: bearer })
      expect(rate.status).toBe(403)
      expect(rate.body).toMatchObject({ status: 403, message: "API Rate limit reached" })
      yield* script({ _tag: "Maintenance" })
      const gateway = yield* call("GET", "/v1/datasets/x", { token: bearer })
      expect(gateway.status).toBe(502)
      expect(gateway.headers["content-type"]).toContain("text/html")
      expect(yield* gateway.text).toContain("502 Bad Gateway")
      yield* script({ _tag: "Maintenance", status: 503, retryAfter: 5 })
      const maintenance = yield* call("GET", "/v1/datasets/x", { token: bearer })
      expect(maintenance.status).toBe(503)
      expect(yield* maintenance.text).toContain("maintenance")
    }))

  it.effect("a dropped connection fails the client mid-response; the next call works", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const emulator = yield* Emulator
      yield* emulator.faults.script({ path: "/v1/datasets", times: 1, fault: { _tag: "Drop" } })
      const dropped = yield* Effect.exit(
        Effect.flatMap(call("GET", "/v1/datasets", { token: bearer }), (response) => response.text)
      )
      expect(Exit.isFailure(dropped)).toBe(true)
      expect((yield* callJson("GET", "/v1/datasets", { token: bearer })).status).toBe(200)
    }))

  it.effect("latency delays, then answers normally; the token endpoint can be scripted too", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* emulator.faults.script({ path: "/oauth/token", times: 1, fault: { _tag: "Latency", ms: 50 } })
      const bearer = yield* token()
      expect(bearer.split(".")).toHaveLength(3)
      yield* emulator.faults.script({ path: "/oauth/token", times: 1, fault: { _tag: "Status", status: 503 } })
      const refused = yield* Effect.exit(token())
      expect(Exit.isSuccess(refused) && refused.value === undefined).toBe(true)
      const state = yield* admin("GET", "/__emulator/faults")
      expect(state.body).toMatchObject({ scripts: [] })
    }))

  it.effect("random faults hit some calls and spare others", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const emulator = yield* Emulator
      yield* emulator.faults.set({ random: { probability: 0.5, fault: { _tag: "Status", status: 500 } } })
      const statuses: Array<number> = []
      for (let i = 0; i < 16; i++) statuses.push((yield* call("GET", "/v1/datasets", { token: bearer })).status)
      yield* emulator.faults.clear
      expect(statuses).toContain(500)
      expect(statuses).toContain(200)
      expect((yield* call("GET", "/v1/datasets", { token: bearer })).status).toBe(200)
    }))

  it.effect("the request log counts token requests, routes and tokens, over HTTP too", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* emulator.requestLog.reset
      const a = yield* token()
      const b = yield* token()
      yield* call("GET", "/v1/datasets", { token: a })
      yield* call("GET", "/v1/datasets/abc", { token: a })
      yield* call("GET", "/v1/datasets/6bd1d8e6-8b67-4f56-9d0a-8b1b2a1d5e01", { token: b })
      const counters = yield* emulator.requestLog.counters
      expect(counters.tokenRequests).toBe(2)
      expect(counters.perRoute["GET /v1/datasets"]).toBe(1)
      expect(counters.perRoute["GET /v1/datasets/:id"]).toBe(1)
      expect(counters.perToken[RequestLog.fingerprint(a)]).toBe(2)
      const entries = yield* emulator.requestLog.entries
      expect(entries.filter((e) => RequestLog.tokenValue(e) === b)).toHaveLength(1)
      const over = yield* admin("GET", "/__emulator/requests")
      const body = over.body as { counters: { tokenRequests: number }; entries: Array<Record<string, unknown>> }
      expect(body.counters.tokenRequests).toBe(2)
      expect(JSON.stringify(body)).not.toContain(a)
      expect(body.entries.at(-1)).toMatchObject({
        method: "GET",
        status: 404,
        tokenFingerprint: RequestLog.fingerprint(b)
      })
      expect((yield* admin("DELETE", "/__emulator/requests")).status).toBe(204)
      expect((yield* emulator.requestLog.counters).total).toBe(0)
    }))

  it.effect("admin: register a client, revoke and expire tokens, short token lifetimes", () =>
    Effect.gen(function*() {
      const registered = yield* admin("POST", "/__emulator/clients", {
        clientId: "ci",
        clientSecret: "cs",
        scopes: ["data"]
      })
      expect(registered.status).toBe(204)
      const clients = yield* admin("GET", "/__emulator/clients")
      expect(JSON.stringify(clients.body)).not.toContain("\"cs\"")
      const bearer = yield* token()
      const revoked = yield* admin("POST", "/__emulator/tokens/revoke", { token: bearer })
      expect(revoked.body).toEqual({ revoked: 1 })
      expect((yield* call("GET", "/v1/datasets", { token: bearer })).status).toBe(401)
      yield* admin("PUT", "/__emulator/faults", { tokenLifetimeSeconds: 5 })
      const emulator = yield* Emulator
      const client = yield* HttpClient.HttpClient
      const res = yield* client.execute(
        HttpClientRequest.get(`${emulator.url}/oauth/token?grant_type=client_credentials`).pipe(
          HttpClientRequest.basicAuth("ci", "cs")
        )
      )
      expect(yield* res.json).toMatchObject({ expires_in: 5, scope: "data" })
      const fresh = yield* token()
      expect((yield* admin("POST", "/__emulator/tokens/expire", {})).status).toBe(200)
      expect((yield* call("GET", "/v1/datasets", { token: fresh })).status).toBe(401)
      const badSettings = yield* admin("PUT", "/__emulator/faults", { latencyMs: "slow" })
      expect(badSettings.status).toBe(400)
    }))

  it.effect("an oversized body is a 413", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const res = yield* callJson("PUT", "/v1/datasets/x/data", { token: bearer, text: "x".repeat(2048) })
      expect(res.status).toBe(413)
      expect(res.body).toMatchObject({ status: 413 })
    }))
})
