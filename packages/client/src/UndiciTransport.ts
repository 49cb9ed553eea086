/**
 * A lean `HttpClient` over undici's `request()`: the transport `DomoNode.layer` uses. It does per
 * call only what a transport must (URL, headers, body, abort on interruption) and wraps undici's
 * answer in a small `HttpClientResponse`. The platform's own span and trace headers are still
 * produced when the tracer is on for a request (the call then goes through `HttpClient.make`);
 * when the caller turned them off, as `DomoHttpClient` does, the call skips that machinery.
 * Needs undici (re-exported by the optional peer `@effect/platform-node`, so the same undici
 * `NodeHttpClient.layerUndici` uses).
 *
 * @since 0.1.0
 */
import type * as Undici from "@effect/platform-node/Undici"
import { Agent } from "@effect/platform-node/Undici"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { EventEmitter } from "node:events"
import { Readable } from "node:stream"
import { UndiciResponse } from "./internal/undiciResponse.js"
import { withLean } from "./internal/untraced.js"

/**
 * The cheapest abort signal undici accepts (an `EventEmitter` with `aborted`): an
 * `AbortController` per call costs more than the rest of the transport's own work.
 */
class Abort extends EventEmitter {
  aborted = false
  reason: unknown = undefined
  abort(): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = new Error("request interrupted")
    this.emit("abort")
  }
}

type Signal = Abort | AbortSignal

const toUrl = (request: HttpClientRequest.HttpClientRequest): URL | HttpClientError.RequestError => {
  if (request.urlParams.length === 0 && Option.isNone(request.hash)) {
    try {
      return new URL(request.url)
    } catch (cause) {
      return new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause })
    }
  }
  const result = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  return result._tag === "Right"
    ? result.right
    : new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: result.left })
}

type UndiciBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: Signal,
  body: UndiciBody
): Effect.Effect<UndiciResponse, HttpClientError.RequestError> =>
  Effect.async<UndiciResponse, HttpClientError.RequestError>((resume) => {
    dispatcher.request(
      {
        // undici accepts an EventEmitter with `aborted` as well as an AbortSignal
        signal: signal as AbortSignal,
        method: request.method as Undici.Dispatcher.HttpMethod,
        headers: request.headers,
        origin: url.origin,
        path: url.pathname + url.search + url.hash,
        body,
        // timeouts are the caller's (Effect.timeout, DomoConfig.retry.requestTimeout)
        headersTimeout: 60 * 60 * 1000,
        bodyTimeout: 0
      },
      (error, data) => {
        if (error !== null) {
          resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: error })))
        } else {
          resume(Effect.succeed(new UndiciResponse(request, data)))
        }
      }
    )
    return Effect.sync(() => {
      if (signal instanceof Abort) signal.abort()
    })
  })

const bodyOf = (body: HttpBody.HttpBody): UndiciBody | Effect.Effect<UndiciBody> => {
  switch (body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return body.body
    case "Raw":
      return body.body as UndiciBody
    case "FormData":
      return body.formData as unknown as UndiciBody
    case "Stream":
      // sent chunked as it is pulled; a failing stream fails the request (RequestError "Transport")
      return Effect.map(
        Stream.toAsyncIterableEffect(body.stream),
        (iterable) => Readable.from(iterable, { objectMode: false })
      )
  }
}

const isEffect = (u: UndiciBody | Effect.Effect<UndiciBody>): u is Effect.Effect<UndiciBody> => Effect.isEffect(u)

const run = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: Signal
): Effect.Effect<UndiciResponse, HttpClientError.RequestError> => {
  const body = bodyOf(request.body)
  return isEffect(body)
    ? Effect.flatMap(body, (iterable) => send(dispatcher, request, url, signal, iterable))
    : send(dispatcher, request, url, signal, body)
}

/**
 * An `HttpClient` over `dispatcher` (an undici `Agent`, `Pool`, `Client`, `MockAgent`…).
 * Interrupting a call aborts it (the socket of an unfinished exchange is closed); interrupting
 * the read of a body destroys the body. Transport failures are `RequestError` ("Transport"),
 * body failures `ResponseError` ("Decode").
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  // with the tracer on: the platform's path (span, trace headers, its AbortController)
  const preprocess: HttpClient.HttpClient.Preprocess<never, never> = Effect.succeed
  const traced = HttpClient.make((request, url, signal) => run(dispatcher, request, url, signal))
  const lean = (request: HttpClientRequest.HttpClientRequest) => {
    const url = toUrl(request)
    return url instanceof HttpClientError.RequestError
      ? Effect.fail(url)
      : run(dispatcher, request, url, new Abort())
  }
  const client = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (requestEffect) =>
      Effect.flatMap(
        requestEffect,
        (request) =>
          Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) =>
            fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
              !fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
              ? traced.execute(request)
              : lean(request)
          )
      ),
    preprocess
  )
  // for callers that never want the platform's span (DomoHttpClient): no FiberRef to set per call
  return withLean(client, {
    client: HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (requestEffect) => Effect.flatMap(requestEffect, lean),
      preprocess
    ),
    send: (request, url) =>
      request.urlParams.length === 0 && Option.isNone(request.hash)
        ? run(dispatcher, request, url, new Abort())
        : lean(request)
  })
}

/**
 * An undici `Agent` (keep-alive pool) for the scope, destroyed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeAgent = (options?: Undici.Agent.Options): Effect.Effect<Undici.Agent, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => new Agent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * The transport as a layer: its own undici `Agent` for the layer's lifetime.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(makeAgent(), make)
)

/**
 * The transport over a dispatcher you own (its lifetime is yours).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDispatcher = (dispatcher: Undici.Dispatcher): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(HttpClient.HttpClient, make(dispatcher))
