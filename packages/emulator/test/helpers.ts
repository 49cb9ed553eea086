import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Emulator } from "../src/Emulator.js"
import * as EmulatorModule from "../src/Emulator.js"

/** An emulator plus a plain undici HttpClient. */
export const testLayer = (options?: EmulatorModule.EmulatorOptions) =>
  Layer.merge(EmulatorModule.layer(options), NodeHttpClient.layerUndici)

/** A token for the demo client (all scopes unless `scope` is given). */
export const token = (scope?: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    const url = new URL("/oauth/token", emulator.url)
    url.searchParams.set("grant_type", "client_credentials")
    if (scope !== undefined) url.searchParams.set("scope", scope)
    const response = yield* client.execute(
      HttpClientRequest.get(url.toString()).pipe(
        HttpClientRequest.basicAuth(emulator.clientId, Redacted.value(emulator.clientSecret))
      )
    )
    const body = (yield* response.json) as { access_token: string }
    return body.access_token
  })

/** Send a request with a bearer token to a path of the emulator. */
export const call = (
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: {
    readonly token?: string | undefined
    readonly json?: unknown
    readonly text?: string | undefined
    readonly contentType?: string | undefined
    readonly accept?: string | undefined
  } = {}
): Effect.Effect<HttpClientResponse.HttpClientResponse, unknown, Emulator | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    const bearer = options.token ?? (yield* token())
    let request = HttpClientRequest.make(method)(new URL(path, emulator.url).toString()).pipe(
      HttpClientRequest.setHeader("authorization", `bearer ${bearer}`)
    )
    if (options.accept !== undefined) request = HttpClientRequest.setHeader(request, "accept", options.accept)
    if (options.json !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, options.json)
    if (options.text !== undefined) {
      request = HttpClientRequest.bodyText(request, options.text, options.contentType ?? "text/csv")
    }
    return yield* client.execute(request)
  })

/** Call and read the JSON body with the status. */
export const callJson = (...args: Parameters<typeof call>) =>
  Effect.flatMap(call(...args), (response) =>
    Effect.map(
      Effect.orElseSucceed(response.json, () => undefined),
      (body: unknown) => ({ status: response.status, headers: response.headers, body })
    ))
