import { Datasets } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Datasets on undici, credentials from DOMO_CLIENT_ID / DOMO_CLIENT_SECRET.
const DatasetsLive = Datasets.layer.pipe(Layer.provide(DomoNode.layer))

// Lists lazily: one request of ≤ 50 per page, and only as far as the stream is pulled.
export const listSales = Effect.gen(function*() {
  const datasets = yield* Datasets.Datasets
  yield* datasets.list({ nameLike: "sales", sort: "lastUpdated" }).pipe(
    Stream.take(100),
    Stream.runForEach((ds) => Console.log(`${ds.id}  ${ds.name}  ${ds.rows} rows`))
  )
})

// Export to a file and import from one: bytes stream through, whatever the size.
export const copyData = (from: string, to: string) =>
  Effect.gen(function*() {
    const datasets = yield* Datasets.Datasets
    const fs = yield* FileSystem.FileSystem
    yield* datasets.exportCsv(from).pipe(Stream.run(fs.sink("export.csv")))
    yield* datasets.importCsv(to, fs.stream("export.csv"), { updateMethod: "REPLACE" })
  })

// SQL over a dataset: it is the table `table`.
export const topRegions = (id: string) =>
  Effect.gen(function*() {
    const datasets = yield* Datasets.Datasets
    const result = yield* datasets.query(id, "SELECT region, SUM(units) AS units FROM table GROUP BY region")
    for (const [region, units] of result.rows) yield* Console.log(`${region}: ${units}`)
  })

// Every failure is typed: an unknown id is a NotFoundError, a CSV Domo refuses a BadRequestError.
export const importOrExplain = (id: string, csv: string) =>
  Effect.flatMap(Datasets.Datasets, (datasets) => datasets.importCsv(id, csv)).pipe(
    Effect.catchTags({
      NotFoundError: () => Console.error(`no dataset ${id}`),
      BadRequestError: (e) => Console.error(`Domo refused the CSV: ${e.message}`)
    })
  )

listSales.pipe(Effect.provide(Layer.merge(DatasetsLive, NodeFileSystem.layer)), NodeRuntime.runMain)
