/**
 * One definition of a dataset's rows. From it you get the Domo column schema (for create and
 * update), a streaming CSV encoder (rows → bytes, for imports) and a streaming CSV decoder
 * (bytes → rows, for exports), with typed errors naming the row, column and value.
 *
 * Value types: `STRING` → `string`; `LONG` → `number` (safe integers; `DomoTable.bigint` for
 * 64-bit); `DOUBLE` → `number`; `DECIMAL` → `BigDecimal` (no float loss); `DATE` → `Date` at UTC
 * midnight (`YYYY-MM-DD`); `DATETIME` → `Date` (`YYYY-MM-DD HH:MM:SS`, UTC, whole seconds).
 *
 * @since 0.1.0
 */
import type * as BigDecimal from "effect/BigDecimal"
import * as Either from "effect/Either"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type * as Types from "effect/Types"
import * as Codecs from "./internal/columnCodecs.js"
import * as TableCodec from "./internal/tableCodec.js"
import { type CsvDecodeError, type CsvEncodeError, SchemaMismatch } from "./internal/tableErrors.js"
import { schemaDifferences, untypedColumn } from "./internal/tableSchema.js"

// ---------------------------------------------------------------------------------------------
// columns
// ---------------------------------------------------------------------------------------------

/**
 * Domo's column types.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ColumnType = Schema.Literal("STRING", "DECIMAL", "LONG", "DOUBLE", "DATE", "DATETIME")

/**
 * @since 0.1.0
 * @category models
 */
export type ColumnType = typeof ColumnType.Type

/**
 * A column type with its value schema and its text codec. Build one with `string`, `long`,
 * `bigint`, `double`, `decimal`, `date`, `datetime`, and `nullable(...)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column<A> extends Column.Any {
  readonly schema: Schema.Schema<A>
  /** Text (never empty for non-STRING columns) to value; throws on bad text. Used by the codec. */
  readonly fromText: (text: string) => NonNullable<A>
  /** Value (never null) to unquoted text; throws on a bad value. Used by the codec. */
  readonly toText: (value: NonNullable<A>) => string
}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Column {
  /**
   * Any column, whatever its value type.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Any {
    readonly type: ColumnType
    readonly nullable: boolean
    readonly schema: Schema.Schema.AnyNoContext
    readonly fromText: (text: string) => unknown
    readonly toText: (value: never) => string
  }

  /**
   * The value type of a column.
   *
   * @since 0.1.0
   * @category models
   */
  export type Type<C> = C extends Column<infer A> ? A : never
}

const column = <A>(
  type: ColumnType,
  schema: Schema.Schema<A>,
  fromText: (text: string) => NonNullable<A>,
  toText: (value: NonNullable<A>) => string
): Column<A> => ({ type, nullable: false, schema, fromText, toText })

/**
 * `STRING` as `string`. Unquoted empty fields are null; `""` is the empty string.
 *
 * @since 0.1.0
 * @category columns
 */
export const string: Column<string> = column("STRING", Schema.String, Codecs.decodeString, Codecs.encodeString)

/**
 * `LONG` as a `number` within the safe-integer range (±2^53 − 1); anything larger is an error.
 *
 * @since 0.1.0
 * @category columns
 */
export const long: Column<number> = column(
  "LONG",
  Schema.Number.pipe(Schema.filter((n) => Number.isSafeInteger(n) || "a LONG must be a safe integer")),
  Codecs.decodeLong,
  Codecs.encodeLong
)

/**
 * `LONG` as a `bigint`, the whole 64-bit range.
 *
 * @since 0.1.0
 * @category columns
 */
export const bigint: Column<bigint> = column(
  "LONG",
  Schema.BigIntFromSelf.pipe(Schema.betweenBigInt(-(2n ** 63n), 2n ** 63n - 1n)),
  Codecs.decodeBigint,
  Codecs.encodeBigint
)

/**
 * `DOUBLE` as a finite `number`.
 *
 * @since 0.1.0
 * @category columns
 */
export const double: Column<number> = column(
  "DOUBLE",
  Schema.Number.pipe(Schema.finite()),
  Codecs.decodeDouble,
  Codecs.encodeDouble
)

/**
 * `DECIMAL` as an effect `BigDecimal`: exact, written in plain positional notation.
 *
 * @since 0.1.0
 * @category columns
 */
export const decimal: Column<BigDecimal.BigDecimal> = column(
  "DECIMAL",
  Schema.BigDecimalFromSelf,
  Codecs.decodeDecimal,
  Codecs.encodeDecimal
)

/**
 * `DATE` as a `Date`; written as its UTC calendar day `YYYY-MM-DD`, read as UTC midnight.
 *
 * @since 0.1.0
 * @category columns
 */
export const date: Column<Date> = column("DATE", Schema.ValidDateFromSelf, Codecs.decodeDate, Codecs.encodeDate)

/**
 * `DATETIME` as a `Date`; written `YYYY-MM-DD HH:MM:SS` in UTC (milliseconds are dropped), read
 * from that form, the `T` form of query results, and ISO 8601 with an optional zone.
 *
 * @since 0.1.0
 * @category columns
 */
