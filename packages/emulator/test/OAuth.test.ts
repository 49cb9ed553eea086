import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { Emulator } from "../src/Emulator.js"
import { call, testLayer } from "./helpers.js"

const tokenRequest = (
  build: (url: string, id: string, secret: string) => HttpClientRequest.HttpClientRequest
) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(
      build(`${emulator.url}/oauth/token`, emulator.clientId, Redacted.value(emulator.clientSecret))
    )
    return {
      status: response.status,
      headers: response.headers,
      body: (yield* response.json) as Record<string, unknown>
    }
  })

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"))

layer(testLayer({ tokenLifetimeSeconds: 600, customer: "acme" }))("OAuth", (it) => {
  it.effect("GET with query and Basic auth answers Domo's fields", () =>
    Effect.gen(function*() {
      const res = yield* tokenRequest((url, id, secret) =>
        HttpClientRequest.get(`${url}?grant_type=client_credentials&scope=data%20user`).pipe(
          HttpClientRequest.basicAuth(id, secret)
        )
      )
      expect(res.status).toBe(200)
      expect(res.headers["cache-control"]).toBe("no-store")
      expect(Object.keys(res.body).sort()).toEqual(
        ["access_token", "customer", "expires_in", "jti", "role", "scope", "token_type", "userId"]
      )
      expect(res.body).toMatchObject({
        customer: "acme",
        expires_in: 600,
        role: "Admin",
        scope: "data user",
        token_type: "bearer"
      })
      expect(typeof res.body.userId).toBe("number")
      const claims = decodeJwt(res.body.access_token as string)
      expect(claims.jti).toBe(res.body.jti)
      expect(claims.exp - claims.iat).toBe(600)
    }))

  it.effect("POST with a form body; no scope means every scope of the client", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const res = yield* tokenRequest((url, id, secret) =>
        HttpClientRequest.post(url).pipe(
          HttpClientRequest.basicAuth(id, secret),
          HttpClientRequest.bodyUrlParams({ grant_type: "client_credentials" })
        )
      )
      expect(res.status).toBe(200)
      expect(String(res.body.scope).split(" ").sort()).toEqual([...emulator.scopes].sort())
    }))

  it.effect("POST with query parameters (pydomo < 0.3.0.11, httpie)", () =>
    Effect.gen(function*() {
      const res = yield* tokenRequest((url, id, secret) =>
        HttpClientRequest.post(`${url}?grant_type=client_credentials&scope=data`).pipe(
          HttpClientRequest.basicAuth(id, secret)
        )
      )
      expect(res.status).toBe(200)
      expect(res.body.scope).toBe("data")
    }))

  it.effect("bad secret is a 401 with status and message; unknown scope a 400", () =>
    Effect.gen(function*() {
      const bad = yield* tokenRequest((url, id) =>
        HttpClientRequest.get(`${url}?grant_type=client_credentials`).pipe(HttpClientRequest.basicAuth(id, "nope"))
      )
      expect(bad.status).toBe(401)
      expect(bad.body).toMatchObject({ status: 401, message: "Bad credentials" })
      const missing = yield* tokenRequest((url) => HttpClientRequest.get(`${url}?grant_type=client_credentials`))
      expect(missing.status).toBe(401)
      const scope = yield* tokenRequest((url, id, secret) =>
        HttpClientRequest.get(`${url}?grant_type=client_credentials&scope=data%20nosuch`).pipe(
          HttpClientRequest.basicAuth(id, secret)
        )
      )
      expect(scope.status).toBe(400)
      expect(scope.body).toMatchObject({ status: 400, error: "invalid_scope" })
    }))

  it.effect("a scope the client lacks is refused", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* emulator.registerClient({
        clientId: "limited",
        clientSecret: "limited-secret",
        scopes: ["data"],
        userId: 7,
        userName: "Limited",
        role: "Participant",
        customer: "acme"
      })
      const client = yield* HttpClient.HttpClient
      const res = yield* client.execute(
        HttpClientRequest.get(`${emulator.url}/oauth/token?grant_type=client_credentials&scope=user`).pipe(
          HttpClientRequest.basicAuth("limited", "limited-secret")
        )
      )
      expect(res.status).toBe(400)
      const ok = yield* client.execute(
        HttpClientRequest.get(`${emulator.url}/oauth/token?grant_type=client_credentials`).pipe(
          HttpClientRequest.basicAuth("limited", "limited-secret")
        )
      )
      expect(((yield* ok.json) as { scope: string }).scope).toBe("data")
    }))

  it.effect("missing, malformed, revoked and expired tokens are 401; CSV asks get the 406 page", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const client = yield* HttpClient.HttpClient
      const none = yield* client.execute(HttpClientRequest.get(`${emulator.url}/v1/datasets`))
      expect(none.status).toBe(401)
      expect(yield* none.json).toMatchObject({ status: 401, path: "/v1/datasets" })
      const malformed = yield* call("GET", "/v1/datasets", { token: "abc" })
      expect(malformed.status).toBe(401)
      expect(yield* malformed.json).toMatchObject({ error: "invalid_token" })
      const csv = yield* call("GET", "/v1/datasets/x/data", { token: "abc", accept: "text/csv" })
      expect(csv.status).toBe(406)
      expect(yield* csv.text).toContain("UnauthorizedException")
      const revokedToken = (yield* tokenRequest((url, id, secret) =>
        HttpClientRequest.get(`${url}?grant_type=client_credentials`).pipe(HttpClientRequest.basicAuth(id, secret))
      )).body.access_token as string
      expect(yield* emulator.revokeTokens({ token: revokedToken })).toBe(1)
      expect((yield* call("GET", "/v1/datasets", { token: revokedToken })).status).toBe(401)
      const expiring = (yield* tokenRequest((url, id, secret) =>
        HttpClientRequest.get(`${url}?grant_type=client_credentials`).pipe(HttpClientRequest.basicAuth(id, secret))
      )).body.access_token as string
      yield* emulator.expireTokens()
      expect((yield* call("GET", "/v1/datasets", { token: expiring })).status).toBe(401)
    }))
})
