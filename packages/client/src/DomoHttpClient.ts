/**
 * The authenticated transport to Domo's API: an `HttpClient` that prefixes `apiHost`, sets the
 * bearer token on every attempt, replays once after a 401, maps every non-2xx answer to a typed
 * error, and retries what is safe to retry (Retry-After honoured and capped, full-jitter
 * backoff, a retry budget, non-idempotent calls not blindly replayed). Services call any endpoint
 * by relative path: `client.get("/v1/datasets")`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { constTrue } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import type { AccessToken } from "./AccessToken.js"
import { DomoAuth } from "./DomoAuth.js"
import { DomoConfig } from "./DomoConfig.js"
import type * as DomoConfigModule from "./DomoConfig.js"
import * as DomoError from "./DomoError.js"
import * as BodyDecode from "./internal/bodyDecode.js"
import { withCallSpan } from "./internal/callSpan.js"
import * as Classify from "./internal/classify.js"
import * as Deadline from "./internal/deadline.js"
import { parseRetryAfter } from "./internal/retryAfter.js"
import { leanOf } from "./internal/untraced.js"

/**
 * An `HttpClient` whose `execute` resolves only 2xx responses and fails with the Domo errors.
 *
 * @since 0.1.0
 * @category tags
 */
export class DomoHttpClient extends Context.Tag("@effect-domo/client/DomoHttpClient")<
  DomoHttpClient,
  HttpClient.HttpClient.With<DomoError.DomoError>
>() {}

/**
 * Per-call options, set around a call with `withRequestOptions`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /**
   * Whether replaying the call is harmless. Default: true for GET, HEAD, PUT, DELETE, OPTIONS;
   * false for POST and PATCH. A non-idempotent call is retried only when the request provably
   * never reached the server (connection refused) or the server explicitly refused it (429, 503,
   * Domo's rate-limit 403).
   */
  readonly idempotent?: boolean | undefined
  /** timeout of this call, retries included (default `DomoConfig.retry.requestTimeout`) */
  readonly timeout?: Duration.DurationInput | undefined
  /** `false` disables retries of this call (the single 401 replay still happens) */
  readonly retry?: boolean | undefined
  /**
   * A `Stream` body is treated as one-shot and never replayed (no retry, no 401 replay). Set
   * `true` when the stream can be pulled again from the start (e.g. built from a buffer).
   */
  readonly replayableBody?: boolean | undefined
}

const currentRequestOptions = globalValue(
  "@effect-domo/client/DomoHttpClient/currentRequestOptions",
  () => FiberRef.unsafeMake<RequestOptions>({})
)

/**
 * Runs a call with per-call options: `client.post(...).pipe(DomoHttpClient.withRequestOptions({ idempotent: false }))`.
 *
 * @since 0.1.0
 * @category options
 */
export const withRequestOptions =
  (options: RequestOptions) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, currentRequestOptions, (current) => ({ ...current, ...options }))

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
const MAX_REDIRECTS = 5

/**
 * A process-wide retry budget (one per client): every call earns `ratio` of a retry, every retry
 * spends one, the bucket holds at most `capacity`. When most calls fail, retries stop
 * amplifying the load (C3).
 *
 * @internal
 */
const makeBudget = (policy: DomoConfigModule.RetryPolicy) => {
  const capacity = policy.budgetMinRetries
  let tokens = capacity
  return {
    deposit: () => {
      tokens = Math.min(capacity, tokens + policy.budgetRatio)
    },
    withdraw: (): boolean => {
      if (tokens < 1) return false
      tokens -= 1
      return true
    }
  }
}

/** An attempt already made (with `token`) and its outcome. */
interface FirstAttempt {
  readonly token: AccessToken
  readonly result: Either.Either<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
}

