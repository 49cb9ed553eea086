/**
 * Faults on demand: latency, 429/503 with `Retry-After`, Domo's 403 rate-limit body, 502/503
 * HTML maintenance pages, connections dropped mid-response, and per-route scripts ("the next 3
 * calls to `PUT /v1/datasets/*\/data` answer 503"). Random faults draw from Effect's `Random`,
 * which the emulator seeds, so a run is reproducible.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"

/**
 * What a faulted call does.
 *
 * - `Status`: answer `status` (e.g. 429, 500, 503) with Domo's JSON body and, when given, a
 *   `Retry-After` header (seconds or an HTTP date).
 * - `RateLimited`: Domo's `403` with message `API Rate limit reached`.
 * - `Maintenance`: an HTML maintenance page with `status` (502 default, or 503).
 * - `Drop`: the call runs, then the connection is destroyed after the headers and half the body.
 * - `Latency`: the call is delayed by `ms`, then answered normally.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Fault = Schema.Union(
  Schema.TaggedStruct("Status", {
    status: Schema.Int,
    retryAfter: Schema.optional(Schema.Union(Schema.Number, Schema.String)),
    message: Schema.optional(Schema.String)
  }),
  Schema.TaggedStruct("RateLimited", {}),
  Schema.TaggedStruct("Maintenance", {
    status: Schema.optional(Schema.Int),
    retryAfter: Schema.optional(Schema.Union(Schema.Number, Schema.String))
  }),
  Schema.TaggedStruct("Drop", {}),
  Schema.TaggedStruct("Latency", { ms: Schema.Number })
)

/**
 * @since 0.1.0
 * @category models
 */
export type Fault = typeof Fault.Type

/**
 * A per-route script: the next `times` calls matching `method` (any when omitted) and `path`
 * (a glob: `*` one path segment, `**` anything) get `fault`. Scripts are consumed in the order
 * they were added.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FaultScript = Schema.Struct({
  method: Schema.optional(Schema.String),
  path: Schema.String,
  times: Schema.optionalWith(Schema.Int, { default: () => 1 }),
  fault: Fault
})

/**
 * @since 0.1.0
 * @category models
 */
export type FaultScript = typeof FaultScript.Type

/**
 * Everything that can be set at start-up or through `PUT /__emulator/faults`.
 *
 * - `latencyMs` (+ `latencyJitterMs`, drawn from the seeded `Random`): added to every Domo call.
 * - `random`: each call matching `path` (default every `/v1/**` call) gets `fault` with
 *   `probability` (0..1).
 * - `tokenLifetimeSeconds`: lifetime of tokens issued from now on.
 * - `commitDelayMs`: Stream commits become asynchronous, as Domo's are (its docs show the commit
 *   answering `ACTIVE`): a commit answers the execution still `ACTIVE`, without `endedAt`, and
 *   applies the parts this many milliseconds later (`SUCCESS`, or `ERROR` if they cannot be
 *   applied). Clients poll `GET …/executions/{id}` until `endedAt` is set. 0 (default): commits
 *   apply the parts before answering.
 * - `scripts`: appended to the pending scripts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FaultSettings = Schema.Struct({
  latencyMs: Schema.optional(Schema.Number),
  latencyJitterMs: Schema.optional(Schema.Number),
  random: Schema.optional(Schema.Struct({
    probability: Schema.Number,
    fault: Fault,
    path: Schema.optional(Schema.String)
  })),
  tokenLifetimeSeconds: Schema.optional(Schema.Int),
  commitDelayMs: Schema.optional(Schema.NonNegative),
  scripts: Schema.optional(Schema.Array(FaultScript))
})

/**
 * @since 0.1.0
 * @category models
 */
export type FaultSettings = typeof FaultSettings.Type

/**
 * The current fault state, as `GET /__emulator/faults` shows it.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultState {
  readonly latencyMs: number
  readonly latencyJitterMs: number
  readonly random?:
    | { readonly probability: number; readonly fault: Fault; readonly path?: string | undefined }
    | undefined
  readonly scripts: ReadonlyArray<FaultScript>
  /** see `FaultSettings.commitDelayMs` (0: synchronous commits) */
  readonly commitDelayMs: number
}

