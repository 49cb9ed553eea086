/**
 * `domo streams …`: list, get, create, executions, and `upload` (CSV from a file or stdin through
 * the Stream API: split in parts, gzipped, uploaded in parallel, committed all or nothing).
 *
 * @since 0.1.0
 */
import { Streams, StreamUpload } from "@effect-domo/client"
import type { StreamModels } from "@effect-domo/client"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Connection from "../Connection.js"
import * as ErrorReport from "../ErrorReport.js"
import * as Io from "../internal/io.js"
import * as Output from "../Output.js"
import * as Progress from "../Progress.js"
import { parseSchema } from "./datasets.js"

const common = { json: Output.json }
const streamId = Args.integer({ name: "stream-id" }).pipe(Args.withDescription("the stream id"))

const streamRow = (s: StreamModels.Stream) => ({
  id: s.id,
  dataset: s.dataSet.id,
  name: s.dataSet.name ?? "",
  method: s.updateMethod,
  rows: s.dataSet.rows ?? 0,
  last: s.lastExecution === undefined || s.lastExecution === null
    ? ""
    : `${s.lastExecution.id} ${s.lastExecution.currentState}`
})

/**
 * One line per execution, for tables.
 *
 * @since 0.1.0
 * @category formatting
 */
export const executionRow = (e: StreamModels.Execution) => ({
  id: e.id,
  state: e.currentState,
  method: e.updateMethod ?? "",
  rows: e.rows ?? null,
  bytes: e.bytes ?? null,
  started: e.startedAt ?? "",
  ended: e.endedAt ?? ""
})

const list = Command.make(
  "list",
  {
    ...common,
    limit: Options.integer("limit").pipe(Options.withDescription("at most this many streams"), Options.optional)
  },
  (args) =>
    Effect.gen(function*() {
      const streams = yield* Streams.Streams
      const all = streams.list()
      const items = yield* Stream.runCollect(
        Option.match(args.limit, { onNone: () => all, onSome: (n) => Stream.take(all, n) })
      )
      yield* Output.print(args.json, Array.from(items), (xs) => Output.table(xs.map(streamRow)))
    }).pipe(Connection.provide)
).pipe(Command.withDescription("List streams (a table; --json: an array)."))

const get = Command.make(
  "get",
  { ...common, id: streamId },
  (args) =>
    Effect.flatMap(Streams.Streams, (s) => s.get(args.id)).pipe(
      Effect.flatMap((s) => Output.print(args.json, s, (x) => Output.record(streamRow(x)))),
      Connection.provide
    )
).pipe(Command.withDescription("Show one stream and its DataSet."))

const create = Command.make(
  "create",
  {
    ...common,
    name: Options.text("name").pipe(Options.withDescription("name of the stream's DataSet")),
    description: Options.text("description").pipe(Options.optional),
    schema: Options.text("schema").pipe(Options.withDescription("columns as name:TYPE,…")),
    updateMethod: Options.choice("update-method", ["REPLACE", "APPEND"]).pipe(Options.withDefault("REPLACE"))
  },
  (args) =>
    Effect.gen(function*() {
      const schema = yield* parseSchema(args.schema)
      const streams = yield* Streams.Streams
      const created = yield* streams.create({
        dataSet: { name: args.name, description: Option.getOrUndefined(args.description), schema },
        updateMethod: args.updateMethod
      })
      yield* Output.print(args.json, created, (s) => `created stream ${s.id}\n${Output.record(streamRow(s))}`)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Create a stream and its DataSet: --name Sales --schema \"id:LONG,region:STRING\"."))

const executions = Command.make(
  "executions",
  { ...common, id: streamId, limit: Options.integer("limit").pipe(Options.withDefault(50)) },
  (args) =>
    Effect.gen(function*() {
      const streams = yield* Streams.Streams
      const items = yield* Stream.runCollect(Stream.take(streams.listExecutions(args.id), args.limit))
      yield* Output.print(args.json, Array.from(items), (xs) => Output.table(xs.map(executionRow)))
    }).pipe(Connection.provide)
).pipe(Command.withDescription("List a stream's executions."))

const upload = Command.make(
  "upload",
  {
    ...common,
    id: streamId,
    file: Args.file({ name: "file", exists: "either" }).pipe(
      Args.withDescription("CSV file to upload (default: stdin; - for stdin)"),
      Args.optional
    ),
    header: Options.boolean("header").pipe(Options.withDescription("the CSV's first line is a header row")),
    updateMethod: Options.choice("update-method", ["REPLACE", "APPEND"]).pipe(
      Options.withDescription("this upload's update method (default: the stream's)"),
      Options.optional
    ),
    partSize: Options.integer("part-size-mb").pipe(
      Options.withDescription("MiB of CSV per part, before gzip (default 10; Domo advises 10–100 MB)"),
      Options.optional
    ),
    concurrency: Options.integer("concurrency").pipe(
      Options.withDescription("parts uploading at once (default 4)"),
      Options.optional
    )
  },
  (args) =>
    Effect.scoped(Effect.gen(function*() {
      const source = yield* Io.input(args.file)
      if (Io.stdinIsTerminal(args.file)) {
        return yield* new ErrorReport.InputError({ reason: "no CSV given: pass a file or pipe the CSV into stdin" })
      }
      const tracker = yield* Progress.make("upload", { bytes: source.size })
      const result = yield* StreamUpload.upload(
        args.id,
        StreamUpload.fromCsv(source.bytes.pipe(Progress.countBytes(tracker)), { header: args.header }),
        {
          updateMethod: Option.getOrUndefined(args.updateMethod),
          partSize: Option.getOrUndefined(Option.map(args.partSize, (mb) => mb * 1024 * 1024)),
          concurrency: Option.getOrUndefined(args.concurrency),
          onProgress: (event) =>
            event._tag === "PartUploaded"
              ? Effect.zipRight(tracker.addParts(1), tracker.addRows(event.rows))
              : Effect.void
        }
      )
      const done = yield* tracker.snapshot
      yield* Output.print(
        args.json,
        result,
        (r) =>
          `uploaded ${Progress.formatCount(r.rows)} rows (${Progress.formatBytes(r.bytes)}, ${r.parts} parts, ${
            Progress.formatBytes(r.sentBytes)
          } sent) to stream ${r.streamId}, execution ${r.executionId} ${r.execution.currentState} in ${
            Progress.formatDuration(done.elapsed)
          }`
      )
    })).pipe(Connection.provide)
).pipe(
  Command.withDescription(
    "Upload CSV (a file or stdin) through the Stream API: parts gzipped and uploaded in parallel, then " +
      "committed; anything failing aborts the execution and nothing is committed."
  )
)

/**
 * `domo streams`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("streams").pipe(
  Command.withDescription("Streams (large uploads): list, get, create, executions, upload."),
  Command.withSubcommands([list, get, create, executions, upload])
)
