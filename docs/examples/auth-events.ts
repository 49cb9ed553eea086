import { DomoAuth } from "@effect-domo/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

// Renewal failures are logged at warning level; they can also be observed as events, e.g. to
// feed a metric or a health check, while traffic keeps using the still-valid token.
export const watchAuth = Effect.gen(function*() {
  const auth = yield* DomoAuth.DomoAuth
  yield* auth.events.pipe(
    Stream.runForEach((event) =>
      DomoAuth.AuthEvent.$match(event, {
        Renewed: ({ background, token }) =>
          Effect.logInfo(
            `token renewed (${background ? "background" : "on demand"}), scopes ${token.scopes.join(" ")}`
          ),
        RenewalFailed: ({ error }) => Effect.logWarning(`token renewal failed: ${error._tag}`),
        Invalidated: () => Effect.logInfo("token rejected by the API, renewing")
      })
    ),
    Effect.forkScoped
  )
})
