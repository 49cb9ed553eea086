/**
 * The errors of typed tables (`DomoTable` re-exports them): defined here so that the codec
 * modules can raise them without importing `DomoTable`.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

// where a row went wrong: the table, the row (1-based, 0 = the header), the column and value
// when one field is at fault, and why
const rowFault = {
  table: Schema.String,
  row: Schema.Number,
  column: Schema.optional(Schema.String),
  value: Schema.optional(Schema.String),
  reason: Schema.String
}

/**
 * CSV text that does not decode into a table's rows. `row` is 1-based over data rows (0 is the
 * header); `column` and `value` are present when one field is at fault.
 *
 * @since 0.1.0
 * @category errors
 */
export class CsvDecodeError extends Schema.TaggedError<CsvDecodeError>("@effect-domo/client/CsvDecodeError")(
  "CsvDecodeError",
  rowFault
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe("cannot decode", this)
  }
}

/**
 * A row that cannot be encoded as CSV (a value of the wrong type or out of range, or a null in a
 * non-nullable column). Nothing after the failing row is produced.
 *
 * @since 0.1.0
 * @category errors
 */
export class CsvEncodeError extends Schema.TaggedError<CsvEncodeError>("@effect-domo/client/CsvEncodeError")(
  "CsvEncodeError",
  rowFault
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return describe("cannot encode", this)
  }
}

const describe = (
  verb: string,
  e: {
    readonly table: string
    readonly row: number
    readonly column?: string | undefined
    readonly value?: string | undefined
    readonly reason: string
  }
): string =>
  `${e.table}: ${verb} ${e.row === 0 ? "the header" : `row ${e.row}`}` +
  (e.column === undefined ? "" : `, column "${e.column}"`) +
  (e.value === undefined ? "" : ` (value ${JSON.stringify(e.value)})`) + `: ${e.reason}`

/**
 * A table that does not match a dataset's schema; `differences` lists every mismatch.
 *
 * @since 0.1.0
 * @category errors
 */
export class SchemaMismatch extends Schema.TaggedError<SchemaMismatch>("@effect-domo/client/SchemaMismatch")(
  "SchemaMismatch",
  {
    table: Schema.String,
    datasetId: Schema.optional(Schema.String),
    differences: Schema.Array(Schema.String)
  }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    const where = this.datasetId === undefined ? "" : ` and dataset ${this.datasetId}`
    return `table ${this.table}${where} do not match: ${this.differences.join("; ")}`
  }
}
