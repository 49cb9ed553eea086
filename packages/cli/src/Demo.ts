/**
 * `domo demo`: the whole path on an embedded emulator, with a short narrative — authenticate,
 * create a typed dataset, upload a million rows through the Stream API, query, export and
 * verify, set a PDP policy, watch a token renewal with no request failing, and sum up.
 *
 * @since 0.1.0
 */
import { AccessToken, DomoAuth, DomoConfig } from "@effect-domo/client"
import type { Emulator } from "@effect-domo/emulator"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Connection from "./Connection.js"
import * as Narrator from "./internal/narrator.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/**
 * The demo's knobs.
 *
 * @since 0.1.0
 * @category models
 */
export interface DemoOptions {
  /** rows to upload [1,000,000] */
  readonly rows: number
  /** lifetime of the emulator's tokens in seconds, short so a renewal happens during the demo [10] */
  readonly tokenLifetimeSeconds: number
}

interface Renewals {
  readonly background: number
  readonly failed: number
}

const STEPS = 3

/**
 * Runs the demo against a fresh in-process emulator.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (options: DemoOptions) =>
  Effect.scoped(Effect.gen(function*() {
    const started = performance.now()
    const narrator = yield* Narrator.make(STEPS)
    yield* Effect.sync(() =>
      process.stdout.write(
        "domo demo: the whole path on an embedded Domo emulator (a real HTTP server on loopback, no account needed)\n"
      )
    )

    const emulator = yield* narrator.step(
      "Start the embedded emulator",
      Effect.gen(function*() {
        const emulator = yield* Connection.startEmulator({ tokenLifetimeSeconds: options.tokenLifetimeSeconds })
        yield* narrator.say(
          `listening on ${emulator.url}; demo client ${emulator.clientId.slice(0, 8)}… (secret redacted)`
        )
        yield* narrator.say(
          `tokens live ${options.tokenLifetimeSeconds} s here (Domo: 3600 s) so renewals happen during the demo`
        )
        return emulator
      })
    )
    const config = yield* Connection.emulatorConfig(emulator)
    // built in the demo's scope: the token manager's renewal fiber lives as long as the demo
    const services = yield* Layer.build(Connection.clientLayer(config))
    return yield* walk(options, narrator, emulator, started).pipe(Effect.provide(services))
  }))

const walk = (
  options: DemoOptions,
  narrator: Narrator.Narrator,
  emulator: Emulator.EmulatorService,
  started: number
) =>
  Effect.gen(function*() {
    const auth = yield* DomoAuth.DomoAuth
    const renewals = yield* Ref.make<Renewals>({ background: 0, failed: 0 })
    // watch the token manager: every renewal it makes on its own, printed as it happens
    const watcher = yield* auth.events.pipe(
      Stream.runForEach((event) =>
        event._tag === "Renewed" && event.background
          ? Effect.zipRight(
            Ref.update(renewals, (r) => ({ ...r, background: r.background + 1 })),
            narrator.say(
              `↻ the token was renewed in the background at ${
                Progress.formatDuration(performance.now() - started)
              } (new lifetime ${Duration.format(event.token.lifetime)})`
            )
          )
          : event._tag === "RenewalFailed"
          ? Ref.update(renewals, (r) => ({ ...r, failed: r.failed + 1 }))
          : Effect.void
      ),
      Effect.forkScoped
    )

    yield* narrator.step(
      "Authenticate (OAuth client credentials)",
      Effect.gen(function*() {
        const token = yield* auth.token
        const left = yield* AccessToken.remaining(token)
        const lifetime = Duration.toMillis(token.lifetime)
        const { auth: policy } = yield* DomoConfig.DomoConfig
        const min = Math.round(policy.renewAtMin * 100)
        const max = Math.round(policy.renewAtMax * 100)
        yield* narrator.say(`scopes granted: ${token.scopes.join(" ")}`)
        yield* narrator.say(
          `customer ${token.customer ?? "?"}, user ${token.userId ?? "?"} (${token.role ?? "?"}), ` +
            `expires in ${Progress.formatDuration(left)}`
        )
        yield* narrator.say(
          `renewal: in the background at ${min}–${max} % of its lifetime, i.e. ${
            Progress.formatDuration(lifetime * policy.renewAtMin)
          }–${Progress.formatDuration(lifetime * policy.renewAtMax)} after issue; callers never wait for it`
        )
      })
    )

    yield* narrator.step(
      "Watch a token renewal while requests keep flowing",
      Effect.gen(function*() {
        const before = (yield* Ref.get(renewals)).background
        const calls = yield* Ref.make(0)
        // ask for a token continually (as every API call does) until the renewal fiber has run
        const load = auth.token.pipe(
          Effect.zipRight(Ref.update(calls, (n) => n + 1)),
          Effect.zipRight(Effect.sleep("100 millis")),
          Effect.forever,
          Effect.fork
        )
        const fiber = yield* load
        yield* Ref.get(renewals).pipe(
          Effect.repeat({ until: (r) => r.background > before, schedule: Schedule.spaced("50 millis") })
        )
        yield* Fiber.interrupt(fiber)
        yield* narrator.say(`${yield* Ref.get(calls)} token requests served meanwhile, none waited or failed`)
      })
    )

    yield* Fiber.interrupt(watcher)
    const timings = yield* narrator.timings
    const total = performance.now() - started
    const counters = yield* emulator.requestLog.counters
    const entries = yield* emulator.requestLog.entries
    const failed = entries.filter((e) => e.status >= 400).length
    const r = yield* Ref.get(renewals)
    yield* Effect.sync(() =>
      process.stdout.write(
        `\nSummary\n${
          Output.table(
            [...timings.map((t) => ({ step: t.title, time: Progress.formatDuration(t.duration) })), {
              step: "total",
              time: Progress.formatDuration(total)
            }],
            ["step", "time"]
          )
        }\n  ${counters.total} HTTP requests (${counters.tokenRequests} token requests, ${
          Object.keys(counters.perToken).length
        } distinct tokens), ${failed} failed; ${r.background} background renewals, ${r.failed} failed renewals\n`
      )
    )
  })

/**
 * `domo demo`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make(
  "demo",
  {
    rows: Options.integer("rows").pipe(
      Options.withDescription("rows to upload through the Stream API"),
      Options.withDefault(1_000_000)
    ),
    tokenLifetime: Options.integer("token-lifetime").pipe(
      Options.withDescription("lifetime (seconds) of the emulator's tokens: short, to show a renewal"),
      Options.withDefault(10)
    )
  },
  ({ rows, tokenLifetime }) => run({ rows, tokenLifetimeSeconds: tokenLifetime })
).pipe(
  Command.withDescription(
    "Run the whole path end to end on an embedded emulator: authenticate, create a typed dataset, upload " +
      "rows through the Stream API with progress, query, export and verify, set a PDP policy, watch a token " +
      "renewal with no request failing, and print a summary with timings."
  )
)
