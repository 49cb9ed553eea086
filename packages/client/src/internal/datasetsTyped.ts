/**
 * The typed conveniences of `Datasets` (`importRows`, `exportRows`, `queryRows`,
 * `createFromTable`, `checkTable`, `table`), written once on top of the wire operations: the
 * HTTP service and the in-memory one (`layerTest`) both get them from here.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { Datasets, ImportRowsOptions, RowsInput } from "../Datasets.js"
import * as DomoTable from "../DomoTable.js"

const isRowStream = <A, E>(rows: RowsInput<A, E>): rows is Stream.Stream<A, E> =>
  typeof rows === "object" && rows !== null && Stream.StreamTypeId in rows

/** @internal */
export const complete = (base: Datasets.Base): Datasets.Service => {
  const { create, exportCsv, get, importCsv, query } = base

  const queryRows = <T extends DomoTable.DomoTable.Any>(table: T, id: string, sql: string) =>
    Effect.flatMap(query(id, sql), (result) => DomoTable.decodeQueryRows(table, result)).pipe(
      Effect.withSpan("Datasets.queryRows")
    )

  const createFromTable = Effect.fn("Datasets.createFromTable")(
    function*(
      table: DomoTable.DomoTable.Any,
      options?: { readonly name?: string | undefined; readonly description?: string | undefined }
    ) {
      return yield* create({
        name: options?.name ?? table.name,
        description: options?.description,
        schema: table.domoSchema
      })
    }
  )

  const checkTable = Effect.fn("Datasets.checkTable")(function*(table: DomoTable.DomoTable.Any, id: string) {
    const dataset = yield* get(id)
    yield* DomoTable.check(table, dataset.schema ?? { columns: [] }, id)
    return dataset
  })

  const table = Effect.fn("Datasets.table")(
    function*(id: string, options?: { readonly longAs?: "number" | "bigint" | undefined }) {
      const dataset = yield* get(id)
      return yield* DomoTable.fromDomoSchema(dataset.name, dataset.schema ?? { columns: [] }, options)
    }
  )

  const importRows = <T extends DomoTable.DomoTable.Any, E = never>(
    table: T,
    id: string,
    rows: RowsInput<DomoTable.Row<T>, E>,
    options?: ImportRowsOptions
  ) =>
    Effect.gen(function*() {
      if (options?.check !== false) yield* checkTable(table, id)
      const stream: Stream.Stream<DomoTable.Row<T>, E> = isRowStream(rows) ? rows : Stream.fromIterable(rows)
      yield* importCsv(id, stream.pipe(DomoTable.encodeCsv(table)), options)
    }).pipe(Effect.withSpan("Datasets.importRows", { attributes: { "domo.dataset.id": id } }))

  const exportRows = <T extends DomoTable.DomoTable.Any>(table: T, id: string) =>
    Stream.unwrap(Effect.as(
      checkTable(table, id),
      exportCsv(id, { includeHeader: true }).pipe(
        DomoTable.decodeCsv(table, { header: true })
      )
    )).pipe(Stream.withSpan("Datasets.exportRows", { attributes: { "domo.dataset.id": id } }))

  return {
    ...base,
    queryRows,
    createFromTable,
    checkTable,
    table,
    importRows,
    exportRows
  }
}
