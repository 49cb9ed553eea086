/**
 * CSV bytes into a SQLite table, row by row as they stream in: parsed, checked against the
 * column types with Domo's messages, converted, and inserted in multi-row statements. Used by
 * DataSet imports (into a staging table) and Stream parts (into a part table).
 *
 * @internal
 */
import type { DataSetModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Csv from "../Csv.js"
import { badRequest, type DomoFailure } from "../DomoError.js"
import * as Values from "../Values.js"
import { quoteId } from "./tables.js"

const invalidCsv = (detail: string) => badRequest(`Invalid CSV provided during upload. msg=${detail}`)

/**
 * Loads header-less CSV bytes into `table`, created with `columns`, whose last
 * `fixed.length` columns get `fixed` on every row. Rows are checked as they are read (Domo's
 * messages, the row and column named); the first bad row fails the load, after the rest of the
 * body has been read. The caller drops the table on failure.
 *
 * @internal
 */
export const loadCsv = <E>(
  table: string,
  columns: ReadonlyArray<DataSetModels.Column>,
  body: Stream.Stream<Uint8Array, E>,
  fixed: ReadonlyArray<string | number | null>
): Effect.Effect<{ readonly rows: number }, E | SqlError.SqlError | DomoFailure, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const expected = columns.length - fixed.length
    const width = Math.max(columns.length, 1)
    const batchRows = Math.max(1, Math.min(4000, Math.floor(32_000 / width)))
    const insertPrefix = `INSERT INTO ${quoteId(table)} VALUES `
    const placeholder = `(${Array.from({ length: width }, () => "?").join(",")})`
    let count = 0
    let batch: Array<unknown> = []
    let batchCount = 0
    // Full batches wait here as statements: a chunk of the body can hold many batches' worth of
    // rows, and one statement must stay under SQLite's limit on bound variables.
    let full: Array<{ readonly text: string; readonly params: Array<unknown> }> = []
    const seal = () => {
      if (batchCount === 0) return
      full.push({ text: insertPrefix + Array.from({ length: batchCount }, () => placeholder).join(","), params: batch })
      batch = []
      batchCount = 0
    }
    const flush: Effect.Effect<void, SqlError.SqlError | DomoFailure> = Effect.suspend(() => {
      seal()
      return writeFull
    })
    const writeFull: Effect.Effect<void, SqlError.SqlError> = Effect.suspend(() => {
      const statements = full
      full = []
      return Effect.forEach(statements, ({ params, text }) => sql.unsafe(text, params), { discard: true })
    })
    const converters = columns.map((column) => Values.converter(column.type))
    const parser = new Csv.Parser()
    const decoder = new TextDecoder("utf-8")
    const accept = (
      rows: Array<Array<Csv.Field>>,
      firstRow: number
    ): Effect.Effect<void, DomoFailure | SqlError.SqlError> =>
      Effect.suspend((): Effect.Effect<void, DomoFailure | SqlError.SqlError> => {
        for (let r = 0; r < rows.length; r++) {
          const fields = rows[r]!
          const rowNumber = firstRow + r
          if (fields.length > expected) {
            return Effect.fail(invalidCsv(
              `There are too many columns. Expected ${expected}. Row ${rowNumber}, column ${expected + 1}.`
            ))
          }
          if (fields.length < expected) {
            return Effect.fail(invalidCsv(
              `There are too few columns. Expected ${expected}. Row ${rowNumber}, column ${fields.length + 1}.`
            ))
          }
          for (let c = 0; c < expected; c++) {
            const value = converters[c]!(fields[c]!)
            if (value !== null && typeof value === "object") {
              return Effect.fail(invalidCsv(`${value.error}. Row ${rowNumber}, column ${c + 1}.`))
            }
            batch.push(value)
          }
          for (const value of fixed) batch.push(value)
          if (columns.length === 0) batch.push(null)
          batchCount++
          count++
          if (batchCount >= batchRows) seal()
        }
        return writeFull
      })
    const feed = (text: string) =>
      Effect.suspend(() => {
        const first = parser.currentRow
        try {
          const rows = text === "" ? parser.end() : parser.push(text)
          return accept(rows, first)
        } catch (e) {
          return Effect.fail(invalidCsv(e instanceof Csv.CsvSyntaxError ? e.message : String(e)))
        }
      })
    // After the first bad row the rest of the body is still read (and ignored): answering
    // before the client has sent everything would cut its connection.
    let failure: DomoFailure | undefined
    const guarded = (text: string) =>
      failure !== undefined ? Effect.void : Effect.catchTag(feed(text), "DomoFailure", (e) =>
        Effect.sync(() => {
          failure = e
        }))
    const load = Effect.gen(function*() {
      yield* Stream.runForEach(body, (chunk) => guarded(decoder.decode(chunk, { stream: true })))
      const tail = decoder.decode()
      if (tail !== "") yield* guarded(tail)
      yield* guarded("")
      if (failure !== undefined) return yield* failure
      yield* flush
    })
    yield* load
    return { rows: count }
  })
