/**
 * The typed errors of the Domo client. Every error carries only safe fields: the HTTP method,
 * the path (never the query string), the status, and Domo's `toe` id and message when Domo sent
 * them. None keeps a header, a token, the client secret or an `HttpClientError` (which carries
 * the request headers, bearer token included).
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

const requestFields = {
  /** HTTP method of the failed call */
  method: Schema.String,
  /** path of the failed call, without query string */
  path: Schema.String
}

const domoFields = {
  /** HTTP status, when a response arrived */
  status: Schema.optional(Schema.Number),
  /** Domo's "thread of execution" id, to quote to Domo support */
  toe: Schema.optional(Schema.String),
  /** Domo's own message from the error body (truncated), when present */
  detail: Schema.optional(Schema.String)
}

const describe = (
  e: {
    readonly method: string
    readonly path: string
    readonly status?: number | undefined
    readonly toe?: string | undefined
    readonly detail?: string | undefined
  },
  what: string
): string =>
  `${e.method} ${e.path}: ${what}${e.status !== undefined ? ` (HTTP ${e.status})` : ""}` +
  (e.detail !== undefined && e.detail !== "" ? `: ${e.detail}` : "") +
  (e.toe !== undefined && e.toe !== "" ? ` [toe ${e.toe}]` : "")

// ---------------------------------------------------------------------------------------------
// Auth errors (the token endpoint)
// ---------------------------------------------------------------------------------------------

/**
 * The token endpoint rejected the client id / secret (HTTP 401, or 400 `invalid_client`).
 * Not retried; remembered for `DomoConfig.auth.invalidClientTtl` so a bad secret does not
 * become a request loop.
 *
 * @since 0.1.0
 * @category auth errors
 */
export class InvalidClientError
  extends Schema.TaggedError<InvalidClientError>("@effect-domo/client/InvalidClientError")(
    "InvalidClientError",
    domoFields
  )
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe({ method: "GET", path: "/oauth/token", ...this }, "Domo rejected the client id or secret")
  }
}

/**
 * The token endpoint refused the requested scopes (not granted to this client).
 *
 * @since 0.1.0
 * @category auth errors
 */
export class ScopeNotGrantedError
  extends Schema.TaggedError<ScopeNotGrantedError>("@effect-domo/client/ScopeNotGrantedError")(
    "ScopeNotGrantedError",
    { scopes: Schema.Array(Schema.String), ...domoFields }
  )
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(
      { method: "GET", path: "/oauth/token", ...this },
      `scope(s) not granted to this client: ${this.scopes.join(" ") || "(none)"}`
    )
  }
}

/**
 * No token could be obtained: the token endpoint is unreachable, timed out, answered 429/5xx,
 * or returned an unusable token (already rejected or already expired). Remembered for a few
 * seconds (`DomoConfig.auth.failureTtl`), then the next caller tries again.
 *
 * @since 0.1.0
 * @category auth errors
 */
export class TokenEndpointUnavailableError
  extends Schema.TaggedError<TokenEndpointUnavailableError>("@effect-domo/client/TokenEndpointUnavailableError")(
    "TokenEndpointUnavailableError",
    {
      reason: Schema.Literal("transport", "timeout", "status", "rejected-token", "stale-token"),
      /** the server's Retry-After, in milliseconds, when it sent one */
      retryAfterMillis: Schema.optional(Schema.Number),
      ...domoFields
    }
  )
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe({ method: "GET", path: "/oauth/token", ...this }, `token endpoint unavailable (${this.reason})`)
  }
}

/**
 * The token endpoint answered 2xx with a body that is not a valid token response. Names the bad
 * field; the body itself is never included (it may hold a token).
 *
 * @since 0.1.0
 * @category auth errors
 */
export class MalformedTokenResponseError
  extends Schema.TaggedError<MalformedTokenResponseError>("@effect-domo/client/MalformedTokenResponseError")(
    "MalformedTokenResponseError",
    {
      /** the offending field (`access_token`, `expires_in`, …) or `(body)` when it is not a JSON object */
      field: Schema.String,
      /** what is wrong with it: `missing`, `invalid`, `not JSON` */
      reason: Schema.String
    }
  )
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `GET /oauth/token: malformed token response: field ${this.field} is ${this.reason}`
  }
}

/**
 * Every error obtaining a token.
 *
 * @since 0.1.0
 * @category auth errors
 */
export type DomoAuthError =
  | InvalidClientError
  | ScopeNotGrantedError
  | TokenEndpointUnavailableError
  | MalformedTokenResponseError

// ---------------------------------------------------------------------------------------------
// API errors (every other call)
// ---------------------------------------------------------------------------------------------

/**
 * HTTP 400, and any other 4xx without a more specific error (405, 410, 413, 415, 422, …).
 *
 * @since 0.1.0
 * @category api errors
 */
export class BadRequestError extends Schema.TaggedError<BadRequestError>("@effect-domo/client/BadRequestError")(
  "BadRequestError",
  { ...requestFields, ...domoFields }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, "bad request")
  }
}

/**
 * HTTP 401 (or Domo's 406 HTML page on a CSV call) after one token renewal and replay.
 *
 * @since 0.1.0
 * @category api errors
 */
