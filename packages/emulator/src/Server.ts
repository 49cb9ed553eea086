/**
 * The HTTP application: every route family in one list, the admin routes, and the middleware
 * every Domo call goes through (body size limit, faults, the request log, Domo-shaped errors).
 *
 * Adding a family: write `src/routes/<family>.ts` exporting `family` (see `RouteFamily.ts`)
 * and add one line to {@link families}.
 *
 * @since 0.1.0
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Activity from "./Activity.js"
import * as Admin from "./Admin.js"
import * as Auth from "./Auth.js"
import { DomoFailure, render } from "./DomoError.js"
import type { Fault } from "./Faults.js"
import { Faults, maintenancePage } from "./Faults.js"
import * as RequestLog from "./RequestLog.js"
import type { RouteFamily } from "./RouteFamily.js"
import * as accounts from "./routes/accounts.js"
import * as audit from "./routes/audit.js"
import * as datasets from "./routes/datasets.js"
import * as embed from "./routes/embed.js"
import * as groups from "./routes/groups.js"
import * as oauth from "./routes/oauth.js"
import * as pages from "./routes/pages.js"
import * as projects from "./routes/projects.js"
import * as simple from "./routes/simple.js"
import * as streams from "./routes/streams.js"
import * as users from "./routes/users.js"

/**
 * Every Domo API family the emulator serves. One line per family.
 *
 * @since 0.1.0
 * @category families
 */
export const families: ReadonlyArray<RouteFamily> = [
  oauth.family,
  datasets.family,
  simple.family,
  streams.family,
  users.family,
  groups.family,
  pages.family,
  accounts.family,
  audit.family,
  projects.family,
  embed.family
]

/**
 * Run the migrations of the core (tokens, activity log) and of every family, in order.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrateAll: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.zipRight(
  Effect.zipRight(Auth.migrate, Activity.migrate),
  Effect.forEach(families, (family) => family.migrate, { discard: true })
)

const pathOf = (url: string): string => {
  const q = url.indexOf("?")
  return q === -1 ? url : url.slice(0, q)
}

/**
 * Render any failure of a route as Domo would answer.
 *
 * @since 0.1.0
 * @category errors
 */
export const renderCause = <E>(
  cause: Cause.Cause<E>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = pathOf(request.url)
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const error: unknown = failure.value
      if (error instanceof DomoFailure) return yield* render(error)
      const tag = typeof error === "object" && error !== null && "_tag" in error ? error._tag : undefined
      switch (tag) {
        case "RouteNotFound":
          return yield* render(new DomoFailure({ status: 404, path, message: "Not Found" }))
        case "ParseError":
          return yield* render(
            new DomoFailure({
              status: 400,
              path,
              message: ParseResult.isParseError(error)
                ? ParseResult.TreeFormatter.formatErrorSync(error)
                : "Bad Request"
            })
          )
        case "RequestError":
          return yield* render(new DomoFailure({ status: 400, path, message: "Could not read the request" }))
      }
    }
    yield* Effect.logError("emulator: unexpected failure", cause)
    return yield* render(new DomoFailure({ status: 500, path, message: "Internal Server Error" }))
  })

const faultResponse = (
  fault: Exclude<Fault, { readonly _tag: "Drop" | "Latency" }>,
  path: string
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  switch (fault._tag) {
    case "Status": {
      const headers: Record<string, string> = fault.retryAfter === undefined
        ? {}
        : { "retry-after": String(fault.retryAfter) }
      return render(
        new DomoFailure({
          status: fault.status,
          path,
          message: fault.message ?? (fault.status === 429 ? "Too Many Requests" : "Service Unavailable"),
          headers
        })
      )
    }
    case "RateLimited":
      return render(new DomoFailure({ status: 403, path, message: "API Rate limit reached" }))
    case "Maintenance": {
      const status = fault.status ?? 502
      const headers: Record<string, string> = fault.retryAfter === undefined
        ? {}
        : { "retry-after": String(fault.retryAfter) }
      return render(new DomoFailure({ status, message: maintenancePage(status), body: "html", headers }))
    }
  }
}

