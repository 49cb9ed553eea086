/**
 * A transport may carry a lean variant of itself that never makes the platform's span nor adds
 * trace headers, and can send a request whose URL its caller already parsed. `DomoHttpClient`
 * turns the platform's span off anyway (it makes its own), so with such a transport it calls the
 * variant directly: no `currentTracerDisabledWhen` to set and no second URL parse per call.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Effect from "effect/Effect"

/** @internal */
export const UntracedTypeId: unique symbol = Symbol.for("@effect-domo/client/UndiciTransport/untraced")

/** @internal */
export interface Lean {
  /** the transport as an `HttpClient` that never traces */
  readonly client: HttpClient.HttpClient
  /** sends `request` to `url`, `request.url` already parsed (urlParams and hash still apply) */
  readonly send: (
    request: HttpClientRequest.HttpClientRequest,
    url: URL
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
}

/** @internal */
export interface WithLean {
  readonly [UntracedTypeId]: Lean
}

/** @internal */
export const leanOf = (client: HttpClient.HttpClient): Lean | undefined =>
  UntracedTypeId in client ? (client as HttpClient.HttpClient & WithLean)[UntracedTypeId] : undefined

/** @internal */
export const withLean = (client: HttpClient.HttpClient, lean: Lean): HttpClient.HttpClient =>
  Object.assign(client, { [UntracedTypeId]: lean })
