import type { Faults } from "@effect-domo/emulator"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Domo from "../src/Domo.js"
import { DomoAuth } from "../src/DomoAuth.js"
import * as DomoConfig from "../src/DomoConfig.js"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import * as LeakScanner from "./utils/LeakScanner.js"
import { installLeakScanner, record } from "./utils/LeakScanner.js"

installLeakScanner()

const DataSetList = Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String }))

/** an emulator plus the Domo layers pointed at it, built in the test's scope */
const start = (options: Emulator.EmulatorOptions & { readonly retry?: DomoConfig.RetryPolicyInput }) =>
  Effect.gen(function*() {
    yield* LeakScanner.observe
    const emulator = yield* Emulator.make(options).pipe(Effect.orDie)
    LeakScanner.registerSecret(Redacted.value(emulator.clientSecret))
    const context = yield* Layer.build(
      Domo.layer.pipe(
        Layer.provide(
          DomoConfig.layer({
            apiHost: emulator.url,
            clientId: emulator.clientId,
            clientSecret: emulator.clientSecret,
            scopes: ["data", "user"],
            retry: options.retry
          })
        ),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    )
    const auth = Context.get(context, DomoAuth)
    const renewed = yield* Ref.make(0)
    // every token the emulator issues is a secret the scanner looks for
    yield* auth.events.pipe(
      Stream.runForEach((event) =>
        event._tag === "Renewed"
          ? Effect.zipRight(
            Effect.sync(() => LeakScanner.registerSecret(Redacted.value(event.token.value))),
            Ref.update(renewed, (n) => n + 1)
          )
          : Effect.void
      ),
      Effect.forkScoped
    )
    yield* Effect.addFinalizer(() =>
      Effect.map(emulator.requestLog.entries, (entries) => {
        for (const entry of entries) {
          if (entry.token !== undefined) LeakScanner.registerSecret(Redacted.value(entry.token))
        }
      })
    )
    return { emulator, auth, client: Context.get(context, DomoHttpClient.DomoHttpClient), renewed }
  })

describe("against the emulator", () => {
  it.scopedLive("token fetch, a decoded call, 401 replay after revoke", () =>
    Effect.gen(function*() {
      const { auth, client, emulator } = yield* start({})
      const list = yield* client.get("/v1/datasets").pipe(Effect.flatMap(DomoHttpClient.schemaBodyJson(DataSetList)))
      expect(Array.isArray(list)).toBe(true)
      const token = yield* auth.token
      expect(token.scopes).toEqual(["data", "user"])
      expect(token.customer).toBe(emulator.customer)
      yield* emulator.revokeTokens("all").pipe(Effect.orDie)
      yield* client.get("/v1/datasets")
      const after = yield* auth.token
      expect(Redacted.value(after.value)).not.toBe(Redacted.value(token.value))
      const counters = yield* emulator.requestLog.counters
      expect(counters.tokenRequests).toBe(2)
    }))

  it.scopedLive("3-second tokens renew in the background: steady traffic never sees a 401", () =>
    Effect.gen(function*() {
      const { client, emulator, renewed } = yield* start({ tokenLifetimeSeconds: 3 })
      const started = Date.now()
      let failures = 0
      while (Date.now() - started < 8000) {
        const exit = yield* Effect.exit(client.get("/v1/datasets"))
        if (Exit.isFailure(exit)) {
          failures++
          record(exit)
        }
        yield* Effect.sleep("25 millis")
      }
      expect(failures).toBe(0)
      expect(yield* Ref.get(renewed)).toBeGreaterThanOrEqual(3)
      const entries = yield* emulator.requestLog.entries
      expect(entries.filter((e) => e.status === 401)).toEqual([])
    }))

  it.scopedLive("fault knobs: 429 with Retry-After, rate-limit 403, maintenance 503 are retried; a POST 502 is not", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* start({ retry: { backoffBase: "20 millis" } })
      yield* client.get("/v1/datasets")
      const script = (fault: Faults.Fault, method?: string) =>
        emulator.faults.script({ path: "/v1/datasets", times: 1, fault, ...(method ? { method } : {}) })
      yield* script({ _tag: "Status", status: 429, retryAfter: 1 })
      yield* script({ _tag: "RateLimited" })
      yield* script({ _tag: "Maintenance", status: 503 })
      const response = yield* client.get("/v1/datasets")
      expect(response.status).toBe(200)
      const entries = yield* emulator.requestLog.entries
      expect(entries.slice(-4).map((e) => e.status)).toEqual([429, 403, 503, 200])

      yield* script({ _tag: "Status", status: 502 }, "POST")
      const error = yield* Effect.flip(client.post("/v1/datasets"))
      record(error)
      expect(error).toMatchObject({ _tag: "ServerError", status: 502, method: "POST" })
      const posts = (yield* emulator.requestLog.entries).filter((e) => e.method === "POST")
      expect(posts).toHaveLength(1)
    }))

  it.scopedLive("bad credentials against the emulator: InvalidClientError, one token request", () =>
    Effect.gen(function*() {
      yield* LeakScanner.observe
      const emulator = yield* Emulator.make({}).pipe(Effect.orDie)
      const context = yield* Layer.build(
        Domo.layer.pipe(
          Layer.provide(
            DomoConfig.layer({
              apiHost: emulator.url,
              clientId: emulator.clientId,
              clientSecret: Redacted.make("nope")
            })
          ),
          Layer.provide(NodeHttpClient.layerUndici)
        )
      )
      const client = Context.get(context, DomoHttpClient.DomoHttpClient)
      const errors = yield* Effect.all(Array.from({ length: 50 }, () => Effect.flip(client.get("/v1/datasets"))), {
        concurrency: "unbounded"
      })
      record(errors[0])
      expect(new Set(errors.map((e) => e._tag))).toEqual(new Set(["InvalidClientError"]))
      expect((yield* emulator.requestLog.counters).tokenRequests).toBe(1)
    }))
})