// Answer with the headers and about half the body, then destroy the socket.
const dropResponse = (
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  const socket = NodeHttpServerRequest.toIncomingMessage(request).socket
  const destroy = Stream.execute(Effect.sync(() => socket.destroy()))
  const body = response.body
  let head: Stream.Stream<Uint8Array>
  let length: number | undefined
  switch (body._tag) {
    case "Uint8Array":
      length = body.body.length
      head = Stream.make(body.body.subarray(0, Math.floor(body.body.length / 2)))
      break
    case "Stream":
      head = Stream.orDie(Stream.take(body.stream, 1))
      break
    default:
      head = Stream.make(new TextEncoder().encode("{"))
      length = 1024
  }
  const headers: Record<string, string> = { ...response.headers }
  delete headers["content-length"]
  if (length !== undefined) headers["content-length"] = String(Math.max(length, 2))
  return HttpServerResponse.stream(Stream.concat(head, destroy), {
    status: response.status,
    headers,
    ...(body._tag === "Uint8Array" || body._tag === "Stream" ? { contentType: body.contentType } : {})
  })
}

/**
 * The options of the application.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppOptions {
  /** largest accepted request body (bytes); bigger bodies get a 413 */
  readonly maxBodyBytes: number
}

/**
 * The whole HTTP application.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeApp = (options: AppOptions) => {
  const router = HttpRouter.concatAll(...families.map((family) => family.router))
  // Spring answers 405 (not 404) for a known path with another method
  const known = Chunk.toReadonlyArray(router.routes).map((route) => ({
    method: route.method,
    path: new RegExp(`^${String(route.path).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:\w+/g, "[^/]+")}$`)
  }))
  const domo = router.pipe(
    Effect.catchTag("RouteNotFound", (error) => {
      const path = pathOf(error.request.url)
      const allowed = known.filter((route) => route.path.test(path)).map((route) => route.method)
      return allowed.length === 0 ? Effect.fail(error) : render(
        new DomoFailure({
          status: 405,
          path,
          message: `Request method '${error.request.method}' not supported`,
          headers: { allow: Array.from(new Set(allowed)).join(", ") }
        })
      )
    }),
    Effect.catchAllCause(renderCause)
  )
  const admin = Admin.router.pipe(Effect.catchAllCause(renderCause))
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = pathOf(request.url)
    if (path.startsWith("/__emulator/")) return yield* admin
    const faults = yield* Faults
    const log = yield* RequestLog.RequestLog
    const startedAt = yield* Clock.currentTimeMillis
    const decision = yield* faults.decide(request.method, path)
    const delay = decision.delayMs + (Option.isSome(decision.fault) && decision.fault.value._tag === "Latency"
      ? decision.fault.value.ms
      : 0)
    if (delay > 0) yield* Effect.sleep(delay)
    let response: HttpServerResponse.HttpServerResponse
    const fault = Option.getOrUndefined(decision.fault)
    const declared = Number(request.headers["content-length"] ?? "0")
    if (fault !== undefined && fault._tag !== "Drop" && fault._tag !== "Latency") {
      response = yield* faultResponse(fault, path)
    } else if (declared > options.maxBodyBytes) {
      response = yield* render(
        new DomoFailure({
          status: 413,
          path,
          message: `Request body of ${declared} bytes exceeds the limit of ${options.maxBodyBytes} bytes`
        })
      )
    } else {
      // Domo (Spring) routes `/v1/users/` like `/v1/users`; old pydomo sends the former.
      const routed = path.length > 1 && path.endsWith("/")
        ? Effect.provideService(
          domo,
          HttpServerRequest.HttpServerRequest,
          request.modify({ url: path.replace(/\/+$/, "") + request.url.slice(path.length) })
        )
        : domo
      response = yield* HttpIncomingMessage.withMaxBodySize(routed, Option.some(options.maxBodyBytes))
      if (fault?._tag === "Drop") response = dropResponse(request, response)
    }
    const token = Auth.bearerToken(request)
    yield* log.append({
      time: startedAt,
      method: request.method,
      path,
      route: RequestLog.routeKey(request.method, path),
      status: response.status,
      fault: fault?._tag,
      token: Option.isSome(token) ? Redacted.make(token.value) : undefined,
      tokenFingerprint: Option.isSome(token) ? RequestLog.fingerprint(token.value) : undefined
    })
    return response
  })
}
