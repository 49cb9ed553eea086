/** @internal */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as DomoError from "../DomoError.js"
import { parseErrorBody } from "./errorBody.js"
import { transportCode } from "./tokenEndpoint.js"

/**
 * What one attempt of a call came to.
 *
 * @internal
 */
export type Failure =
  /** 401, or a 406 HTML page on a CSV call: renew the token and replay once */
  | { readonly _tag: "Unauthorized"; readonly error: DomoError.UnauthorizedError }
  /** may be retried; `refusal` = the server explicitly refused (429/503/rate-limit 403), so even a POST may be */
  | {
    readonly _tag: "Transient"
    readonly error: DomoError.DomoApiError
    readonly retryAfterMillis: number | undefined
    readonly refusal: boolean
    readonly reachedServer: boolean
  }
  | { readonly _tag: "Fatal"; readonly error: DomoError.DomoApiError }

// connection never established: the server cannot have seen the request
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ECONNABORTED"
])

/** @internal */
export const fromRequestError = (
  method: string,
  path: string,
  error: HttpClientError.RequestError
): Failure => {
  if (error.reason !== "Transport") {
    return {
      _tag: "Fatal",
      error: new DomoError.BadRequestError({ method, path, detail: `request could not be built (${error.reason})` })
    }
  }
  const code = transportCode(error.cause)
  const reachedServer = code === undefined || !CONNECT_CODES.has(code)
  return {
    _tag: "Transient",
    error: new DomoError.TransportError({ method, path, code, sent: reachedServer }),
    retryAfterMillis: undefined,
    refusal: false,
    reachedServer
  }
}

/** @internal */
export const fromStatus = (options: {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly text: string
  readonly contentType: string | undefined
  readonly csv: boolean
  readonly retryAfterMillis: number | undefined
}): Failure => {
  const { method, path, status } = options
  const body = parseErrorBody(options.text, options.contentType)
  const fields = { method, path, status, toe: body.toe, detail: body.isHtml ? undefined : body.detail }
  const retryAfterMillis = options.retryAfterMillis
  if (status === 401 || (status === 406 && options.csv && (body.isHtml || body.text.includes("unauthorized")))) {
    return { _tag: "Unauthorized", error: new DomoError.UnauthorizedError(fields) }
  }
  if (status === 429 || (status === 403 && body.text.includes("api rate limit reached"))) {
    return {
      _tag: "Transient",
      error: new DomoError.RateLimitedError({ ...fields, retryAfterMillis }),
      retryAfterMillis,
      refusal: true,
      reachedServer: true
    }
  }
  if (body.isHtml && body.text.includes("maintenance")) {
    return {
      _tag: "Transient",
      error: new DomoError.ServerError({ ...fields, maintenance: true }),
      retryAfterMillis,
      refusal: status === 503,
      reachedServer: true
    }
  }
  if (status === 408 || status === 502 || status === 503 || status === 504) {
    return {
      _tag: "Transient",
      error: status === 408
        ? new DomoError.TimeoutError({ method, path, timeoutMillis: 0 })
        : new DomoError.ServerError(fields),
      retryAfterMillis: status === 503 ? retryAfterMillis : undefined,
      refusal: status === 503,
      reachedServer: true
    }
  }
  if (status >= 500) return { _tag: "Fatal", error: new DomoError.ServerError(fields) }
  if (status === 403) return { _tag: "Fatal", error: new DomoError.ForbiddenError(fields) }
  if (status === 404) return { _tag: "Fatal", error: new DomoError.NotFoundError(fields) }
  if (status === 409) return { _tag: "Fatal", error: new DomoError.ConflictError(fields) }
  return { _tag: "Fatal", error: new DomoError.BadRequestError(fields) }
}
