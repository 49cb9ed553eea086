import { Domo, DomoConfig, DomoHttpClient } from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

// DomoConfig pointed at a running emulator (http is allowed for loopback hosts only).
const ConfigFromEmulator = Layer.effect(
  DomoConfig.DomoConfig,
  Effect.flatMap(Emulator.Emulator, (emulator) =>
    DomoConfig.make({
      apiHost: emulator.url,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      // short waits keep tests fast
      retry: { backoffBase: "10 millis", maxRetryAfter: "5 seconds" }
    }))
)

export const TestDomo = Domo.layer.pipe(
  Layer.provideMerge(ConfigFromEmulator),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provideMerge(Emulator.layer({ seed: 1, tokenLifetimeSeconds: 60 }))
)

export const listOnce = Effect.gen(function*() {
  const domo = yield* DomoHttpClient.DomoHttpClient
  const emulator = yield* Emulator.Emulator
  // a fault on the next call: the client waits the Retry-After and retries
  yield* emulator.faults.script({
    path: "/v1/datasets",
    times: 1,
    fault: { _tag: "Status", status: 429, retryAfter: 1 }
  })
  return yield* domo.get("/v1/datasets")
}).pipe(Effect.provide(TestDomo), Effect.scoped)
