import { Datasets, Domo, DomoConfig, DomoTable } from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Tests run the real client against the emulator, a real Domo-like server on loopback.
const ConfigFromEmulator = Layer.effect(
  DomoConfig.DomoConfig,
  Effect.flatMap(
    Emulator.Emulator,
    (emulator) =>
      DomoConfig.make({ apiHost: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret })
  )
)

export const TestDatasets = Datasets.layer.pipe(
  Layer.provideMerge(Domo.layer),
  Layer.provideMerge(ConfigFromEmulator),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provideMerge(Emulator.layer({ seed: 1 }))
)

const Counts = DomoTable.make("Counts", { key: DomoTable.string, n: DomoTable.long })

export const roundTrip = Effect.gen(function*() {
  const datasets = yield* Datasets.Datasets
  const ds = yield* datasets.createFromTable(Counts)
  yield* datasets.importRows(Counts, ds.id, [{ key: "a", n: 1 }, { key: "b", n: 2 }])
  return yield* Stream.runCollect(datasets.exportRows(Counts, ds.id))
}).pipe(Effect.provide(TestDatasets))
