/**
 * The access token manager: fetches Domo tokens (client credentials), renews them in the
 * background before they expire, one fetch at a time however many fibers ask, and invalidates
 * exactly the token the API rejected. See `docs/auth.md` for the timeline and the policy knobs.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type { AccessToken } from "./AccessToken.js"
import { DomoConfig } from "./DomoConfig.js"
import type * as DomoConfigModule from "./DomoConfig.js"
import * as DomoError from "./DomoError.js"
import { monotonicMillis } from "./internal/time.js"
import * as TokenEndpoint from "./internal/tokenEndpoint.js"

/**
 * What happened to the token: observe with `DomoAuth.events` (E2).
 *
 * @since 0.1.0
 * @category models
 */
export type AuthEvent = Data.TaggedEnum<{
  /** a new token was stored; `background` when the renewal fiber fetched it */
  Renewed: { readonly token: AccessToken; readonly background: boolean }
  /** a token fetch failed; callers keep the previous token while it is valid */
  RenewalFailed: { readonly error: DomoError.DomoAuthError; readonly background: boolean }
  /** the API rejected this token (401); it will never be sent again */
  Invalidated: { readonly token: AccessToken }
}>

/**
 * @since 0.1.0
 * @category models
 */
export const AuthEvent = Data.taggedEnum<AuthEvent>()

/**
 * @since 0.1.0
 * @category tags
 */
export class DomoAuth extends Context.Tag("@effect-domo/client/DomoAuth")<DomoAuth, DomoAuth.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace DomoAuth {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** A token with more than the safety margin of life left; waits (single flight) only when it must. */
    readonly token: Effect.Effect<AccessToken, DomoError.DomoAuthError>
    /**
     * The API rejected `token`: forget it if it is still the current one (compare-and-swap) and
     * never send it again. `true` when this call removed the current token.
     */
    readonly invalidate: (token: AccessToken) => Effect.Effect<boolean>
    /** Fetch a new token now (joins a fetch already in flight). */
    readonly refresh: Effect.Effect<AccessToken, DomoError.DomoAuthError>
    /** The stored token, if any, without fetching. */
    readonly current: Effect.Effect<Option.Option<AccessToken>>
    /** Auth events from the moment of subscription: renewed, failed, invalidated. */
    readonly events: Stream.Stream<AuthEvent>
  }
}

/**
 * Fetches one token: what `make` uses by default is Domo's `/oauth/token` over the `HttpClient`.
 *
 * @since 0.1.0
 * @category models
 */
export type FetchToken = Effect.Effect<AccessToken, DomoError.DomoAuthError>

interface State {
  readonly token: AccessToken | undefined
  /** monotonic millis after which the background fiber renews `token` */
  readonly renewAt: number
  readonly inflight: Deferred.Deferred<AccessToken, DomoError.DomoAuthError> | undefined
  readonly failure: { readonly error: DomoError.DomoAuthError; readonly until: number } | undefined
  /** values the API rejected (bounded): never handed out again (B2) */
  readonly rejected: ReadonlyArray<string>
}

const initial: State = { token: undefined, renewAt: 0, inflight: undefined, failure: undefined, rejected: [] }

const MAX_REJECTED = 64

const isCredentialsError = (e: DomoError.DomoAuthError): boolean =>
  e._tag === "InvalidClientError" || e._tag === "ScopeNotGrantedError"

/**
 * M for one token: the configured margin, never more than a quarter of its lifetime.
 *
 * @since 0.1.0
 * @category policy
 */
export const marginMillis = (policy: DomoConfigModule.AuthPolicy, token: AccessToken): number =>
  Math.min(Duration.toMillis(policy.safetyMargin), Duration.toMillis(token.lifetime) / 4)

const usable = (policy: DomoConfigModule.AuthPolicy, token: AccessToken, now: number): boolean =>
  now < token.expiresAt - marginMillis(policy, token)