/**
 * What to do with one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly delayMs: number
  readonly fault: Option.Option<Fault>
}

/**
 * @since 0.1.0
 * @category services
 */
export class Faults extends Context.Tag("@effect-domo/emulator/Faults")<Faults, {
  readonly state: Effect.Effect<FaultState>
  /** apply settings (scripts are appended; other fields replace) */
  readonly set: (settings: FaultSettings) => Effect.Effect<void>
  readonly script: (script: FaultScript) => Effect.Effect<void>
  /** remove every fault and script */
  readonly clear: Effect.Effect<void>
  /** decide (and consume a script for) one call */
  readonly decide: (method: string, path: string) => Effect.Effect<Decision>
}>() {}

const globCache = new Map<string, RegExp>()

/**
 * Whether a path matches a glob (`*` one segment, `**` anything).
 *
 * @since 0.1.0
 * @category matching
 */
export const matches = (glob: string, path: string): boolean => {
  let re = globCache.get(glob)
  if (re === undefined) {
    const source = glob.split("**").map((part) =>
      part.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")
    ).join(".*")
    re = new RegExp(`^${source}$`)
    globCache.set(glob, re)
  }
  return re.test(path)
}

const initial: FaultState = { latencyMs: 0, latencyJitterMs: 0, scripts: [], commitDelayMs: 0 }

/**
 * A fresh fault state. `onTokenLifetime` receives `tokenLifetimeSeconds` settings.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (onTokenLifetime: (seconds: number) => Effect.Effect<void>): Effect.Effect<Faults["Type"]> =>
  Effect.map(Ref.make(initial), (ref) => {
    const set = (settings: FaultSettings) =>
      Effect.zipRight(
        Ref.update(ref, (s) => ({
          latencyMs: settings.latencyMs ?? s.latencyMs,
          latencyJitterMs: settings.latencyJitterMs ?? s.latencyJitterMs,
          random: settings.random ?? s.random,
          scripts: settings.scripts === undefined ? s.scripts : [...s.scripts, ...settings.scripts],
          commitDelayMs: settings.commitDelayMs ?? s.commitDelayMs
        })),
        settings.tokenLifetimeSeconds === undefined ? Effect.void : onTokenLifetime(settings.tokenLifetimeSeconds)
      )
    return {
      state: Ref.get(ref),
      set,
      script: (script) => set({ scripts: [script] }),
      clear: Ref.set(ref, initial),
      decide: (method, path) =>
        Effect.gen(function*() {
          const scripted = yield* Ref.modify(ref, (s): [Option.Option<Fault>, FaultState] => {
            const index = s.scripts.findIndex((script) =>
              script.times > 0 &&
              (script.method === undefined || script.method.toUpperCase() === method.toUpperCase()) &&
              matches(script.path, path)
            )
            if (index === -1) return [Option.none(), s]
            const script = s.scripts[index]!
            const scripts = s.scripts.slice()
            if (script.times <= 1) scripts.splice(index, 1)
            else scripts[index] = { ...script, times: script.times - 1 }
            return [Option.some(script.fault), { ...s, scripts }]
          })
          const s = yield* Ref.get(ref)
          const jitter = s.latencyJitterMs > 0 ? yield* Random.nextIntBetween(0, Math.floor(s.latencyJitterMs) + 1) : 0
          const delayMs = s.latencyMs + jitter
          if (Option.isSome(scripted)) return { delayMs, fault: scripted }
          if (s.random !== undefined && matches(s.random.path ?? "/v1/**", path)) {
            const draw = yield* Random.next
            if (draw < s.random.probability) return { delayMs, fault: Option.some(s.random.fault) }
          }
          return { delayMs, fault: Option.none() }
        })
    }
  })

/**
 * The HTML page Domo's edge answers with during maintenance or a bad gateway.
 *
 * @since 0.1.0
 * @category rendering
 */
export const maintenancePage = (status: number): string =>
  status === 503
    ? `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Domo is down for scheduled maintenance</title></head>
<body><h1>We'll be back soon</h1><p>Domo is currently undergoing scheduled maintenance. Please try again shortly.</p></body>
</html>
`
    : `<html>
<head><title>${status} Bad Gateway</title></head>
<body>
<center><h1>${status} Bad Gateway</h1></center>
</body>
</html>
`
