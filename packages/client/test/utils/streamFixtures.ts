/** Fixtures of the Streams tests: a table, lazily generated rows, the client on an emulator, exports. */
import { Emulator, type Faults } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import * as Domo from "../../src/Domo.js"
import * as DomoConfig from "../../src/DomoConfig.js"
import { DomoHttpClient } from "../../src/DomoHttpClient.js"
import * as DomoTable from "../../src/DomoTable.js"
import * as Streams from "../../src/Streams.js"
import * as StreamUpload from "../../src/StreamUpload.js"

export const Item = DomoTable.make("Item", {
  id: DomoTable.long,
  name: DomoTable.string,
  note: DomoTable.nullable(DomoTable.string)
})
export type Item = DomoTable.Row<typeof Item>

export const item = (i: number): Item => ({
  id: i,
  name: i % 11 === 0 ? `name, "${i}"\nsecond line` : `name ${i}`,
  note: i % 3 === 0 ? null : "ü"
})

/** n rows, generated lazily (never all in memory) */
export const items = (n: number, from = 0): Stream.Stream<Item> =>
  Stream.range(from, from + n - 1, 4096).pipe(Stream.map(item))

export const PART_PATH = "/v1/streams/*/executions/*/part/*"

/** the client on an emulator: Streams + Domo.layer, fast retries */
export const testLayer = (options?: Emulator.EmulatorOptions) =>
  Streams.layer.pipe(
    Layer.provideMerge(Domo.layer),
    Layer.provide(Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
      DomoConfig.layer({
        apiHost: emulator.url,
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        retry: { backoffBase: "1 millis", backoffCap: "10 millis", budgetMinRetries: 1000 }
      })))),
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provideMerge(Emulator.layer(options))
  )

/** the DataSet's rows as Domo exports them (header-less CSV) */
export const exportCsv = (datasetId: string) =>
  Effect.gen(function*() {
    const client = yield* DomoHttpClient
    const response = yield* client.execute(
      HttpClientRequest.get(`/v1/datasets/${datasetId}/data`, { urlParams: { includeHeader: "false" } }).pipe(
        HttpClientRequest.setHeader("accept", "text/csv")
      )
    )
    return yield* response.text
  })

/** the DataSet's rows without the batch columns Domo adds, as the table's CSV */
export const ItemExport = DomoTable.make("ItemExport", {
  ...Item.fields,
  _BATCH_ID_: DomoTable.long,
  _BATCH_LAST_RUN_: DomoTable.datetime
})
export const exportItems = (datasetId: string) =>
  Effect.map(exportCsv(datasetId), (text) =>
    Either.getOrThrow(DomoTable.formatCsv(
      Item,
      Either.getOrThrow(DomoTable.parseCsv(ItemExport, text)).map(({ id, name, note }) => ({ id, name, note }))
    )))

export const sha256 = (text: string) => Crypto.createHash("sha256").update(text).digest("hex")

/** what the encoder makes of these rows, hashed without holding it all */
export const expectedCsv = (rows: Stream.Stream<Item>) =>
  rows.pipe(
    DomoTable.encodeCsv(Item),
    Stream.runFold(Crypto.createHash("sha256"), (hash, bytes) => hash.update(bytes)),
    Effect.map((hash) => hash.digest("hex"))
  )

export const newStream = (mode?: StreamUpload.Mode) =>
  StreamUpload.createForTable(Item, { name: `items ${Crypto.randomUUID()}`, mode })

/** part ids of the part uploads the emulator answered 200, for one execution */
export const partIds = (streamId: number, executionId: number) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const entries = yield* emulator.requestLog.entries
    const prefix = `/v1/streams/${streamId}/executions/${executionId}/part/`
    return entries.filter((e) => e.method === "PUT" && e.path.startsWith(prefix))
  })

/** the next `times` part uploads get `fault` */
export const failingParts = (times: number, fault: Faults.Fault) =>
  Effect.flatMap(
    Emulator.Emulator,
    (emulator) => emulator.faults.script({ method: "PUT", path: PART_PATH, times, fault })
  )