export class UnauthorizedError extends Schema.TaggedError<UnauthorizedError>("@effect-domo/client/UnauthorizedError")(
  "UnauthorizedError",
  { ...requestFields, ...domoFields }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, "unauthorized")
  }
}

/**
 * HTTP 403: the token's user lacks the grant (never causes a token renewal).
 *
 * @since 0.1.0
 * @category api errors
 */
export class ForbiddenError extends Schema.TaggedError<ForbiddenError>("@effect-domo/client/ForbiddenError")(
  "ForbiddenError",
  { ...requestFields, ...domoFields }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, "forbidden")
  }
}

/**
 * HTTP 404.
 *
 * @since 0.1.0
 * @category api errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>("@effect-domo/client/NotFoundError")(
  "NotFoundError",
  { ...requestFields, ...domoFields }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, "not found")
  }
}

/**
 * HTTP 409.
 *
 * @since 0.1.0
 * @category api errors
 */
export class ConflictError extends Schema.TaggedError<ConflictError>("@effect-domo/client/ConflictError")(
  "ConflictError",
  { ...requestFields, ...domoFields }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, "conflict")
  }
}

/**
 * HTTP 429, or Domo's 403 `API Rate limit reached`, when retries are exhausted or the server's
 * Retry-After exceeds `DomoConfig.retry.maxRetryAfter`.
 *
 * @since 0.1.0
 * @category api errors
 */
export class RateLimitedError extends Schema.TaggedError<RateLimitedError>("@effect-domo/client/RateLimitedError")(
  "RateLimitedError",
  {
    ...requestFields,
    ...domoFields,
    /** how long the server asked to wait (Retry-After), in milliseconds, when known */
    retryAfterMillis: Schema.optional(Schema.Number)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(
      this,
      `rate limited${this.retryAfterMillis !== undefined ? `, retry after ${this.retryAfterMillis} ms` : ""}`
    )
  }
}

/**
 * HTTP 5xx, or a Domo maintenance page.
 *
 * @since 0.1.0
 * @category api errors
 */
export class ServerError extends Schema.TaggedError<ServerError>("@effect-domo/client/ServerError")(
  "ServerError",
  {
    ...requestFields,
    ...domoFields,
    /** the body was an HTML maintenance page */
    maintenance: Schema.optional(Schema.Boolean)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, this.maintenance === true ? "Domo is under maintenance" : "server error")
  }
}

/**
 * The request did not complete at the transport level (connection refused, reset, DNS, …).
 * `sent: false` means the request provably never reached the server.
 *
 * @since 0.1.0
 * @category api errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("@effect-domo/client/TransportError")(
  "TransportError",
  {
    ...requestFields,
    /** the low-level error code when known (`ECONNREFUSED`, `ECONNRESET`, …) */
    code: Schema.optional(Schema.String),
    /** false when the connection was never established, so the server never saw the request */
    sent: Schema.Boolean
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, `transport failure${this.code !== undefined ? ` (${this.code})` : ""}`)
  }
}

/**
 * The call did not finish within its timeout (`DomoConfig.retry.requestTimeout` or the
 * per-call `DomoHttpClient.withRequestOptions({ timeout })`), retries included.
 *
 * @since 0.1.0
 * @category api errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>("@effect-domo/client/TimeoutError")(
  "TimeoutError",
  { ...requestFields, timeoutMillis: Schema.Number }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe(this, `timed out after ${this.timeoutMillis} ms`)
  }
}

/**
 * A response body did not match the Schema a service expected. Services produce it with
 * `DomoHttpClient.schemaBodyJson`.
 *
 * @since 0.1.0
 * @category api errors
 */
export class DecodeError extends Schema.TaggedError<DecodeError>("@effect-domo/client/DecodeError")(
  "DecodeError",
  {
    ...requestFields,
    status: Schema.optional(Schema.Number),
    /** where in the body decoding failed, e.g. `["rows", 3, "name"]` rendered as `rows.3.name` */
    at: Schema.String,
    /** what was expected there */
    issue: Schema.String
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.method} ${this.path}: response body does not match the expected schema at ${
      this.at || "(root)"
    }: ${this.issue}`
  }
}

/**
 * Every error a call through `DomoHttpClient` can fail with, besides the auth errors.
 *
 * @since 0.1.0
 * @category api errors
 */
export type DomoApiError =
  | BadRequestError
  | UnauthorizedError
  | ForbiddenError
  | NotFoundError
  | ConflictError
  | RateLimitedError
  | ServerError
  | TransportError
  | TimeoutError
  | DecodeError

/**
 * Every error the Domo client fails with.
 *
 * @since 0.1.0
 * @category errors
 */
export type DomoError = DomoAuthError | DomoApiError

const authTags: ReadonlySet<string> = new Set([
  "InvalidClientError",
  "ScopeNotGrantedError",
  "TokenEndpointUnavailableError",
  "MalformedTokenResponseError"
])

/**
 * Whether a value is one of the auth errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isDomoAuthError = (u: unknown): u is DomoAuthError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && authTags.has(u._tag)
