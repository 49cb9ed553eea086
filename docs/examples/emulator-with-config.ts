import { Datasets, Domo } from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

// The emulator plus a matching DomoConfig: the client stack goes on top, as in production.
const TestDomo = Datasets.layer.pipe(
  Layer.provideMerge(Domo.layer),
  Layer.provideMerge(Emulator.layerWithConfig({ tokenLifetimeSeconds: 5 })),
  Layer.provide(NodeHttpClient.layerUndici)
)

const program = Effect.gen(function*() {
  const datasets = yield* Datasets.Datasets
  const created = yield* datasets.create({ name: "Sales", schema: { columns: [{ type: "STRING", name: "region" }] } })
  console.log(created.id)
})

program.pipe(Effect.provide(TestDomo), Effect.runPromise)
