import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import * as DomoNode from "../src/DomoNode.js"
import { driveUntilDone } from "./utils/helpers.js"
import * as LeakScanner from "./utils/LeakScanner.js"
import { installLeakScanner, record } from "./utils/LeakScanner.js"
import { setup } from "./utils/setup.js"
import * as TestDomoServer from "./utils/TestDomoServer.js"
import { errorReply } from "./utils/TestDomoServer.js"

installLeakScanner()

const Ok = Schema.Struct({ ok: Schema.Boolean, path: Schema.String })

describe("DomoHttpClient basic path", () => {
  it.scoped("fetches a token with Basic auth (curl -u encoding, D3) and sends it as bearer", () =>
    Effect.gen(function*() {
      const { client, state } = yield* setup({ clientSecret: "s3:cr+t/é=", scopes: ["data", "user"] })
      const body = yield* client.get("/v1/datasets").pipe(Effect.flatMap(DomoHttpClient.schemaBodyJson(Ok)))
      expect(body).toEqual({ ok: true, path: "/v1/datasets" })
      expect(state.tokenCalls).toHaveLength(1)
      const call = state.tokenCalls[0]!
      expect(call.method).toBe("GET")
      expect(call.authorization).toBe(
        `Basic ${Buffer.from(`${state.clientId}:s3:cr+t/é=`, "utf8").toString("base64")}`
      )
      expect(new URLSearchParams(call.query).get("grant_type")).toBe("client_credentials")
      expect(new URLSearchParams(call.query).get("scope")).toBe("data user")
      expect(state.apiCalls[0]!.authorization).toBe(`Bearer ${state.issued[0]}`)
      // trace propagation is off toward Domo
      expect(state.apiCalls[0]!.headers.traceparent).toBeUndefined()
      expect(state.apiCalls[0]!.headers.b3).toBeUndefined()
    }))

  it.scoped("maps statuses and Domo error bodies to typed errors with safe fields", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup({ retry: { maxRetries: 0 } })
      const cases: Array<[number, string, string]> = [
        [400, "Bad Request", "BadRequestError"],
        [403, "Forbidden", "ForbiddenError"],
        [404, "Not Found", "NotFoundError"],
        [409, "Conflict", "ConflictError"],
        [422, "Unprocessable", "BadRequestError"],
        [500, "Internal Server Error", "ServerError"],
        [501, "Not Implemented", "ServerError"]
      ]
      for (const [status, reason, tag] of cases) {
        server.script("/v1/x", errorReply(status, reason, `boom ${status}`))
        const error = yield* Effect.flip(client.get("/v1/x?secret=shh"))
        record(error)
        expect(error._tag).toBe(tag)
        expect(error).toMatchObject({ method: "GET", path: "/v1/x", status, toe: "ABCDEFGHIJ-KLMNO-PQRST" })
        expect(error.message).toContain(`boom ${status}`)
        expect(error.message).not.toContain("shh")
      }
    }))

  it.scoped("an unparsable URL is a BadRequestError, nothing is sent", () =>
    Effect.gen(function*() {
      const { client, state } = yield* setup()
      const error = yield* Effect.flip(client.get("http://[not-a-host"))
      record(error)
      expect(error).toMatchObject({ _tag: "BadRequestError", path: "(invalid url)" })
      expect(state.apiCalls).toHaveLength(0)
      expect(state.tokenCalls).toHaveLength(0)
    }))

  it.scoped("DecodeError names the path in the body", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup()
      server.script("/v1/y", { status: 200, body: { ok: "yes", path: "/v1/y" } })
      const error = yield* Effect.flip(client.get("/v1/y").pipe(Effect.flatMap(DomoHttpClient.schemaBodyJson(Ok))))
      record(error)
      expect(error._tag).toBe("DecodeError")
      expect(error).toMatchObject({ method: "GET", path: "/v1/y", at: "ok" })
    }))

  it.scoped("schemaBodyJson also decodes with schemas that need async work or a service", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup()
      server.script("/v1/z", { status: 200, body: { ok: true, path: "/v1/z" } })
      class Suffix extends Context.Tag("test/Suffix")<Suffix, string>() {}
      const Async = Schema.transformOrFail(Schema.String, Schema.String, {
        strict: true,
        decode: (path) =>
          Effect.promise(() => new Promise<string>((resolve) => setImmediate(() => resolve(path.toUpperCase())))),
        encode: (path) => Effect.succeed(path)
      })
      const WithService = Schema.transformOrFail(Schema.String, Schema.String, {
        strict: true,
        decode: (path) => Effect.map(Suffix, (suffix) => path + suffix),
        encode: (path) => Effect.succeed(path)
      })
      const viaAsync = DomoHttpClient.schemaBodyJson(Schema.Struct({ ok: Schema.Boolean, path: Async }))
      const viaService = DomoHttpClient.schemaBodyJson(Schema.Struct({ ok: Schema.Boolean, path: WithService }))
      for (let i = 0; i < 2; i++) {
        expect(yield* client.get("/v1/z").pipe(Effect.flatMap(viaAsync))).toEqual({ ok: true, path: "/V1/Z" })
        expect(yield* client.get("/v1/z").pipe(Effect.flatMap(viaService), Effect.provideService(Suffix, "!")))
          .toEqual({ ok: true, path: "/v1/z!" })
      }
      // and a bad body is still a DecodeError naming where
      server.script("/v1/z", { status: 200, body: { ok: true, path: 7 } })
      const error = yield* Effect.flip(client.get("/v1/z").pipe(Effect.flatMap(viaAsync)))
      expect(error).toMatchObject({ _tag: "DecodeError", at: "path" })
    }))

  it.scoped("absolute URLs to another origin never get the bearer token (B5)", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup()
      const other = yield* setup()
      yield* client.get("/v1/warm")
      yield* Effect.flip(client.execute(HttpClientRequest.get(`${other.server.url}/v1/elsewhere`)))
      expect(other.state.apiCalls[0]!.authorization).toBeUndefined()
      expect(server.state.apiCalls).toHaveLength(1)
    }))
})

