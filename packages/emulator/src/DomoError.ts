/**
 * Domo-shaped error answers: `{status, statusReason, message, toe}` JSON bodies, and the few
 * non-JSON pages Domo answers with (HTML maintenance and 406 pages, plain-text Simple API errors).
 *
 * Route handlers fail with {@link DomoFailure}; the server renders it (see `Server.ts`).
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Toe from "./Toe.js"

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The reason phrase Domo puts in `statusReason` for a status.
 *
 * @since 0.1.0
 * @category formatting
 */
export const reasonPhrase = (status: number): string => REASONS[status] ?? "Error"

/**
 * A failed request, rendered as Domo renders it. `body` picks the form of the answer:
 * `json` (default) is Domo's standard error body; `text` a plain-text message (Simple API);
 * `html` a page (`message` is the page); `raw` a JSON object sent as is (`extra` is the body).
 *
 * @since 0.1.0
 * @category errors
 */
export class DomoFailure extends Data.TaggedError("DomoFailure")<{
  readonly status: number
  readonly message: string
  readonly statusReason?: string | undefined
  readonly path?: string | undefined
  readonly body?: "json" | "text" | "html" | "raw" | undefined
  readonly extra?: Readonly<Record<string, unknown>> | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}> {}

/**
 * A `400 Bad Request` with Domo's body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const badRequest = (message: string): DomoFailure => new DomoFailure({ status: 400, message })

/**
 * A `404 Not Found` with Domo's body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const notFound = (message: string): DomoFailure => new DomoFailure({ status: 404, message })

/**
 * A `403 Forbidden` with Domo's body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const forbidden = (message: string): DomoFailure => new DomoFailure({ status: 403, message })

/**
 * A `409 Conflict` with Domo's body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const conflict = (message: string): DomoFailure => new DomoFailure({ status: 409, message })

/**
 * Domo's standard JSON error body, with a fresh `toe`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const body = (options: {
  readonly status: number
  readonly message: string
  readonly statusReason?: string | undefined
  readonly path?: string | undefined
}): Effect.Effect<Record<string, unknown>> =>
  Effect.map(Toe.make, (toe) => ({
    status: options.status,
    statusReason: options.statusReason ?? reasonPhrase(options.status),
    ...(options.path !== undefined ? { path: options.path } : {}),
    message: options.message,
    toe
  }))

/**
 * Render a {@link DomoFailure} as the HTTP answer Domo would give.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (failure: DomoFailure): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const headers = failure.headers ?? {}
  switch (failure.body) {
    case "text":
      return Effect.succeed(
        HttpServerResponse.text(failure.message, { status: failure.status, headers, contentType: "text/plain" })
      )
    case "html":
      return Effect.succeed(
        HttpServerResponse.text(failure.message, {
          status: failure.status,
          headers,
          contentType: "text/html;charset=iso-8859-1"
        })
      )
    case "raw":
      return Effect.succeed(
        HttpServerResponse.unsafeJson(failure.extra ?? {}, {
          status: failure.status,
          headers,
          contentType: "application/json;charset=UTF-8"
        })
      )
    default:
      return Effect.map(
        body(failure),
        (json) =>
          HttpServerResponse.unsafeJson({ ...json, ...failure.extra }, {
            status: failure.status,
            headers,
            contentType: "application/json;charset=UTF-8"
          })
      )
  }
}
