import { DomoTable, Streams, StreamUpload } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

const Sales = DomoTable.make("Sales", {
  region: DomoTable.string,
  units: DomoTable.long,
  price: DomoTable.double,
  day: DomoTable.date
})

// Rows come from anywhere as a Stream: a file, a database cursor, an API. Never all in memory.
const sales: Stream.Stream<DomoTable.Row<typeof Sales>> = Stream.range(1, 5_000_000).pipe(
  Stream.map((i) => ({
    region: i % 2 === 0 ? "West" : "East",
    units: i % 100,
    price: (i % 1000) / 10,
    day: new Date(Date.UTC(2026, 0, 1 + (i % 365)))
  }))
)

// Needs the `data` scope.
const program = Effect.gen(function*() {
  // the stream feeding the DataSet, or a new stream (and DataSet) made from the table
  const existing = yield* StreamUpload.findByDatasetId(process.env.SALES_DATASET_ID ?? "")
  const stream = Option.isSome(existing)
    ? existing.value
    : yield* StreamUpload.createForTable(Sales, { name: "Sales", mode: { updateMethod: "REPLACE" } })

  const result = yield* StreamUpload.replace(stream.id, StreamUpload.fromRows(Sales, sales), {
    partSize: 64 * 1024 * 1024, // CSV bytes per part, before gzip (default 10 MiB)
    concurrency: 4, // parts uploading at once (default 4)
    gzipLevel: 1, // default; "none" sends plain CSV
    onProgress: (event) =>
      event._tag === "PartUploaded"
        ? Console.log(`part ${event.partId}: ${event.rowsDone} rows, ${(event.sentBytesDone / 1e6).toFixed(1)} MB sent`)
        : Effect.void
  })
  yield* Console.log(`execution ${result.executionId}: ${result.rows} rows in ${result.parts} parts, committed`)
}).pipe(
  // nothing was committed unless `stage` is "verify"; `aborted` says whether Domo was told
  Effect.catchTag("StreamUploadError", (e) => Console.error(e.message))
)

const StreamsLive = Streams.layer.pipe(Layer.provideMerge(DomoNode.layer))

program.pipe(Effect.provide(StreamsLive), NodeRuntime.runMain)