const bodyText = (response: HttpClientResponse.HttpClientResponse) => Effect.orDie(response.text)

describe("DomoHttpClient auth on the request path (B)", () => {
  it.scoped("B1: a 401 invalidates the sent token, renews once and replays once; callers see no error", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      yield* client.get("/v1/a")
      server.revokeAll()
      const response = yield* client.get("/v1/a")
      expect(response.status).toBe(200)
      expect(state.tokenCalls).toHaveLength(2)
      expect(state.apiCalls.map((c) => c.authorization)).toEqual([
        `Bearer ${state.issued[0]}`,
        `Bearer ${state.issued[0]}`,
        `Bearer ${state.issued[1]}`
      ])
    }))

  it.scoped("B1: a second 401 is a typed UnauthorizedError (one renewal, one replay)", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      const unauthorized = errorReply(401, "Internal Server Error", "Full authentication is required")
      server.script("/v1/locked", unauthorized, unauthorized, unauthorized)
      const error = yield* Effect.flip(client.get("/v1/locked"))
      record(error)
      expect(error).toMatchObject({ _tag: "UnauthorizedError", method: "GET", path: "/v1/locked", status: 401 })
      expect(state.apiCalls).toHaveLength(2)
      expect(state.tokenCalls).toHaveLength(2)
    }))

  it.scoped("B1: 300 concurrent 401s cause exactly one renewal; B2: the rejected token is never sent again", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      yield* client.get("/v1/a")
      server.revokeAll()
      const rejected = `Bearer ${state.issued[0]}`
      const exits = yield* Effect.all(Array.from({ length: 300 }, () => Effect.exit(client.get("/v1/a"))), {
        concurrency: "unbounded"
      })
      expect(exits.every(Exit.isSuccess)).toBe(true)
      expect(state.tokenCalls).toHaveLength(2)
      // each call sent the old token at most once (if it took it before the first 401 came back),
      // and every call succeeded exactly once, with the new token
      const withOld = state.apiCalls.filter((c) => c.authorization === rejected).length
      const withNew = state.apiCalls.filter((c) => c.authorization === `Bearer ${state.issued[1]}`).length
      expect(withNew).toBe(300)
      expect(withOld).toBe(1 + state.unauthorized)
      expect(state.apiCalls).toHaveLength(1 + 300 + state.unauthorized)
      for (let i = 0; i < 20; i++) yield* client.get("/v1/a")
      expect(state.apiCalls.slice(-20).every((c) => c.authorization !== rejected)).toBe(true)
    }))

  it.scoped("B3: a 403 never renews; Domo's rate-limit 403 is throttling (retried, then RateLimitedError)", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* setup({ retry: { maxRetries: 1 } })
      yield* auth.token // before the TestClock is driven (see DomoHttpClientRetry.test.ts)
      server.script("/v1/forbidden", errorReply(403, "Forbidden", "Forbidden"))
      const forbidden = yield* Effect.flip(client.get("/v1/forbidden"))
      record(forbidden)
      expect(forbidden._tag).toBe("ForbiddenError")
      expect(state.tokenCalls).toHaveLength(1)
      expect(state.apiCalls).toHaveLength(1)

      const rateLimit = errorReply(403, "Forbidden", "API Rate limit reached")
      server.script("/v1/busy", rateLimit)
      const fiber = yield* Effect.fork(client.get("/v1/busy"))
      const ok = yield* driveUntilDone(fiber)
      expect(Exit.isSuccess(ok)).toBe(true)
      server.script("/v1/busy", rateLimit, rateLimit)
      const limited = yield* driveUntilDone(yield* Effect.fork(Effect.flip(client.get("/v1/busy"))))
      record(limited)
      expect(Exit.isSuccess(limited) && limited.value._tag).toBe("RateLimitedError")
      expect(state.tokenCalls).toHaveLength(1)
    }))

  it.scoped("B3: a 406 HTML page on a CSV call is treated like a 401; on a JSON call it is not", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      const jetty: TestDomoServer.Reply = {
        status: 406,
        headers: { "content-type": "text/html;charset=iso-8859-1" },
        body: "<html><head><title>Error 406 Not Acceptable</title></head><body>UnauthorizedException</body></html>"
      }
      server.script("/v1/datasets/x/data", jetty)
      const csv = yield* client.execute(
        HttpClientRequest.get("/v1/datasets/x/data").pipe(HttpClientRequest.setHeader("accept", "text/csv"))
      )
      expect(csv.status).toBe(200)
      expect(state.tokenCalls).toHaveLength(2)
      server.script("/v1/json", jetty)
      const error = yield* Effect.flip(client.get("/v1/json"))
      record(error)
      expect(error).toMatchObject({ _tag: "BadRequestError", status: 406 })
      expect(state.tokenCalls).toHaveLength(2)
    }))

  it.scoped("B4: a one-shot stream body is never replayed; each part checks the token afresh", () =>
    Effect.gen(function*() {
      const { auth, client, server, state } = yield* setup()
      let pulls = 0
      const part = () =>
        Stream.fromEffect(Effect.sync(() => {
          pulls++
          return new TextEncoder().encode("a,b\n1,2\n")
        }))
      yield* client.put("/v1/streams/1/executions/1/part/1", { body: HttpBody.stream(part(), "text/csv") })
      server.revokeAll()
      const error = yield* Effect.flip(
        client.put("/v1/streams/1/executions/1/part/2", { body: HttpBody.stream(part(), "text/csv") })
      )
      record(error)
      expect(error._tag).toBe("UnauthorizedError")
      expect(pulls).toBe(2)
      expect(state.apiCalls).toHaveLength(2)
      // the rejected token is gone: the next part goes out with a new one
      expect(Option.isNone(yield* auth.current)).toBe(true)
      yield* client.put("/v1/streams/1/executions/1/part/2", { body: HttpBody.stream(part(), "text/csv") })
      expect(state.apiCalls.at(-1)!.authorization).toBe(`Bearer ${state.issued[1]}`)
      expect(state.apiCalls.at(-1)!.body).toBe("a,b\n1,2\n")
      // a 503 on a one-shot body is not retried either
      server.script("/v1/streams/1/executions/1/part/3", errorReply(503, "Service Unavailable", "busy"))
      const busy = yield* Effect.flip(
        client.put("/v1/streams/1/executions/1/part/3", { body: HttpBody.stream(part(), "text/csv") })
      )
      record(busy)
      expect(busy._tag).toBe("ServerError")
      // declared replayable: retried
      server.script("/v1/streams/1/executions/1/part/3", errorReply(503, "Service Unavailable", "busy"))
      const retried = yield* Effect.fork(
        client.put("/v1/streams/1/executions/1/part/3", { body: HttpBody.stream(part(), "text/csv") }).pipe(
          DomoHttpClient.withRequestOptions({ replayableBody: true })
        )
      )
      expect(Exit.isSuccess(yield* driveUntilDone(retried))).toBe(true)
    }))

  it.scoped("B5: the bearer follows a same-origin redirect, never a cross-origin one", () =>
    Effect.gen(function*() {
      const { client, server, state } = yield* setup()
      const other = yield* setup()
      server.script("/v1/here", { status: 302, headers: { location: "/v1/there?page=2" } })
      server.script("/v1/away", { status: 307, headers: { location: `${other.server.url}/v1/elsewhere` } })
      const here = yield* client.get("/v1/here", { urlParams: { page: 1 } })
      expect(yield* bodyText(here)).toContain("/v1/there")
      expect(state.apiCalls.at(-1)).toMatchObject({
        path: "/v1/there",
        query: "?page=2",
        authorization: `Bearer ${state.issued[0]}`
      })
      const away = yield* Effect.exit(client.get("/v1/away"))
      record(away)
      expect(other.state.apiCalls).toHaveLength(1)
      expect(other.state.apiCalls[0]!.authorization).toBeUndefined()
    }))
})

describe("DomoNode.layer", () => {
  it.scoped("reads DOMO_* from the ConfigProvider and calls over undici", () =>
    Effect.gen(function*() {
      yield* LeakScanner.observe
      const server = yield* TestDomoServer.make()
      const env = new Map([
        ["DOMO_CLIENT_ID", server.state.clientId],
        ["DOMO_CLIENT_SECRET", server.state.clientSecret],
        ["DOMO_API_HOST", server.url],
        ["DOMO_SCOPES", "data,user"]
      ])
      const context = yield* Layer.build(DomoNode.layer).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(env))
      )
      const client = Context.get(context, DomoHttpClient.DomoHttpClient)
      const body = yield* client.get("/v1/datasets").pipe(Effect.flatMap(DomoHttpClient.schemaBodyJson(Ok)))
      expect(body.path).toBe("/v1/datasets")
      expect(new URLSearchParams(server.state.tokenCalls[0]!.query).get("scope")).toBe("data user")
    }))
})