export const datetime: Column<Date> = column(
  "DATETIME",
  Schema.ValidDateFromSelf,
  Codecs.decodeDatetime,
  Codecs.encodeDatetime
)

/**
 * The same column, allowing `null` (an empty field in CSV).
 *
 * @since 0.1.0
 * @category columns
 */
export const nullable = <A>(self: Column<A>): Column<A | null> => ({
  type: self.type,
  nullable: true,
  schema: Schema.NullOr(self.schema),
  fromText: self.fromText,
  toText: self.toText
})

// ---------------------------------------------------------------------------------------------
// tables
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@effect-domo/client/DomoTable")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * The column fields of a table: column name → column type.
 *
 * @since 0.1.0
 * @category models
 */
export type Fields = { readonly [name: string]: Column.Any }

/**
 * Domo's wire form of a dataset schema, as `POST`/`PUT /v1/datasets` take it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DomoSchema {
  readonly columns: ReadonlyArray<{ readonly type: ColumnType; readonly name: string }>
}

/**
 * A dataset's row definition. `schema` is the row `Schema` (values, not text).
 *
 * @since 0.1.0
 * @category models
 */
export interface DomoTable<F extends Fields> extends DomoTable.Any {
  readonly fields: F
  readonly schema: Schema.Struct<{ readonly [K in keyof F]: F[K]["schema"] }>
}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace DomoTable {
  /**
   * Any table, whatever its columns.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Any extends Pipeable {
    readonly [TypeId]: TypeId
    readonly name: string
    readonly fields: Fields
    readonly columns: ReadonlyArray<{ readonly name: string; readonly type: ColumnType; readonly nullable: boolean }>
    readonly domoSchema: DomoSchema
    readonly schema: Schema.Schema.Any
  }
}

/**
 * The row type of a table: `DomoTable.Row<typeof sales>`.
 *
 * @since 0.1.0
 * @category models
 */
export type Row<T extends DomoTable.Any> = Types.Simplify<Schema.Schema.Type<T["schema"]>>

/**
 * A value of a table inferred at run time.
 *
 * @since 0.1.0
 * @category models
 */
export type Value = string | number | bigint | BigDecimal.BigDecimal | Date | null

const TableProto = {
  [TypeId]: TypeId,
  pipe() {
    return pipeArguments(this, arguments)
  },
  toJSON(this: DomoTable.Any) {
    return { _id: "DomoTable", name: this.name, columns: this.columns }
  }
}

/**
 * Defines a table. Columns keep the order of the object's keys (avoid integer-like names, which
 * JavaScript reorders).
 *
 * @example
 * const Sales = DomoTable.make("Sales", {
 *   region: DomoTable.string,
 *   units: DomoTable.long,
 *   price: DomoTable.decimal,
 *   day: DomoTable.date,
 *   note: DomoTable.nullable(DomoTable.string)
 * })
 * type Sale = DomoTable.Row<typeof Sales>
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const F extends Fields>(name: string, fields: F): DomoTable<F> => {
  const names = Object.keys(fields)
  const columns = names.map((n) => ({ name: n, type: fields[n].type, nullable: fields[n].nullable }))
  const schemas: Record<string, Schema.Schema.AnyNoContext> = {}
  for (const n of names) schemas[n] = fields[n].schema
  const table = Object.create(TableProto)
  table.name = name
  table.fields = fields
  table.columns = columns
  table.domoSchema = { columns: columns.map((c) => ({ type: c.type, name: c.name })) }
  table.schema = Schema.Struct(schemas)
  return table
}

/**
 * Is this a `DomoTable`?
 *
 * @since 0.1.0
 * @category guards
 */
export const isDomoTable = (u: unknown): u is DomoTable.Any => typeof u === "object" && u !== null && TypeId in u

/**
 * Infers a table from a dataset's schema at run time (rows as records; every column nullable).
 * `LONG` columns read as `number` unless `longAs: "bigint"`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDomoSchema = (
  name: string,
  schema: { readonly columns: ReadonlyArray<{ readonly type: string; readonly name: string }> },
  options?: { readonly longAs?: "number" | "bigint" | undefined }
): Either.Either<DomoTable<Record<string, Column<Value>>>, SchemaMismatch> => {
  const fields: Record<string, Column<Value>> = {}
  const problems: Array<string> = []
  for (const c of schema.columns) {
    if (!Schema.is(ColumnType)(c.type)) {
      problems.push(`column "${c.name}" has the unknown type ${c.type}`)
      continue
    }
    if (c.name in fields) problems.push(`column "${c.name}" appears twice`)
    const base: Column.Any = c.type === "STRING"
      ? string
      : c.type === "LONG"
      ? (options?.longAs === "bigint" ? bigint : long)
      : c.type === "DOUBLE"
      ? double
      : c.type === "DECIMAL"
      ? decimal
      : c.type === "DATE"
      ? date
      : datetime
    fields[c.name] = untypedColumn(base, c.type)
  }
  return problems.length > 0
    ? Either.left(new SchemaMismatch({ table: name, differences: problems }))
    : Either.right(make(name, fields))
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

/**
 * CSV text that does not decode into a table's rows (row, column and value named).
 *
 * @since 0.1.0
 * @category errors
 */
export { CsvDecodeError } from "./internal/tableErrors.js"

/**
 * Rows that cannot be encoded as a table's CSV (row, column and value named).
 *
 * @since 0.1.0
 * @category errors
 */
export { CsvEncodeError } from "./internal/tableErrors.js"

/**
 * A table that does not match a dataset's schema; `differences` lists every mismatch.
 *
 * @since 0.1.0
 * @category errors
 */
export { SchemaMismatch } from "./internal/tableErrors.js"

// ---------------------------------------------------------------------------------------------
// schema check
// ---------------------------------------------------------------------------------------------

/**
 * Checks a table against a dataset's live schema: same columns, same order (CSV is positional),
 * same types. Fails with every difference listed.
 *
 * @since 0.1.0
 * @category checks
 */
export const check = (
  table: DomoTable.Any,
  schema: { readonly columns: ReadonlyArray<{ readonly type: string; readonly name: string }> },
  datasetId?: string
): Either.Either<void, SchemaMismatch> => {
  const differences = schemaDifferences(table.columns, schema.columns)
  return differences.length === 0
    ? Either.void
    : Either.left(new SchemaMismatch({ table: table.name, datasetId, differences }))
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/**
 * CSV options. `header`: a header row of column names (Domo imports are header-less: the
 * default is `false`; exports carry one with `includeHeader`).
 *
 * @since 0.1.0
 * @category models
 */
export interface CsvOptions {
  readonly header?: boolean | undefined
}

/**
 * Encodes a stream of rows as UTF-8 CSV in large chunks (RFC 4180 quoting only where needed,
 * null as an empty field, `""` for the empty string, LF after every record). On a bad value the
 * bytes of the rows before it are emitted, then the stream fails with `CsvEncodeError`.
 *
 * @since 0.1.0
 * @category CSV
 */
export const encodeCsv = <T extends DomoTable.Any>(
  table: T,
  options?: CsvOptions
): <E, R>(rows: Stream.Stream<Row<T>, E, R>) => Stream.Stream<Uint8Array, E | CsvEncodeError, R> =>
  TableCodec.encodeCsv(table, options)

/**
 * Encodes rows into one CSV string (for small data and tests).
 *
 * @since 0.1.0
 * @category CSV
 */
export const formatCsv = <T extends DomoTable.Any>(
  table: T,
  rows: Iterable<Row<T>>,
  options?: CsvOptions
): Either.Either<string, CsvEncodeError> => TableCodec.formatCsv(table, rows, options)

/**
 * Decodes UTF-8 CSV bytes into rows, whatever the chunking (inside quotes, inside a multi-byte
 * character, between CR and LF). Rows are converted by per-column functions compiled once. On
 * bad input the rows before it are emitted, then the stream fails with `CsvDecodeError`.
 *
 * @since 0.1.0
 * @category CSV
 */
export const decodeCsv = <T extends DomoTable.Any>(
  table: T,
  options?: CsvOptions
): <E, R>(bytes: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<Row<T>, E | CsvDecodeError, R> =>
  TableCodec.decodeCsv(table, options)

/**
 * Decodes a CSV string into rows (for small data and tests).
 *
 * @since 0.1.0
 * @category CSV
 */
export const parseCsv = <T extends DomoTable.Any>(
  table: T,
  text: string,
  options?: CsvOptions
): Either.Either<Array<Row<T>>, CsvDecodeError> => TableCodec.parseCsv(table, text, options)

/**
 * The row schema from CSV text fields (`null` = empty field) to values: the same conversions as
 * the CSV decoder, as a `Schema`, for validating single records at a boundary. The bulk paths use
 * the compiled converters instead (several times faster than a Schema decode per row).
 *
 * @since 0.1.0
 * @category schemas
 */
export const textSchema = <T extends DomoTable.Any>(
  table: T
): Schema.Schema<Row<T>, { readonly [x: string]: string | null }> => TableCodec.textSchema(table)

/**
 * Decodes the rows of a query result (`POST /v1/datasets/query/execute/{id}`: arrays of JSON
 * scalars, columns named in `columns`) into typed rows, by column name. Numbers arrive as JSON
 * numbers (a DECIMAL beyond double precision has already lost digits on Domo's side), DATETIME as
 * `YYYY-MM-DDTHH:MM:SS` (UTC). `row` in an error is 1-based over the result rows.
 *
 * @since 0.1.0
 * @category query
 */
export const decodeQueryRows = <T extends DomoTable.Any>(
  table: T,
  result: { readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<unknown>> }
): Either.Either<Array<Row<T>>, CsvDecodeError> => TableCodec.decodeQueryRows(table, result)