/**
 * Builds the manager in the current scope: the renewal fiber and every token fetch run in it and
 * stop when it closes. Nothing is fetched before the first `token` call.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  policy: DomoConfigModule.AuthPolicy,
  fetchToken: FetchToken
): Effect.Effect<DomoAuth.Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const state = yield* SynchronizedRef.make<State>(initial)
    const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<AuthEvent>(), PubSub.shutdown)
    const firstToken = yield* Deferred.make<void>()

    // renew at 70–80 % of the lifetime (jittered), but always before the margin starts (A3)
    const renewAtFor = (token: AccessToken) =>
      Effect.map(Random.nextRange(policy.renewAtMin, policy.renewAtMax), (fraction) => {
        const lifetime = Duration.toMillis(token.lifetime)
        const latest = 1 - marginMillis(policy, token) / lifetime - 0.02
        return Math.round(token.issuedAt + lifetime * Math.max(0.05, Math.min(fraction, latest)))
      })

    const failureTtl = (error: DomoError.DomoAuthError): number =>
      Duration.toMillis(isCredentialsError(error) ? policy.invalidClientTtl : policy.failureTtl)

    // One fetch, run in the manager's scope: a caller that gives up does not cancel it (A10).
    const runFetch = (deferred: Deferred.Deferred<AccessToken, DomoError.DomoAuthError>, background: boolean) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(fetchToken.pipe(Effect.withSpan("DomoAuth.fetchToken")))
        const now = yield* monotonicMillis
        type Outcome = Exit.Exit<AccessToken, DomoError.DomoAuthError>
        const outcome = yield* SynchronizedRef.modifyEffect(state, (s): Effect.Effect<readonly [Outcome, State]> =>
          Effect.gen(function*() {
            if (Exit.isSuccess(exit)) {
              const token = exit.value
              const value = Redacted.value(token.value)
              // B2: the endpoint handed back a token the API already rejected
              if (s.rejected.includes(value)) {
                const error = new DomoError.TokenEndpointUnavailableError({ reason: "rejected-token" })
                return [Exit.fail(error), {
                  ...s,
                  inflight: undefined,
                  failure: { error, until: now + failureTtl(error) }
                }] as const
              }
              // A8: the same token again with no more life is not a renewal
              if (
                s.token !== undefined && Redacted.value(s.token.value) === value &&
                token.expiresAt <= s.token.expiresAt + 1000
              ) {
                const error = new DomoError.TokenEndpointUnavailableError({ reason: "stale-token" })
                return [Exit.fail(error), {
                  ...s,
                  inflight: undefined,
                  failure: { error, until: now + failureTtl(error) }
                }] as const
              }
              const renewAt = yield* renewAtFor(token)
              return [Exit.succeed(token), { ...s, token, renewAt, inflight: undefined, failure: undefined }] as const
            }
            const failure = Cause.failureOption(exit.cause)
            return [
              exit,
              {
                ...s,
                inflight: undefined,
                failure: Option.isSome(failure)
                  ? { error: failure.value, until: now + failureTtl(failure.value) }
                  : undefined
              }
            ] as const
          }))
        if (Exit.isSuccess(outcome)) {
          yield* Deferred.succeed(firstToken, void 0)
          yield* PubSub.publish(pubsub, AuthEvent.Renewed({ token: outcome.value, background }))
        } else {
          const failure = Cause.failureOption(outcome.cause)
          if (Option.isSome(failure)) {
            yield* Effect.logWarning(`Domo token fetch failed: ${failure.value.message}`).pipe(
              Effect.annotateLogs({ error: failure.value._tag, background })
            )
            yield* PubSub.publish(pubsub, AuthEvent.RenewalFailed({ error: failure.value, background }))
          }
        }
        yield* Deferred.done(deferred, outcome)
      })

    // Single flight: the ref's lock is held only to read the state and register the fetch.
    const acquire = (force: boolean, background: boolean): Effect.Effect<AccessToken, DomoError.DomoAuthError> =>
      SynchronizedRef.modifyEffect(
        state,
        (s): Effect.Effect<readonly [Effect.Effect<AccessToken, DomoError.DomoAuthError>, State]> =>
          Effect.gen(function*() {
            const now = yield* monotonicMillis
            if (!force && s.token !== undefined && usable(policy, s.token, now)) {
              return [Effect.succeed(s.token), s] as const
            }
            if (s.inflight !== undefined) {
              return [Deferred.await(s.inflight), s] as const
            }
            if (!background && s.failure !== undefined && s.failure.until > now) {
              return [Effect.fail(s.failure.error), s] as const
            }
            const deferred = yield* Deferred.make<AccessToken, DomoError.DomoAuthError>()
            const fiber = yield* Effect.forkIn(runFetch(deferred, background), scope)
            // a fetch interrupted before it ran (the manager's scope is closed) must not leave
            // its waiters hanging: they are interrupted too
            fiber.addObserver((exit) => {
              if (Exit.isInterrupted(exit)) {
                Deferred.unsafeDone(deferred, Exit.interrupt(fiber.id()))
              }
            })
            return [Deferred.await(deferred), { ...s, inflight: deferred }] as const
          })
      ).pipe(Effect.flatten)

    // Fast path without the lock, read on every API call: two steps (state, then the clock).
    const token: Effect.Effect<AccessToken, DomoError.DomoAuthError> = Effect.flatMap(
      SynchronizedRef.get(state),
      (s) =>
        s.token === undefined ?
          acquire(false, false) :
          Effect.clockWith((clock) =>
            s.token !== undefined && usable(policy, s.token, Number(clock.unsafeCurrentTimeNanos() / 1_000_000n))
              ? Effect.succeed(s.token)
              : acquire(false, false)
          )
    )

    const invalidate = (rejected: AccessToken): Effect.Effect<boolean> =>
      SynchronizedRef.modify(state, (s): readonly [boolean, State] => {
        const value = Redacted.value(rejected.value)
        const list = s.rejected.includes(value) ? s.rejected : [...s.rejected.slice(-(MAX_REJECTED - 1)), value]
        if (s.token !== undefined && Redacted.value(s.token.value) === value) {
          return [true, { ...s, token: undefined, rejected: list }]
        }
        return [false, { ...s, rejected: list }]
      }).pipe(
        Effect.tap((removed) =>
          removed ? PubSub.publish(pubsub, AuthEvent.Invalidated({ token: rejected })) : Effect.void
        )
      )

    // A5: capped, full-jitter exponential backoff between background attempts, one at a time
    const base = Duration.toMillis(policy.renewalBackoffBase)
    const cap = Duration.toMillis(policy.renewalBackoffCap)
    const backoff = Schedule.exponential(policy.renewalBackoffBase).pipe(
      Schedule.modifyDelayEffect((_, delay) =>
        Effect.map(
          Random.nextRange(base, Math.max(base, Math.min(cap, Duration.toMillis(delay)))),
          (ms) =>
            Duration.millis(Math.round(ms))
        )
      )
    )

    // How long until the next renewal is due (0 = now). The renewal fiber repeats this step
    // with that delay (a Schedule fed by the step's output).
    const renewStep: Effect.Effect<number> = Effect.gen(function*() {
      const s = yield* SynchronizedRef.get(state)
      const now = yield* monotonicMillis
      if (s.token === undefined) {
        // invalidated: the next caller fetches; look again shortly
        return Duration.toMillis(policy.renewalBackoffBase)
      }
      if (now < s.renewAt) {
        return s.renewAt - now
      }
      const result = yield* acquire(true, true).pipe(
        // rejected credentials are not retried in a loop (A7): wait for the negative cache to expire
        Effect.retry({
          schedule: backoff,
          while: (e) =>
            !isCredentialsError(e)
        }),
        Effect.either
      )
      return result._tag === "Left" ? Duration.toMillis(policy.invalidClientTtl) : 0
    })

    yield* Deferred.await(firstToken).pipe(
      Effect.zipRight(
        Effect.repeat(renewStep, Schedule.identity<number>().pipe(Schedule.addDelay((ms) => Duration.millis(ms))))
      ),
      Effect.interruptible,
      Effect.forkScoped
    )

    return DomoAuth.of({
      token,
      invalidate,
      refresh: acquire(true, false),
      current: Effect.map(SynchronizedRef.get(state), (s) => Option.fromNullable(s.token)),
      events: Stream.fromPubSub(pubsub)
    })
  })

/**
 * The manager fetching from Domo's token endpoint with the `HttpClient` given (the transport
 * only: no retries, no tracing propagation).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<DomoAuth, never, DomoConfig | HttpClient.HttpClient> = Layer.scoped(
  DomoAuth,
  Effect.gen(function*() {
    const config = yield* DomoConfig
    const http = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerPropagation(false),
      HttpClient.withTracerDisabledWhen(() => true)
    )
    return yield* make(config.auth, TokenEndpoint.make(config, http))
  })
)
