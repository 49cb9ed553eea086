/** @internal */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { AccessToken } from "../AccessToken.js"
import type * as DomoConfig from "../DomoConfig.js"
import * as DomoError from "../DomoError.js"
import * as DomoScope from "../DomoScope.js"
import { parseErrorBody } from "./errorBody.js"
import { parseRetryAfter } from "./retryAfter.js"
import { monotonicMillis } from "./time.js"

/**
 * Domo's token response. `access_token` and `expires_in` are required; the rest is informative.
 *
 * @internal
 */
const TokenResponse = Schema.Struct({
  access_token: Schema.NonEmptyTrimmedString,
  expires_in: Schema.Number.pipe(Schema.finite(), Schema.positive()),
  token_type: Schema.optional(Schema.String),
  scope: Schema.optional(Schema.String),
  customer: Schema.optional(Schema.String),
  role: Schema.optional(Schema.String),
  userId: Schema.optional(Schema.Number),
  jti: Schema.optional(Schema.String)
})

const decodeTokenResponse = Schema.decodeUnknownEither(TokenResponse, { errors: "first", onExcessProperty: "ignore" })

/**
 * `curl -u id:secret`: base64 of the UTF-8 bytes of `id:secret`, nothing URL-encoded.
 *
 * @internal
 */
export const basicCredentials = (
  clientId: string,
  clientSecret: Redacted.Redacted<string>
): Redacted.Redacted<string> =>
  Redacted.make(`Basic ${Encoding.encodeBase64(`${clientId}:${Redacted.value(clientSecret)}`)}`)

const transportCode = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let i = 0; i < 5 && typeof current === "object" && current !== null; i++) {
    if ("code" in current && typeof current.code === "string") return current.code
    current = "cause" in current ? current.cause : undefined
  }
  return undefined
}

/** @internal */
export { transportCode }

const mentionsScope = (text: string, oauthError: string | undefined): boolean =>
  oauthError === "invalid_scope" || /\bscope/.test(text)

/**
 * One token request (GET with query parameters and Basic auth, as Domo documents). Never retried
 * here: the caller (`DomoAuth`) decides.
 *
 * @internal
 */
export const make = (config: DomoConfig.Values, http: HttpClient.HttpClient) => {
  const authorization = basicCredentials(config.clientId, config.clientSecret)
  const url = `${config.apiHost}/oauth/token`
  const params: Record<string, string> = { grant_type: "client_credentials" }
  if (config.scopes.length > 0) params.scope = DomoScope.format(config.scopes)
  const timeout = config.auth.tokenRequestTimeout

  return Effect.gen(function*() {
    const sentAt = yield* monotonicMillis
    const request = HttpClientRequest.get(url).pipe(
      HttpClientRequest.setUrlParams(params),
      HttpClientRequest.setHeader("authorization", Redacted.value(authorization)),
      HttpClientRequest.acceptJson
    )
    const response = yield* http.execute(request).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new DomoError.TokenEndpointUnavailableError({ reason: "timeout" })
      }),
      // the platform error carries our Basic header: map it to a safe error, drop it
      Effect.catchIf(
        (e): e is HttpClientError.HttpClientError => e._tag === "RequestError" || e._tag === "ResponseError",
        (e) =>
          Effect.fail(
            new DomoError.TokenEndpointUnavailableError({
              reason: "transport",
              detail: e._tag === "RequestError" ? (transportCode(e.cause) ?? e.reason) : e.reason
            })
          )
      )
    )
    const text = yield* response.text.pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new DomoError.TokenEndpointUnavailableError({ reason: "timeout" })
      }),
      Effect.catchTag(
        "ResponseError",
        () => Effect.fail(new DomoError.TokenEndpointUnavailableError({ reason: "transport", status: response.status }))
      )
    )
    const status = response.status
    if (status >= 200 && status < 300) {
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return yield* new DomoError.MalformedTokenResponseError({ field: "(body)", reason: "not JSON" })
      }
      const decoded = decodeTokenResponse(json)
      if (Either.isLeft(decoded)) {
        const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
        const field = issue === undefined || issue.path.length === 0 ? "(body)" : issue.path.map(String).join(".")
        return yield* new DomoError.MalformedTokenResponseError({
          field,
          reason: issue === undefined ? "invalid" : issue._tag === "Missing" ? "missing" : "invalid"
        })
      }
      const body = decoded.right
      const lifetimeMillis = Math.floor(body.expires_in * 1000)
      return new AccessToken(
        Redacted.make(body.access_token),
        sentAt,
        sentAt + lifetimeMillis,
        Duration.millis(lifetimeMillis),
        body.scope !== undefined ? body.scope.split(/[\s,]+/).filter((s) => s !== "") : config.scopes,
        body.customer,
        body.role,
        body.userId
      )
    }
    const parsed = parseErrorBody(text, response.headers["content-type"])
    const fields = { status, toe: parsed.toe, detail: parsed.detail }
    if ((status === 400 || status === 401 || status === 403) && mentionsScope(parsed.text, parsed.oauthError)) {
      return yield* new DomoError.ScopeNotGrantedError({ scopes: [...config.scopes], ...fields })
    }
    if (status === 400 || status === 401 || status === 403) {
      return yield* new DomoError.InvalidClientError(fields)
    }
    const now = yield* Clock.currentTimeMillis
    const retryAfter = parseRetryAfter(response.headers["retry-after"], now)
    return yield* new DomoError.TokenEndpointUnavailableError({
      reason: "status",
      ...fields,
      retryAfterMillis: Option.getOrUndefined(retryAfter)
    })
  })
}
