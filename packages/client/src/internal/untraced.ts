/**
 * A transport may carry a variant of itself that never makes the platform's span nor adds trace
 * headers. `DomoHttpClient` turns that span off anyway (it makes its own), so with such a
 * transport it calls the variant and skips setting `currentTracerDisabledWhen` on every call.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"

/** @internal */
export const UntracedTypeId: unique symbol = Symbol.for("@effect-domo/client/UndiciTransport/untraced")

/** @internal */
export interface WithUntraced {
  readonly [UntracedTypeId]: HttpClient.HttpClient
}

/** @internal */
export const untracedOf = (client: HttpClient.HttpClient): HttpClient.HttpClient | undefined =>
  UntracedTypeId in client ? (client as HttpClient.HttpClient & WithUntraced)[UntracedTypeId] : undefined

/** @internal */
export const withUntraced = (client: HttpClient.HttpClient, untraced: HttpClient.HttpClient): HttpClient.HttpClient =>
  Object.assign(client, { [UntracedTypeId]: untraced })
