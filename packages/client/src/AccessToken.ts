/**
 * An OAuth access token issued by Domo's token endpoint, with what Domo says about it.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { monotonicMillis } from "./internal/time.js"

/**
 * The token value is `Redacted` (it prints as `<redacted>` in logs, JSON and `util.inspect`).
 * Times are monotonic milliseconds (Effect's `Clock.currentTimeNanos`, not the wall clock):
 * `expiresAt` = the moment the token request was *sent* + `expires_in`.
 *
 * @since 0.1.0
 * @category models
 */
export class AccessToken {
  constructor(
    readonly value: Redacted.Redacted<string>,
    /** monotonic millis when the token request was sent */
    readonly issuedAt: number,
    /** monotonic millis: `issuedAt + lifetime` */
    readonly expiresAt: number,
    /** `expires_in` as Domo sent it */
    readonly lifetime: Duration.Duration,
    /** scopes Domo granted (from the response's `scope`) */
    readonly scopes: ReadonlyArray<string>,
    /** the Domo instance name (`customer`) */
    readonly customer: string | undefined,
    /** the role of the client's user (`role`) */
    readonly role: string | undefined,
    /** the id of the client's user (`userId`) */
    readonly userId: number | undefined
  ) {}

  /**
   * A log-safe view (also what `JSON.stringify` shows).
   *
   * @since 0.1.0
   */
  toJSON(): unknown {
    return {
      _id: "AccessToken",
      value: "<redacted>",
      lifetimeMillis: Duration.toMillis(this.lifetime),
      scopes: this.scopes,
      customer: this.customer,
      role: this.role,
      userId: this.userId
    }
  }

  /**
   * @since 0.1.0
   */
  toString(): string {
    return `AccessToken(<redacted>, scopes: ${this.scopes.join(" ")})`
  }
}

/**
 * How much life the token has left now (zero once expired).
 *
 * @since 0.1.0
 * @category getters
 */
export const remaining = (token: AccessToken): Effect.Effect<Duration.Duration> =>
  Effect.map(monotonicMillis, (now) => Duration.millis(Math.max(0, token.expiresAt - now)))

/**
 * Whether two tokens carry the same value (without unwrapping it for the caller).
 *
 * @since 0.1.0
 * @category predicates
 */
export const sameValue = (a: AccessToken, b: AccessToken): boolean =>
  Redacted.value(a.value) === Redacted.value(b.value)
