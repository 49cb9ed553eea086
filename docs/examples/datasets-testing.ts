import { Datasets, DomoTable } from "@effect-domo/client"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

const Counts = DomoTable.make("Counts", { key: DomoTable.string, n: DomoTable.long })

// In memory: no server, the same behaviour and typed errors (SQL limited to SELECT * FROM table).
export const spec = Effect.gen(function*() {
  const datasets = yield* Datasets.Datasets
  const ds = yield* datasets.createFromTable(Counts)
  yield* datasets.importRows(Counts, ds.id, [{ key: "a", n: 1 }, { key: "b", n: 2 }])
  const rows = yield* Stream.runCollect(datasets.exportRows(Counts, ds.id))
  const missing = yield* Effect.flip(datasets.get("no-such-id"))
  return { rows, missing: missing._tag } // missing: "NotFoundError"
}).pipe(Effect.provide(Datasets.layerTest))