const isAbsolute = (url: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(url)

/**
 * Once an attempt is over, the request object that carried the bearer token is referenced by the
 * platform's response and errors: remove the header from it so no later `JSON.stringify`,
 * `util.inspect` or error can show the token (D1). The transport has already sent it.
 */
const scrubAuthorization = (request: HttpClientRequest.HttpClientRequest): void => {
  Reflect.deleteProperty(request.headers, "authorization")
}

/**
 * Builds the client from its parts.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly config: DomoConfigModule.Values
  readonly auth: DomoAuth.Service
  readonly http: HttpClient.HttpClient
}): HttpClient.HttpClient.With<DomoError.DomoError> => {
  const { auth, config } = options
  const policy = config.retry
  const apiHost = config.apiHost
  // our own span replaces the platform's; with the platform's span off, no trace headers go to
  // Domo either (they are only added from that span)
  const lean = leanOf(options.http)
  const http = lean?.client ?? options.http.pipe(HttpClient.withTracerDisabledWhen(constTrue))
  const budget = makeBudget(policy)
  const base = Duration.toMillis(policy.backoffBase)
  const cap = Duration.toMillis(policy.backoffCap)
  const maxRetryAfter = Duration.toMillis(policy.maxRetryAfter)
  const defaultTimeout = Duration.decode(policy.requestTimeout)

  /**
   * The attempt loop. `first` is an attempt the fast path (below) already made to apiHost with
   * `token`, whose answer was not a 2xx: the loop classifies it as if it had made it itself.
   */
  const loop = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    callOptions: RequestOptions,
    first: FirstAttempt | undefined
  ) =>
    Effect.gen(function*() {
      const method = request.method
      const path = url.pathname
      const idempotent = callOptions.idempotent ?? IDEMPOTENT_METHODS.has(method)
      const replayable = request.body._tag !== "Stream" || callOptions.replayableBody === true
      const retryEnabled = callOptions.retry !== false && replayable
      const csv = (request.headers["accept"] ?? "").includes("text/csv")

      let target = url
      let current = request
      // the URL string sent (its query is kept as written; `current.urlParams` are added by the transport)
      let attemptUrl = url.toString()
      let retries = 0
      let replayed = false
      let redirects = 0
      let pending = first
      while (true) {
        let token: AccessToken | undefined
        let result: Either.Either<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
        if (pending !== undefined) {
          token = pending.token
          result = pending.result
          pending = undefined
        } else {
          // B5: the bearer token only ever goes to apiHost's origin
          const authenticated = target.origin === apiHost
          token = authenticated ? yield* auth.token : undefined
          let attempt = HttpClientRequest.setUrl(current, attemptUrl)
          if (token !== undefined) {
            attempt = HttpClientRequest.setHeader(attempt, "authorization", `Bearer ${Redacted.value(token.value)}`)
          }
          result = yield* Effect.either(http.execute(attempt))
          // (only a header we set: without a token, `attempt` shares the caller's headers object)
          if (token !== undefined) scrubAuthorization(attempt)
        }

        let failure: Classify.Failure
        if (Either.isLeft(result)) {
          const error = result.left
          failure = error._tag === "RequestError"
            ? Classify.fromRequestError(method, path, error)
            : Classify.fromStatus({
              method,
              path,
              status: error.response.status,
              text: "",
              contentType: undefined,
              csv,
              retryAfterMillis: undefined
            })
        } else {
          const response = result.right
          const status = response.status
          if (status >= 200 && status < 300) return response
          if (status >= 300 && status < 400 && status !== 304) {
            const location = response.headers["location"]
            if (location !== undefined && redirects < MAX_REDIRECTS && (method === "GET" || method === "HEAD")) {
              redirects++
              target = new URL(location, target)
              // the Location is complete: its query replaces the original parameters
              current = HttpClientRequest.setUrl(request, target)
              attemptUrl = current.url
              continue
            }
            return yield* new DomoError.BadRequestError({ method, path, status, detail: "unexpected redirect" })
          }
          const text = yield* Effect.orElseSucceed(response.text, () => "")
          const now = yield* Clock.currentTimeMillis
          failure = Classify.fromStatus({
            method,
            path,
            status,
            text,
            contentType: response.headers["content-type"],
            csv,
            retryAfterMillis: Option.getOrUndefined(parseRetryAfter(response.headers["retry-after"], now))
          })
        }

        switch (failure._tag) {
          case "Fatal":
            return yield* failure.error
          case "Unauthorized": {
            if (token === undefined) return yield* failure.error
            // B1: compare-and-swap, then one replay with a fresh token
            yield* auth.invalidate(token)
            if (replayed || !replayable) return yield* failure.error
            replayed = true
            continue
          }
          case "Transient": {
            const retryAfter = failure.retryAfterMillis
            if (retryAfter !== undefined && retryAfter > maxRetryAfter) {
              // C1: do not wait longer than allowed: fail at once with the wait in the error
              return yield* new DomoError.RateLimitedError({
                method,
                path,
                status: "status" in failure.error ? failure.error.status : undefined,
                retryAfterMillis: retryAfter
              })
            }
            const safe = idempotent || !failure.reachedServer || failure.refusal
            if (!retryEnabled || !safe || retries >= policy.maxRetries || !budget.withdraw()) {
              return yield* failure.error
            }
            // full jitter; whole milliseconds keep the monotonic clock integral
            const delay = retryAfter ?? Math.round(yield* Random.nextRange(0, Math.min(cap, base * 2 ** retries)))
            retries++
            yield* Effect.annotateCurrentSpan("domo.retries", retries)
            yield* Effect.sleep(Duration.millis(delay))
            continue
          }
        }
      }
    })

  /** One call: the fast path below for apiHost, the general loop for anything else. */
  const execute = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    callOptions: RequestOptions,
    span: Tracer.Span | undefined
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, DomoError.DomoError> => {
    budget.deposit()
    // The general loop may sleep, annotate and fetch tokens: it runs with the call span as parent.
    const slow = (first: FirstAttempt | undefined) => {
      const run = loop(request, url, callOptions, first)
      return span === undefined ? run : Effect.withParentSpan(run, span)
    }
    if (url.origin !== apiHost) return slow(undefined)
    // A transport we do not know may open spans of its own: it gets the call span as parent too.
    // (our own transport opens no spans: calls through it need not make the call span their parent)
    if (lean === undefined && span !== undefined) {
      return Effect.withParentSpan(fastPath(request, url, slow), span)
    }
    return fastPath(request, url, slow)
  }

  /**
   * Most calls are a first attempt to apiHost answered 2xx. That case is written without the
   * generator, `Effect.either` and the loop's state (profiled: the fiber steps and garbage of
   * the general loop cost more per call than the transport itself); any other answer or a
   * failure is handed to `slow` (the loop) as its first attempt, so the behaviour is the loop's.
   */
  const fastPath = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    slow: (first: FirstAttempt | undefined) => Effect.Effect<HttpClientResponse.HttpClientResponse, DomoError.DomoError>
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, DomoError.DomoError> => {
    const attemptUrl = url.toString()
    return Effect.flatMap(auth.token, (token) => {
      const attempt = HttpClientRequest.setHeader(
        HttpClientRequest.setUrl(request, attemptUrl),
        "authorization",
        `Bearer ${Redacted.value(token.value)}`
      )
      return Effect.matchEffect(lean === undefined ? http.execute(attempt) : lean.send(attempt, url), {
        onFailure: (error) => {
          scrubAuthorization(attempt)
          return slow({ token, result: Either.left(error) })
        },
        onSuccess: (response) => {
          scrubAuthorization(attempt)
          const status = response.status
          return status >= 200 && status < 300
            ? Effect.succeed(response)
            : slow({ token, result: Either.right(response) })
        }
      })
    })
  }

  const preprocess: HttpClient.HttpClient.Preprocess<never, never> = Effect.succeed
  return HttpClient.makeWith<never, never, DomoError.DomoError, never>(
    (requestEffect) =>
      Effect.flatMap(
        requestEffect,
        (request) =>
          Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, DomoError.DomoError>((fiber) => {
            const callOptions = fiber.getFiberRef(currentRequestOptions)
            let url: URL
            try {
              // relative to apiHost; an absolute URL stays as it is
              url = new URL(
                isAbsolute(request.url)
                  ? request.url
                  : `${apiHost}${request.url.startsWith("/") ? "" : "/"}${request.url}`
              )
            } catch {
              return Effect.fail(
                new DomoError.BadRequestError({ method: request.method, path: "(invalid url)", detail: "invalid URL" })
              )
            }
            const timeout = callOptions.timeout === undefined ? defaultTimeout : Duration.decode(callOptions.timeout)
            const path = url.pathname
            return withCallSpan(fiber, `DomoHttpClient ${request.method}`, {
              "http.request.method": request.method,
              "url.path": path,
              "server.address": apiHost
            }, (span) => {
              const call = execute(request, url, callOptions, span)
              return Duration.isFinite(timeout)
                ? Deadline.timeoutFail(
                  call,
                  Duration.toMillis(timeout),
                  () =>
                    new DomoError.TimeoutError({
                      method: request.method,
                      path,
                      timeoutMillis: Duration.toMillis(timeout)
                    })
                )
                : call
            })
          })
      ),
    preprocess
  )
}

