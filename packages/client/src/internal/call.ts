/**
 * The few steps every family service repeats around `DomoHttpClient`: encode a request body with
 * its wire Schema (bad input is a typed error and nothing is sent), decode a response, accept an
 * empty answer where Domo's docs and SDKs disagree about whether a body comes back.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as DomoError from "../DomoError.js"
import * as DomoHttpClient from "../DomoHttpClient.js"

/** @internal */
export type Client = HttpClient.HttpClient.With<DomoError.DomoError>

const describeParseError = (error: ParseResult.ParseError): string => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  if (issue === undefined) return "invalid"
  const at = issue.path.map(String).join(".")
  return at === "" ? issue.message : `${at}: ${issue.message}`
}

/**
 * A `BadRequestError` raised before anything is sent (no `status`): the caller's input is invalid.
 *
 * @internal
 */
export const invalidInput = (method: string, path: string, detail: string): DomoError.BadRequestError =>
  new DomoError.BadRequestError({ method, path, detail: `invalid input: ${detail}` })

/**
 * Sets a JSON body encoded with `schema`; an input the schema rejects fails with a
 * `BadRequestError` naming the field, and the request is never sent.
 *
 * @internal
 */
export const jsonBody = <A, I>(schema: Schema.Schema<A, I, never>, value: A) =>
(
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientRequest.HttpClientRequest, DomoError.BadRequestError> =>
  Schema.encode(schema)(value).pipe(
    Effect.mapError((error) => invalidInput(request.method, request.url, describeParseError(error))),
    Effect.map((encoded) => HttpClientRequest.bodyUnsafeJson(request, encoded))
  )

/**
 * Validates an id before it goes into a path: a positive safe integer.
 *
 * @internal
 */
export const intId = (
  method: string,
  path: string,
  name: string,
  id: number
): Effect.Effect<number, DomoError.BadRequestError> =>
  Number.isSafeInteger(id) && id >= 0
    ? Effect.succeed(id)
    : Effect.fail(invalidInput(method, path, `${name} must be a non-negative integer, got ${String(id)}`))

/**
 * Validates a string id and escapes it for a path segment.
 *
 * @internal
 */
export const stringId = (
  method: string,
  path: string,
  name: string,
  id: string
): Effect.Effect<string, DomoError.BadRequestError> =>
  id.trim() === ""
    ? Effect.fail(invalidInput(method, path, `${name} must not be empty`))
    : Effect.succeed(encodeURIComponent(id))

/**
 * Executes and decodes the JSON answer.
 *
 * @internal
 */
export const executeJson = <A, I>(
  client: Client,
  request: HttpClientRequest.HttpClientRequest,
  schema: Schema.Schema<A, I, never>
): Effect.Effect<A, DomoError.DomoError> =>
  Effect.flatMap(client.execute(request), DomoHttpClient.schemaBodyJson(schema))

/**
 * Executes a call whose answer carries nothing we need (204, or a body Domo documents as empty).
 * The body is drained so the connection can be reused.
 *
 * @internal
 */
export const executeVoid = (
  client: Client,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<void, DomoError.DomoError> =>
  Effect.flatMap(client.execute(request), (response) => Effect.ignore(response.text))

/**
 * Decodes the JSON answer when there is one; `None` for an empty body (a 204, or a 200/202 with
 * nothing in it, which some of Domo's SDKs expect where its docs show a body).
 *
 * @internal
 */
export const optionalJson = <A, I>(schema: Schema.Schema<A, I, never>) =>
(
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<Option.Option<A>, DomoError.DecodeError | DomoError.TransportError> =>
  Effect.gen(function*() {
    const method = response.request.method
    const path = new URL(response.request.url, "http://localhost").pathname
    const text = yield* Effect.mapError(
      response.text,
      () => new DomoError.TransportError({ method, path, sent: true })
    )
    if (response.status === 204 || text.trim() === "") return Option.none()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return yield* new DomoError.DecodeError({
        method,
        path,
        status: response.status,
        at: "",
        issue: "body is not JSON"
      })
    }
    return Option.some(yield* DomoHttpClient.decodeUnknown(schema, { method, path, status: response.status })(json))
  })

/**
 * Executes a write and returns the entity it answers with, or — when Domo answers with an empty
 * body — the entity read back with `orElse`.
 *
 * @internal
 */
export const executeOrRead = <A, I>(
  client: Client,
  request: HttpClientRequest.HttpClientRequest,
  schema: Schema.Schema<A, I, never>,
  orElse: Effect.Effect<A, DomoError.DomoError>
): Effect.Effect<A, DomoError.DomoError> =>
  client.execute(request).pipe(
    Effect.flatMap(optionalJson(schema)),
    Effect.flatMap(Option.match({ onNone: () => orElse, onSome: Effect.succeed }))
  )
