/**
 * Where and who: the API host, the client credentials, the scopes, and the auth and retry policy
 * of the Domo client. Built from plain values (`layer`) or from the environment (`layerConfig`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as DomoScope from "./DomoScope.js"

/**
 * How the token is obtained and kept. Defaults in brackets.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthPolicy {
  /** M: no request leaves with less token life than this; capped at a quarter of the token's lifetime [60 s] */
  readonly safetyMargin: Duration.Duration
  /** renew in the background at this fraction of the lifetime, jittered up to `renewAtMax` [0.7] */
  readonly renewAtMin: number
  /** [0.8] */
  readonly renewAtMax: number
  /** first delay of the background renewal backoff after a failure [1 s] */
  readonly renewalBackoffBase: Duration.Duration
  /** cap of that backoff (full jitter below it) [30 s] */
  readonly renewalBackoffCap: Duration.Duration
  /** how long a failed token fetch is remembered: callers fail at once meanwhile [5 s] */
  readonly failureTtl: Duration.Duration
  /** how long rejected credentials (invalid client / scope) are remembered [30 s] */
  readonly invalidClientTtl: Duration.Duration
  /** timeout of one token request [30 s] */
  readonly tokenRequestTimeout: Duration.Duration
}

/**
 * How API calls are retried. Defaults in brackets.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** retries after the first attempt for transient failures [4] */
  readonly maxRetries: number
  /** full-jitter exponential backoff: base [250 ms] … */
  readonly backoffBase: Duration.Duration
  /** … and cap [20 s] */
  readonly backoffCap: Duration.Duration
  /** the longest Retry-After honoured; a longer one fails at once as `RateLimitedError` [60 s] */
  readonly maxRetryAfter: Duration.Duration
  /** retry budget: each call earns this fraction of a retry [0.2] … */
  readonly budgetRatio: number
  /** … on top of this many retries always available, which is also the cap of the bucket [20] */
  readonly budgetMinRetries: number
  /**
   * timeout of one call, retries included [none: `Duration.infinity`]. A timeout costs a timer
   * fiber per call (measured: a third of the client's CPU per request), so it is opt-in; the
   * transport's own limits still apply (undici: 300 s for headers and for body inactivity).
   * Per call: `DomoHttpClient.withRequestOptions({ timeout })`.
   */
  readonly requestTimeout: Duration.Duration
}

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Values {
  /** origin of the API, without trailing slash, e.g. `https://api.domo.com` */
  readonly apiHost: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** scopes to request; empty = every scope granted to the client (Domo's default) */
  readonly scopes: ReadonlyArray<DomoScope.DomoScope>
  readonly auth: AuthPolicy
  readonly retry: RetryPolicy
}

type Loose<T> = {
  readonly [K in keyof T]?: [T[K]] extends [Duration.Duration] ? Duration.DurationInput
    : [T[K]] extends [Duration.Duration | undefined] ? Duration.DurationInput | undefined
    : T[K]
}

/**
 * Auth policy overrides: durations may be written as `"30 seconds"`, millis, or `Duration`s.
 *
 * @since 0.1.0
 * @category models
 */
export type AuthPolicyInput = Loose<AuthPolicy>

/**
 * Retry policy overrides: durations may be written as `"30 seconds"`, millis, or `Duration`s.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryPolicyInput = Loose<RetryPolicy>

/**
 * What users write: everything except the credentials has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly apiHost?: string | undefined
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly scopes?: ReadonlyArray<DomoScope.DomoScope> | undefined
  readonly auth?: AuthPolicyInput | undefined
  readonly retry?: RetryPolicyInput | undefined
}

/**
 * @since 0.1.0
 * @category tags
 */
export class DomoConfig extends Context.Tag("@effect-domo/client/DomoConfig")<DomoConfig, Values>() {}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultApiHost = "https://api.domo.com"

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultAuthPolicy: AuthPolicy = {
  safetyMargin: Duration.seconds(60),
  renewAtMin: 0.7,
  renewAtMax: 0.8,
  renewalBackoffBase: Duration.seconds(1),
  renewalBackoffCap: Duration.seconds(30),
  failureTtl: Duration.seconds(5),
  invalidClientTtl: Duration.seconds(30),
  tokenRequestTimeout: Duration.seconds(30)
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 4,
  backoffBase: Duration.millis(250),
  backoffCap: Duration.seconds(20),
  maxRetryAfter: Duration.seconds(60),
  budgetRatio: 0.2,
  budgetMinRetries: 20,
  requestTimeout: Duration.infinity
}

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127(\.\d{1,3}){3}$/.test(hostname)

/**
 * Validates an API host: an absolute `https` URL, or `http` for loopback hosts only (the
 * emulator). Returns its origin.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseApiHost = (input: string): Either.Either<string, string> => {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    return Either.left(`not an absolute URL: "${input}"`)
  }
  if (url.protocol === "https:") return Either.right(url.origin)
  if (url.protocol === "http:") {
    return isLoopback(url.hostname)
      ? Either.right(url.origin)
      : Either.left(`plain http is only allowed for loopback hosts (got "${url.hostname}"); use https`)
  }
  return Either.left(`unsupported protocol "${url.protocol}" (expected https)`)
}

const checkPolicy = (auth: AuthPolicy, retry: RetryPolicy): Option.Option<string> => {
  if (!(auth.renewAtMin > 0 && auth.renewAtMin <= auth.renewAtMax && auth.renewAtMax < 1)) {
    return Option.some("auth.renewAtMin/renewAtMax must satisfy 0 < min <= max < 1")
  }
  if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0) {
    return Option.some("retry.maxRetries must be a non-negative integer")
  }
  if (!(retry.budgetRatio >= 0) || !(retry.budgetMinRetries >= 0)) {
    return Option.some("retry.budgetRatio and retry.budgetMinRetries must be non-negative")
  }
  return Option.none()
}

/**
 * Resolves and validates user input (defaults applied). Fails with a `ConfigError` naming the
 * bad field.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: Input): Effect.Effect<Values, ConfigError.ConfigError> =>
  Effect.suspend(() => {
    const host = parseApiHost(input.apiHost ?? defaultApiHost)
    if (Either.isLeft(host)) return Effect.fail(ConfigError.InvalidData(["apiHost"], host.left))
    if (input.clientId.trim() === "") return Effect.fail(ConfigError.InvalidData(["clientId"], "must not be empty"))
    const a = input.auth ?? {}
    const r = input.retry ?? {}
    const d = (value: Duration.DurationInput | undefined, fallback: Duration.Duration) =>
      value === undefined ? fallback : Duration.decode(value)
    const auth: AuthPolicy = {
      safetyMargin: d(a.safetyMargin, defaultAuthPolicy.safetyMargin),
      renewAtMin: a.renewAtMin ?? defaultAuthPolicy.renewAtMin,
      renewAtMax: a.renewAtMax ?? defaultAuthPolicy.renewAtMax,
      renewalBackoffBase: d(a.renewalBackoffBase, defaultAuthPolicy.renewalBackoffBase),
      renewalBackoffCap: d(a.renewalBackoffCap, defaultAuthPolicy.renewalBackoffCap),
      failureTtl: d(a.failureTtl, defaultAuthPolicy.failureTtl),
      invalidClientTtl: d(a.invalidClientTtl, defaultAuthPolicy.invalidClientTtl),
      tokenRequestTimeout: d(a.tokenRequestTimeout, defaultAuthPolicy.tokenRequestTimeout)
    }
    const retry: RetryPolicy = {
      maxRetries: r.maxRetries ?? defaultRetryPolicy.maxRetries,
      backoffBase: d(r.backoffBase, defaultRetryPolicy.backoffBase),
      backoffCap: d(r.backoffCap, defaultRetryPolicy.backoffCap),
      maxRetryAfter: d(r.maxRetryAfter, defaultRetryPolicy.maxRetryAfter),
      budgetRatio: r.budgetRatio ?? defaultRetryPolicy.budgetRatio,
      budgetMinRetries: r.budgetMinRetries ?? defaultRetryPolicy.budgetMinRetries,
      requestTimeout: d(r.requestTimeout, defaultRetryPolicy.requestTimeout)
    }
    const bad = checkPolicy(auth, retry)
    if (Option.isSome(bad)) return Effect.fail(ConfigError.InvalidData(["policy"], bad.value))
    return Effect.succeed({
      apiHost: host.right,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      scopes: input.scopes ?? [],
      auth,
      retry
    })
  })

/**
 * The configuration from plain values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (input: Input): Layer.Layer<DomoConfig, ConfigError.ConfigError> =>
  Layer.effect(DomoConfig, make(input))

const apiHostConfig: Config.Config<string> = Config.string("DOMO_API_HOST").pipe(
  Config.withDefault(defaultApiHost),
  Config.mapOrFail((value) =>
    Either.mapLeft(parseApiHost(value), (message) => ConfigError.InvalidData(["DOMO_API_HOST"], message))
  )
)

const scopesConfig: Config.Config<ReadonlyArray<DomoScope.DomoScope>> = Config.string("DOMO_SCOPES").pipe(
  Config.withDefault(""),
  Config.mapOrFail((value) =>
    Either.mapLeft(DomoScope.parseList(value), (message) => ConfigError.InvalidData(["DOMO_SCOPES"], message))
  )
)

const clientIdConfig: Config.Config<string> = Config.string("DOMO_CLIENT_ID").pipe(
  Config.validate({ message: "DOMO_CLIENT_ID must not be empty", validation: (s) => s.trim() !== "" })
)

/**
 * `DOMO_CLIENT_ID`, `DOMO_CLIENT_SECRET` (required), `DOMO_API_HOST` (default
 * `https://api.domo.com`), `DOMO_SCOPES` (space- or comma-separated; default: every scope granted
 * to the client). A missing or invalid variable is a `ConfigError` naming it.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Input> = Config.all({
  apiHost: apiHostConfig,
  clientId: clientIdConfig,
  clientSecret: Config.redacted("DOMO_CLIENT_SECRET"),
  scopes: scopesConfig
})

/**
 * The configuration from the environment (the current `ConfigProvider`), see `config`, with
 * policy knobs given in code.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfigWith = (
  policy: { readonly auth?: AuthPolicyInput | undefined; readonly retry?: RetryPolicyInput | undefined }
): Layer.Layer<DomoConfig, ConfigError.ConfigError> =>
  Layer.effect(DomoConfig, Effect.flatMap(config, (input) => make({ ...input, ...policy })))

/**
 * The configuration from the environment (the current `ConfigProvider`), see `config`; default
 * policy.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<DomoConfig, ConfigError.ConfigError> = layerConfigWith({})
