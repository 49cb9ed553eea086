/**
 * `/oauth/token`: the client-credentials grant, by GET with query parameters or POST with a form
 * body (or query parameters), client id and secret in HTTP Basic auth.
 *
 * @since 0.1.0
 */
import { DomoScope } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { Tokens } from "../Auth.js"
import { DomoFailure } from "../DomoError.js"
import * as RouteFamily from "../RouteFamily.js"

const badCredentials = new DomoFailure({ status: 401, path: "/oauth/token", message: "Bad credentials" })

const basicCredentials = (header: string | undefined): Option.Option<readonly [string, string]> => {
  if (header === undefined) return Option.none()
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header)
  if (match === null) return Option.none()
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon === -1) return Option.none()
  return Option.some([
    decodeURIComponentSafe(decoded.slice(0, colon)),
    decodeURIComponentSafe(decoded.slice(colon + 1))
  ])
}

// curl -u sends credentials as is; some clients form-encode them first (RFC 6749 §2.3.1).
const decodeURIComponentSafe = (value: string): string => {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

const invalidScope = (message: string) =>
  new DomoFailure({
    status: 400,
    path: "/oauth/token",
    message,
    extra: { error: "invalid_scope", error_description: message }
  })

const token = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const tokens = yield* Tokens
  const params = yield* RouteFamily.query
  if (request.method === "POST") {
    const contentType = request.headers["content-type"] ?? ""
    if (contentType.toLowerCase().includes("application/x-www-form-urlencoded")) {
      const body = yield* Effect.mapError(
        request.urlParamsBody,
        () => new DomoFailure({ status: 400, path: "/oauth/token", message: "Could not read the form body" })
      )
      for (const [key, value] of body) params.set(key, value)
    }
  }
  const credentials = Option.orElse(
    basicCredentials(request.headers["authorization"]),
    () => {
      const id = params.get("client_id")
      const secret = params.get("client_secret")
      return id !== null && secret !== null ? Option.some([id, secret] as const) : Option.none()
    }
  )
  if (Option.isNone(credentials)) return yield* badCredentials
  const client = yield* tokens.authenticateClient(credentials.value[0], credentials.value[1])
  if (Option.isNone(client)) return yield* badCredentials
  const grantType = params.get("grant_type")
  if (grantType !== "client_credentials") {
    const message = grantType === null ? "Missing grant type" : `Unsupported grant type: ${grantType}`
    return yield* new DomoFailure({
      status: 400,
      path: "/oauth/token",
      message,
      extra: { error: grantType === null ? "invalid_request" : "unsupported_grant_type", error_description: message }
    })
  }
  const requested = (params.getAll("scope")).join(" ").trim()
  let scopes: ReadonlyArray<DomoScope.DomoScope> = client.value.scopes
  if (requested !== "") {
    const parsed = DomoScope.parseList(requested)
    if (Either.isLeft(parsed)) return yield* invalidScope(`Invalid scope: ${requested}`)
    const missing = parsed.right.filter((s) => !client.value.scopes.includes(s))
    if (missing.length > 0) return yield* invalidScope(`Invalid scope: ${missing.join(" ")}`)
    scopes = parsed.right
  }
  const response = yield* tokens.issue(client.value, scopes)
  return HttpServerResponse.unsafeJson(response, {
    contentType: "application/json;charset=UTF-8",
    headers: { "cache-control": "no-store", pragma: "no-cache" }
  })
})

/**
 * The OAuth family (its tables belong to `Auth`).
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "oauth",
  migrate: Effect.void,
  router: HttpRouter.empty.pipe(
    HttpRouter.get("/oauth/token", token),
    HttpRouter.post("/oauth/token", token)
  )
})
