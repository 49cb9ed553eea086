/**
 * Domo's Embed Token API: short-lived tokens that let a page outside Domo show embedded cards
 * (`POST /v1/cards/embed/auth`) or dashboards ("stories", `POST /v1/stories/embed/auth`), with
 * per-viewer permissions and row filters. The token is form-POSTed as `embedToken` to the embed
 * URL (`https://public.domo.com/embed/pages/{embedId}`).
 *
 * Scope: Domo does not document which scope these endpoints need; its embed samples request
 * `data user dashboard`, and the emulator accepts a token with `data` or `dashboard`. Without an
 * accepted scope the answer is 403, which fails as `DomoError.ForbiddenError`.
 *
 * The token grants access to content: it is returned `Redacted` so it never lands in a log.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as DomoError from "./DomoError.js"
import { DomoHttpClient } from "./DomoHttpClient.js"
import * as DomoHttpClientModule from "./DomoHttpClient.js"
import * as EmbedModels from "./EmbedModels.js"
import * as Call from "./internal/call.js"

/**
 * An embed token, ready to be POSTed as the form field `embedToken`.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmbedToken {
  /** the JWT Domo answered with (`authentication`) */
  readonly authentication: Redacted.Redacted<string>
}

/**
 * What can be embedded: a card, or a dashboard (Domo's API calls dashboards "stories").
 *
 * @since 0.1.0
 * @category models
 */
export type EmbedKind = "card" | "story"

/**
 * The `Embed` service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Embed extends Context.Tag("@effect-domo/client/Embed")<Embed, Embed.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Embed {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /**
     * A token for embedded cards (`POST /v1/cards/embed/auth`). `sessionLength` is in minutes
     * (at most the instance's idle-session length, 8 hours by default); each authorization names
     * a 5-character embed id (`token`), its `permissions` and its `filters` / `sqlFilters`.
     */
    readonly cardToken: (
      request: EmbedModels.EmbedTokenRequest
    ) => Effect.Effect<EmbedToken, DomoError.DomoError>
    /** a token for embedded dashboards (`POST /v1/stories/embed/auth`); same request as `cardToken` */
    readonly storyToken: (
      request: EmbedModels.EmbedTokenRequest
    ) => Effect.Effect<EmbedToken, DomoError.DomoError>
    /** either, by kind */
    readonly token: (
      kind: EmbedKind,
      request: EmbedModels.EmbedTokenRequest
    ) => Effect.Effect<EmbedToken, DomoError.DomoError>
  }
}

/**
 * The path of the token endpoint for a kind.
 *
 * @since 0.1.0
 * @category constants
 */
export const tokenPath = (kind: EmbedKind): string =>
  kind === "card" ? "/v1/cards/embed/auth" : "/v1/stories/embed/auth"

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Embed.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const token = Effect.fn("Embed.token")(function*(kind: EmbedKind, request: EmbedModels.EmbedTokenRequest) {
    yield* Effect.annotateCurrentSpan({ "domo.embed.kind": kind, "domo.embed.count": request.authorizations.length })
    const http = yield* HttpClientRequest.post(tokenPath(kind)).pipe(
      Call.jsonBody(EmbedModels.EmbedTokenRequest, request)
    )
    // a replay only issues another token: safe to retry like a read
    const answer = yield* Call.executeJson(client, http, EmbedModels.EmbedToken).pipe(
      DomoHttpClientModule.withRequestOptions({ idempotent: true })
    )
    return { authentication: Redacted.make(answer.authentication) } satisfies EmbedToken
  })

  return Embed.of({
    token,
    cardToken: (request) => token("card", request),
    storyToken: (request) => token("story", request)
  })
})

/**
 * The `Embed` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Embed, never, DomoHttpClient> = Layer.effect(Embed, make)
