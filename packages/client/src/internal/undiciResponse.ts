/**
 * The `HttpClientResponse` of `UndiciTransport`: a thin view of undici's `ResponseData`. Headers
 * are converted once and only when read; each body accessor starts its read once (a second
 * `text` gets the same text); interrupting a read destroys the body.
 *
 * @internal
 */
import type * as Undici from "@effect/platform-node/Undici"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

type Body = Undici.Dispatcher.ResponseData["body"]

// an answer nobody reads would hold its connection: free it once the response is unreachable
const unread = new FinalizationRegistry<Body>((body) => {
  if (!body.destroyed) body.destroy()
})

const noop = (): void => {}

/** @internal */
export class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  private readonly body: Body
  private readonly rawHeaders: Undici.Dispatcher.ResponseData["headers"]
  private cachedHeaders: Headers.Headers | undefined = undefined
  private cachedCookies: Cookies.Cookies | undefined = undefined
  private textPromise: Promise<string> | undefined = undefined
  private bufferPromise: Promise<ArrayBuffer> | undefined = undefined
  private formPromise: Promise<FormData> | undefined = undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, source: Undici.Dispatcher.ResponseData) {
    super()
    this.status = source.statusCode
    this.body = source.body
    this.rawHeaders = source.headers
    // a late socket error after nobody listens must not crash the process
    source.body.on("error", noop)
    unread.register(this, source.body)
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.rawHeaders)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.rawHeaders["set-cookie"]
    return this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  private read<A>(start: () => Promise<A>): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      start().then(
        (value) => resume(Effect.succeed(value)),
        (cause: unknown) => resume(Effect.fail(this.decodeError(cause)))
      )
      return Effect.sync(() => {
        if (!this.body.destroyed) this.body.destroy()
      })
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.read(() => this.textPromise ??= this.body.text())
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      try {
        return Effect.succeed(text === "" ? null : JSON.parse(text) as unknown)
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.read(() => this.bufferPromise ??= this.body.arrayBuffer())
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return this.read(() => this.formPromise ??= this.body.formData() as Promise<FormData>)
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      try {
        return Effect.succeed(UrlParams.fromInput(new URLSearchParams(text)))
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    // ending the stream early (take, interruption, failure) destroys the body (iterator.return)
    return Stream.fromAsyncIterable<Uint8Array, HttpClientError.ResponseError>(
      this.body,
      (cause) => this.decodeError(cause)
    )
  }

  toJSON(): unknown {
    // unlike the platform's inspect, never starts reading the body (inspecting must not consume it)
    return {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
  }
}
