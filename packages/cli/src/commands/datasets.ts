/**
 * `domo datasets …`: list, get, create, update, delete, import (CSV from a file or stdin),
 * export (CSV to a file or stdout, streamed), query (SQL), and `policies` (PDP).
 *
 * @since 0.1.0
 */
import { type DataSetModels, Datasets, DomoTable } from "@effect-domo/client"
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
import { policies } from "./policies.js"

const common = { json: Output.json }

const datasetId = Args.text({ name: "dataset-id" }).pipe(Args.withDescription("the DataSet id (a UUID)"))

/**
 * Parses `name:TYPE,name:TYPE` (types: STRING, LONG, DOUBLE, DECIMAL, DATE, DATETIME).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseSchema = (text: string): Effect.Effect<DataSetModels.DataSetSchema, ErrorReport.InputError> =>
  Effect.suspend(() => {
    const columns: Array<{ name: string; type: DomoTable.ColumnType }> = []
    for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
      const at = item.lastIndexOf(":")
      const name = at < 0 ? item : item.slice(0, at).trim()
      const type = at < 0 ? "STRING" : item.slice(at + 1).trim().toUpperCase()
      if (name === "") {
        return Effect.fail(new ErrorReport.InputError({ reason: `--schema: empty column name in "${item}"` }))
      }
      if (!DomoTable.ColumnType.literals.some((t) => t === type)) {
        return Effect.fail(
          new ErrorReport.InputError({
            reason: `--schema: column "${name}" has the unknown type ${type} (use ${
              DomoTable.ColumnType.literals.join(", ")
            })`
          })
        )
      }
      columns.push({ name, type: type as DomoTable.ColumnType })
    }
    return columns.length === 0
      ? Effect.fail(
        new ErrorReport.InputError({ reason: "--schema: no columns (e.g. --schema \"id:LONG,name:STRING\")" })
      )
      : Effect.succeed({ columns })
  })

const summaryRow = (d: DataSetModels.DataSetSummary) => ({
  id: d.id,
  name: d.name,
  rows: d.rows,
  columns: d.columns,
  pdp: d.pdpEnabled ?? false,
  updated: d.updatedAt ?? ""
})

const describeDataSet = (d: DataSetModels.DataSet): string =>
  [
    Output.record({
      id: d.id,
      name: d.name,
      description: d.description ?? "",
      rows: d.rows,
      columns: d.columns,
      owner: d.owner === undefined ? "" : `${d.owner.name ?? ""} (${d.owner.id})`,
      pdpEnabled: d.pdpEnabled ?? false,
      policies: d.policies?.length ?? 0,
      createdAt: d.createdAt ?? "",
      updatedAt: d.updatedAt ?? ""
    }),
    ...(d.schema === undefined
      ? []
      : ["", Output.table(d.schema.columns.map((c) => ({ column: c.name, type: c.type })))])
  ].join("\n")

const list = Command.make(
  "list",
  {
    ...common,
    limit: Options.integer("limit").pipe(Options.withDescription("at most this many DataSets"), Options.optional),
    offset: Options.integer("offset").pipe(Options.withDescription("skip this many first"), Options.withDefault(0)),
    nameLike: Options.text("name-like").pipe(
      Options.withDescription("only names containing this text (case-insensitive)"),
      Options.optional
    ),
    sort: Options.text("sort").pipe(Options.withDescription("Domo's sort, e.g. name, -lastUpdated"), Options.optional)
  },
  (args) =>
    Effect.gen(function*() {
      const datasets = yield* Datasets.Datasets
      const all = datasets.list({
        offset: args.offset,
        nameLike: Option.getOrUndefined(args.nameLike),
        sort: Option.getOrUndefined(args.sort) as DataSetModels.DataSetSort | undefined
      })
      const items = yield* Stream.runCollect(
        Option.match(args.limit, { onNone: () => all, onSome: (n) => Stream.take(all, n) })
      )
      const array = Array.from(items)
      yield* Output.print(args.json, array, (xs) => Output.table(xs.map(summaryRow)))
    }).pipe(Connection.provide)
).pipe(Command.withDescription("List DataSets (a table; --json: an array)."))

const get = Command.make(
  "get",
  { ...common, id: datasetId },
  (args) =>
    Effect.flatMap(Datasets.Datasets, (d) => d.get(args.id)).pipe(
      Effect.flatMap((d) => Output.print(args.json, d, describeDataSet)),
      Connection.provide
    )
).pipe(Command.withDescription("Show one DataSet: its fields, schema and PDP state."))

const create = Command.make(
  "create",
  {
    ...common,
    name: Options.text("name").pipe(Options.withDescription("the DataSet's name")),
    description: Options.text("description").pipe(Options.optional),
    schema: Options.text("schema").pipe(
      Options.withDescription("columns as name:TYPE,… (STRING, LONG, DOUBLE, DECIMAL, DATE, DATETIME)")
    )
  },
  (args) =>
    Effect.gen(function*() {
      const schema = yield* parseSchema(args.schema)
      const datasets = yield* Datasets.Datasets
      const created = yield* datasets.create({
        name: args.name,
        description: Option.getOrUndefined(args.description),
        schema
      })
      yield* Output.print(args.json, created, (d) => `created DataSet ${d.id}\n${describeDataSet(d)}`)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Create a DataSet with a schema: --name Sales --schema \"id:LONG,region:STRING\"."))

const update = Command.make(
  "update",
  {
    ...common,
    id: datasetId,
    name: Options.text("name").pipe(Options.optional),
    description: Options.text("description").pipe(Options.optional),
    pdp: Options.choice("pdp", ["on", "off"]).pipe(
      Options.withDescription("turn personalized data permissions on or off"),
      Options.optional
    ),
    schema: Options.text("schema").pipe(Options.withDescription("replace the schema (name:TYPE,…)"), Options.optional)
  },
  (args) =>
    Effect.gen(function*() {
      const schema = Option.isSome(args.schema) ? yield* parseSchema(args.schema.value) : undefined
      const datasets = yield* Datasets.Datasets
      const updated = yield* datasets.update(args.id, {
        name: Option.getOrUndefined(args.name),
        description: Option.getOrUndefined(args.description),
        pdpEnabled: Option.getOrUndefined(Option.map(args.pdp, (p) => p === "on")),
        schema
      })
      yield* Output.print(args.json, updated, (d) => `updated DataSet ${d.id}\n${describeDataSet(d)}`)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Update a DataSet's name, description, PDP switch or schema."))

const del = Command.make(
  "delete",
  { ...common, id: datasetId },
  (args) =>
    Effect.flatMap(Datasets.Datasets, (d) => d.delete(args.id)).pipe(
      Effect.zipRight(Output.print(args.json, { deleted: args.id }, () => `deleted DataSet ${args.id}`)),
      Connection.provide
    )
).pipe(Command.withDescription("Delete a DataSet (irreversible)."))

const fileArg = (what: string) =>
  Args.file({ name: "file", exists: "either" }).pipe(Args.withDescription(what), Args.optional)

const importCmd = Command.make(
  "import",
  {
    ...common,
    id: datasetId,
    file: fileArg("CSV file to import (default: stdin; - for stdin)"),
    append: Options.boolean("append").pipe(Options.withDescription("append instead of replacing the rows")),
    header: Options.boolean("header").pipe(Options.withDescription("the CSV's first line is a header row"))
  },
  (args) =>
    Effect.scoped(Effect.gen(function*() {
      const source = yield* Io.input(args.file)
      if (Io.stdinIsTerminal(args.file)) {
        return yield* new ErrorReport.InputError({ reason: "no CSV given: pass a file or pipe the CSV into stdin" })
      }
      const datasets = yield* Datasets.Datasets
      // the live schema as a table: every row is checked here, before Domo sees it
      const table = yield* datasets.table(args.id)
      const tracker = yield* Progress.make("import", { bytes: source.size })
      const rows = source.bytes.pipe(
        Progress.countBytes(tracker),
        DomoTable.decodeCsv(table, { header: args.header }),
        Progress.countRows(tracker)
      )
      yield* datasets.importRows(table, args.id, rows, {
        updateMethod: args.append ? "APPEND" : "REPLACE",
        check: false
      })
      const done = yield* tracker.snapshot
      yield* Output.print(
        args.json,
        { datasetId: args.id, rows: done.rows, bytes: done.bytes, updateMethod: args.append ? "APPEND" : "REPLACE" },
        (r) =>
          `imported ${Progress.formatCount(r.rows)} rows (${Progress.formatBytes(r.bytes)}) into ${r.datasetId} in ${
            Progress.formatDuration(done.elapsed)
          }`
      )
    })).pipe(Connection.provide)
).pipe(
  Command.withDescription(
    "Import header-less CSV (or --header) from a file or stdin, checked against the DataSet's schema first."
  )
)

const exportCmd = Command.make(
  "export",
  {
    id: datasetId,
    output: Options.file("output").pipe(
      Options.withAlias("o"),
      Options.withDescription("write to this file (default: stdout)"),
      Options.optional
    ),
    header: Options.boolean("header").pipe(Options.withDescription("start with a header row"))
  },
  (args) =>
    Effect.scoped(Effect.gen(function*() {
      const datasets = yield* Datasets.Datasets
      const dataset = yield* datasets.get(args.id)
      // a bar on a terminal's stderr, unless the CSV itself is going to that terminal
      const tracker = yield* Progress.make("export", { rows: dataset.rows }, {
        draw: Progress.enabled() && (Option.isSome(args.output) || process.stdout.isTTY !== true)
      })
      yield* datasets.exportCsv(args.id, { includeHeader: args.header }).pipe(
        Progress.countBytes(tracker),
        Stream.tap((chunk) => tracker.addRows(countNewlines(chunk))),
        Stream.run(Io.output(args.output))
      )
      if (Option.isSome(args.output)) {
        const done = yield* tracker.snapshot
        process.stderr.write(
          `exported ${Progress.formatBytes(done.bytes)} to ${args.output.value} in ${
            Progress.formatDuration(done.elapsed)
          }\n`
        )
      }
    })).pipe(Connection.provide)
).pipe(Command.withDescription("Export a DataSet as CSV to a file or stdout, streamed."))

const countNewlines = (chunk: Uint8Array): number => {
  let n = 0
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++
  return n
}

const query = Command.make(
  "query",
  {
    ...common,
    id: datasetId,
    sql: Args.text({ name: "sql" }).pipe(Args.withDescription("SQL over the DataSet, which is the table `table`"))
  },
  (args) =>
    Effect.gen(function*() {
      const datasets = yield* Datasets.Datasets
      const result = yield* datasets.query(args.id, args.sql)
      const rows = result.rows.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])))
      yield* Output.rows(args.json, Stream.fromIterable(rows), result.columns)
    }).pipe(Connection.provide)
).pipe(
  Command.withDescription(
    "Run SQL against a DataSet: domo datasets query <id> \"SELECT region, COUNT(*) FROM table GROUP BY region\""
  )
)

/**
 * `domo datasets`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("datasets").pipe(
  Command.withDescription("DataSets: list, get, create, update, delete, import, export, query, policies."),
  Command.withSubcommands([list, get, create, update, del, importCmd, exportCmd, query, policies])
)
