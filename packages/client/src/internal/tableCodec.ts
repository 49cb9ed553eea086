/**
 * The CSV and query-result codecs of a `DomoTable` (the public, documented entry points are in
 * `DomoTable`; this module holds their bodies).
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type * as DomoTable from "../DomoTable.js"
import * as Codecs from "./columnCodecs.js"
import { Decoder, Encoder, RowFailure, type Step } from "./csvCodec.js"
import * as StatefulStream from "./statefulStream.js"
import { CsvDecodeError, CsvEncodeError } from "./tableErrors.js"

const specs = (table: DomoTable.DomoTable.Any) =>
  table.columns.map((c) => ({ ...c, fromText: table.fields[c.name].fromText, toText: table.fields[c.name].toText }))

const toDecodeError = (table: DomoTable.DomoTable.Any, e: RowFailure) =>
  new CsvDecodeError({ table: table.name, row: e.row, column: e.column, value: e.value, reason: e.reason })

const toEncodeError = (table: DomoTable.DomoTable.Any, e: RowFailure) =>
  new CsvEncodeError({ table: table.name, row: e.row, column: e.column, value: e.value, reason: e.reason })

const encoderMachine = (table: DomoTable.DomoTable.Any, options: DomoTable.CsvOptions | undefined) => () => {
  const encoder = new Encoder(specs(table), options?.header === true)
  const run = (f: (out: Array<Uint8Array>) => void) => {
    const out: Array<Uint8Array> = []
    try {
      f(out)
      return { out }
    } catch (error) {
      if (error instanceof RowFailure) return { out, error: toEncodeError(table, error) }
      throw error
    }
  }
  return {
    push: (rows: Chunk.Chunk<unknown>) => run((out) => encoder.push(rows, out)),
    end: () => run((out) => encoder.end(out))
  }
}

const decoded = <A>(table: DomoTable.DomoTable.Any, step: Step<A>) =>
  step.error === undefined ? { out: step.out } : { out: step.out, error: toDecodeError(table, step.error) }

/** @internal */
export const encodeCsv = <T extends DomoTable.DomoTable.Any>(
  table: T,
  options?: DomoTable.CsvOptions
): <E, R>(rows: Stream.Stream<DomoTable.Row<T>, E, R>) => Stream.Stream<Uint8Array, E | CsvEncodeError, R> =>
  StatefulStream.transform(encoderMachine(table, options))

/** @internal */
export const formatCsv = <T extends DomoTable.DomoTable.Any>(
  table: T,
  rows: Iterable<DomoTable.Row<T>>,
  options?: DomoTable.CsvOptions
): Either.Either<string, CsvEncodeError> => {
  const machine = encoderMachine(table, options)()
  const first = machine.push(Chunk.fromIterable(rows))
  if (first.error !== undefined) return Either.left(first.error)
  const last = machine.end()
  const utf8 = new TextDecoder()
  return Either.right(first.out.concat(last.out).map((bytes) => utf8.decode(bytes)).join(""))
}

/** @internal */
export const decodeCsv = <T extends DomoTable.DomoTable.Any>(
  table: T,
  options?: DomoTable.CsvOptions
): <E, R>(bytes: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<DomoTable.Row<T>, E | CsvDecodeError, R> =>
  StatefulStream.transform(() => {
    const decoder = new Decoder<DomoTable.Row<T>>(specs(table), options?.header === true)
    return {
      push: (chunk: Chunk.Chunk<Uint8Array>) => decoded(table, decoder.push(chunk)),
      end: () => decoded(table, decoder.end())
    }
  }, { perElement: true })

/** @internal */
export const parseCsv = <T extends DomoTable.DomoTable.Any>(
  table: T,
  text: string,
  options?: DomoTable.CsvOptions
): Either.Either<Array<DomoTable.Row<T>>, CsvDecodeError> => {
  const decoder = new Decoder<DomoTable.Row<T>>(specs(table), options?.header === true)
  const first = decoded(table, decoder.pushText(text))
  if (first.error !== undefined) return Either.left(first.error)
  const last = decoded(table, decoder.end())
  return last.error === undefined ? Either.right(first.out.concat(last.out)) : Either.left(last.error)
}

/** @internal */
export const textSchema = <T extends DomoTable.DomoTable.Any>(
  table: T
): Schema.Schema<DomoTable.Row<T>, { readonly [x: string]: string | null }> => {
  const fields: Record<string, Schema.Schema<unknown, string | null>> = {}
  for (const c of table.columns) {
    const col = table.fields[c.name]
    fields[c.name] = Schema.transformOrFail(Schema.NullOr(Schema.String), Schema.typeSchema(col.schema), {
      strict: false,
      decode: (text, _, ast) => {
        if (text === null || (text.length === 0 && col.type !== "STRING")) {
          return col.nullable
            ? ParseResult.succeed(null)
            : ParseResult.fail(new ParseResult.Type(ast, text, "an empty (null) value in a non-nullable column"))
        }
        try {
          return ParseResult.succeed(col.fromText(text))
        } catch (error) {
          const reason = error instanceof Codecs.ValueError ? error.reason : String(error)
          return ParseResult.fail(new ParseResult.Type(ast, text, reason))
        }
      },
      encode: (value, _, ast) => {
        if (value === null || value === undefined) return ParseResult.succeed(null)
        try {
          return ParseResult.succeed((col.toText as (v: unknown) => string)(value))
        } catch (error) {
          const reason = error instanceof Codecs.ValueError ? error.reason : String(error)
          return ParseResult.fail(new ParseResult.Type(ast, value, reason))
        }
      }
    })
  }
  return Schema.Struct(fields) as unknown as Schema.Schema<DomoTable.Row<T>, { readonly [x: string]: string | null }>
}

/** @internal */
export const decodeQueryRows = <T extends DomoTable.DomoTable.Any>(
  table: T,
  result: { readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<unknown>> }
): Either.Either<Array<DomoTable.Row<T>>, CsvDecodeError> => {
  const fail = (row: number, column: string | undefined, value: string | undefined, reason: string) =>
    Either.left(new CsvDecodeError({ table: table.name, row, column, value, reason }))
  const index: Array<number> = []
  for (const c of table.columns) {
    const at = result.columns.indexOf(c.name)
    if (at === -1) return fail(0, c.name, undefined, `the result has no column "${c.name}"`)
    index.push(at)
  }
  const out: Array<DomoTable.Row<T>> = []
  for (let r = 0; r < result.rows.length; r++) {
    const cells = result.rows[r]
    const row: Record<string, unknown> = {}
    for (let i = 0; i < table.columns.length; i++) {
      const c = table.columns[i]
      const cell = cells[index[i]]
      if (cell === null || cell === undefined || (cell === "" && c.type !== "STRING")) {
        if (!c.nullable) return fail(r + 1, c.name, "", "an empty (null) value in a non-nullable column")
        row[c.name] = null
        continue
      }
      const text = typeof cell === "string" ? cell : typeof cell === "number" || typeof cell === "boolean"
        ? String(cell)
        : JSON.stringify(cell)
      try {
        row[c.name] = table.fields[c.name].fromText(text)
      } catch (error) {
        if (error instanceof Codecs.ValueError) return fail(r + 1, c.name, text, error.reason)
        throw error
      }
    }
    out.push(row as DomoTable.Row<T>)
  }
  return Either.right(out)
}
