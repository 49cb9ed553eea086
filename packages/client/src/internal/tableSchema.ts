/**
 * Tables against live dataset schemas: the differences `DomoTable.check` lists, and the
 * untyped columns `DomoTable.fromDomoSchema` infers.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import type { Column, ColumnType, Value } from "../DomoTable.js"

/** A column as a schema lists it. @internal */
export interface SchemaColumn {
  readonly type: string
  readonly name: string
}

/**
 * Every difference between a table's columns and a dataset's: count, then position by position
 * (CSV is positional) name and type.
 *
 * @internal
 */
export const schemaDifferences = (
  ours: ReadonlyArray<SchemaColumn>,
  theirs: ReadonlyArray<SchemaColumn>
): Array<string> => {
  const differences: Array<string> = []
  if (ours.length !== theirs.length) {
    differences.push(`the table has ${ours.length} columns, the dataset ${theirs.length}`)
  }
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    const a = ours[i]
    const b = theirs[i]
    if (a === undefined) differences.push(`column ${i + 1} "${b.name}" (${b.type}) is missing from the table`)
    else if (b === undefined) differences.push(`column ${i + 1} "${a.name}" (${a.type}) is missing from the dataset`)
    else if (a.name !== b.name || a.type !== b.type) {
      differences.push(`column ${i + 1} is "${a.name}" ${a.type} in the table, "${b.name}" ${b.type} in the dataset`)
    }
  }
  return differences
}

const valueSchema = Schema.Union(
  Schema.Null,
  Schema.String,
  Schema.Number,
  Schema.BigIntFromSelf,
  Schema.BigDecimalFromSelf,
  Schema.DateFromSelf
)

/**
 * A column of `type` read and written as `base` does, typed as any cell value and nullable: what
 * a table inferred at run time holds.
 *
 * @internal
 */
export const untypedColumn = (base: Column.Any, type: ColumnType): Column<Value> => ({
  type,
  nullable: true,
  schema: valueSchema,
  fromText: base.fromText as (text: string) => NonNullable<Value>,
  toText: base.toText as (value: NonNullable<Value>) => string
})
