import { Datasets, Domo, DomoAuth, DomoConfig } from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

// The face users' own specs use: the emulator plus the matching DomoConfig, the client on top.
const TestDomo = Datasets.layer.pipe(
  Layer.provideMerge(Domo.layer),
  Layer.provideMerge(Emulator.layerWithConfig({ requestScopes: ["data"] })),
  Layer.provide(NodeHttpClient.layerUndici)
)

describe("Emulator.layerWithConfig", () => {
  layer(TestDomo, { excludeTestServices: true })((it) => {
    it.effect("provides a DomoConfig pointing at the running emulator and its demo client", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const config = yield* DomoConfig.DomoConfig
        expect(config.apiHost).toBe(emulator.url)
        expect(config.clientId).toBe(emulator.clientId)
        expect(Redacted.value(config.clientSecret)).toBe(Redacted.value(emulator.clientSecret))
        expect(config.scopes).toEqual(["data"])
      }))

    it.effect("the client stack built on it talks to the emulator", () =>
      Effect.gen(function*() {
        const datasets = yield* Datasets.Datasets
        const created = yield* datasets.create({
          name: "layerWithConfig",
          schema: { columns: [{ type: "STRING", name: "a" }] }
        })
        const fetched = yield* datasets.get(created.id)
        expect(fetched.name).toBe("layerWithConfig")
        const token = yield* (yield* DomoAuth.DomoAuth).token
        expect(token.scopes).toEqual(["data"])
        const log = yield* (yield* Emulator.Emulator).requestLog.counters
        expect(log.tokenRequests).toBeGreaterThanOrEqual(1)
      }))
  })
})