/**
 * `DomoHttpClient` from `DomoConfig`, `DomoAuth` and an `HttpClient` (the transport).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<DomoHttpClient, never, DomoConfig | DomoAuth | HttpClient.HttpClient> = Layer.effect(
  DomoHttpClient,
  Effect.gen(function*() {
    return make({ config: yield* DomoConfig, auth: yield* DomoAuth, http: yield* HttpClient.HttpClient })
  })
)

/**
 * Limits how many calls run at once through `client` (per service, C6); the others wait.
 *
 * @since 0.1.0
 * @category combinators
 */
export const limitConcurrency = (permits: number) => <E, R>(client: HttpClient.HttpClient.With<E, R>) =>
  Effect.map(
    Effect.makeSemaphore(permits),
    (semaphore) => HttpClient.transform(client, (effect) => semaphore.withPermits(1)(effect))
  )

/**
 * Decodes a JSON response body with a Schema; a body that does not match is a `DecodeError`
 * naming where, a body that cannot be read a `TransportError`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const schemaBodyJson: <A, I, R>(
  schema: Schema.Schema<A, I, R>
) => (
  response: HttpClientResponse.HttpClientResponse
) => Effect.Effect<A, DomoError.DecodeError | DomoError.TransportError, R> = BodyDecode.schemaBodyJson

/**
 * Decodes an already-parsed value with a Schema, mapping a `ParseError` to a `DecodeError`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown: <A, I, R>(
  schema: Schema.Schema<A, I, R>,
  context: { readonly method: string; readonly path: string; readonly status?: number | undefined }
) => (input: unknown) => Effect.Effect<A, DomoError.DecodeError, R> = BodyDecode.decodeUnknown
