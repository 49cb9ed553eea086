import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import { installLeakScanner, record } from "./utils/LeakScanner.js"
import { setup } from "./utils/setup.js"
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

  it.scoped("DecodeError names the path in the body", () =>
    Effect.gen(function*() {
      const { client, server } = yield* setup()
      server.script("/v1/y", { status: 200, body: { ok: "yes", path: "/v1/y" } })
      const error = yield* Effect.flip(client.get("/v1/y").pipe(Effect.flatMap(DomoHttpClient.schemaBodyJson(Ok))))
      record(error)
      expect(error._tag).toBe("DecodeError")
      expect(error).toMatchObject({ method: "GET", path: "/v1/y", at: "ok" })
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
