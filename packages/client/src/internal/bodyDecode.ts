/**
 * Response bodies decoded with a Schema into the client's errors (`DomoHttpClient.schemaBodyJson`
 * and `decodeUnknown` are these). Decoding is synchronous while the schema allows it.
 *
 * @internal
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as DomoError from "../DomoError.js"

// the path only: a query string may hold something secret-ish, and it is not part of the error contract
const pathOf = (url: string, base: string): string => {
  try {
    return new URL(url, base).pathname
  } catch {
    return "(invalid url)"
  }
}

/** @internal */
export const schemaBodyJson = <A, I, R>(schema: Schema.Schema<A, I, R>) => {
  const decode = decoderOf(schema)
  return (
    response: HttpClientResponse.HttpClientResponse
  ): Effect.Effect<A, DomoError.DecodeError | DomoError.TransportError, R> => {
    // method and path are only needed for an error: not computed on the success path
    const context = () => ({
      method: response.request.method,
      path: pathOf(response.request.url, "http://localhost"),
      status: response.status
    })
    return Effect.flatMap(
      Effect.mapError(response.text, () => {
        const { method, path } = context()
        return new DomoError.TransportError({ method, path, sent: true })
      }),
      (text) => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          return Effect.fail(new DomoError.DecodeError({ ...context(), at: "", issue: "body is not JSON" }))
        }
        return Effect.mapError(decode(json), (error) => toDecodeError(error, context()))
      }
    )
  }
}

/** Whether decoding stopped at work that cannot run synchronously (async or needing a service). */
const isForbidden = (issue: ParseResult.ParseIssue): boolean => {
  switch (issue._tag) {
    case "Forbidden":
      return true
    case "Composite":
      return Array.isArray(issue.issues)
        ? issue.issues.some(isForbidden)
        : isForbidden(issue.issues as ParseResult.ParseIssue)
    case "Pointer":
    case "Refinement":
    case "Transformation":
      return isForbidden(issue.issue)
    default:
      return false
  }
}

/**
 * A Schema decoder that runs synchronously (`decodeUnknownEither`, no fiber steps: the cheap way
 * for the plain schemas of API bodies) and switches for good to the Effect decoder the first time
 * the schema turns out to need async work or a service.
 */
const decoderOf = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): (input: unknown) => Effect.Effect<A, ParseResult.ParseError, R> => {
  const viaEffect = Schema.decodeUnknown(schema, { errors: "first" })
  // R may be non-never: such a schema fails here with Forbidden and takes the Effect path
  const viaEither = Schema.decodeUnknownEither(schema as Schema.Schema<A, I, never>, { errors: "first" })
  let synchronous = true
  return (input) => {
    if (synchronous) {
      const result = viaEither(input)
      if (Either.isRight(result)) return Effect.succeed(result.right)
      if (!isForbidden(result.left.issue)) return Effect.fail(result.left)
      synchronous = false
    }
    return viaEffect(input)
  }
}

const toDecodeError = (
  error: ParseResult.ParseError,
  context: { readonly method: string; readonly path: string; readonly status?: number | undefined }
): DomoError.DecodeError => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  return new DomoError.DecodeError({
    ...context,
    at: issue === undefined ? "" : issue.path.map(String).join("."),
    issue: issue === undefined ? "invalid" : issue.message
  })
}

/** @internal */
export const decodeUnknown = <A, I, R>(
  schema: Schema.Schema<A, I, R>,
  context: { readonly method: string; readonly path: string; readonly status?: number | undefined }
) => {
  const decode = decoderOf(schema)
  return (input: unknown): Effect.Effect<A, DomoError.DecodeError, R> =>
    Effect.mapError(decode(input), (error) => toDecodeError(error, context))
}
