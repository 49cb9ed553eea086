/**
 * Making a stream (and its DataSet) for a table: the `StreamUpload.createForTable` helper.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as DomoError from "../DomoError.js"
import type * as DomoTable from "../DomoTable.js"
import type * as StreamModels from "../StreamModels.js"
import { Streams } from "../Streams.js"

/** How a stream made from a table lands its data. @internal */
export type Mode =
  | { readonly updateMethod: "REPLACE" | "APPEND" }
  | { readonly updateMethod: "UPSERT"; readonly keyColumnNames: ReadonlyArray<string> }

/** Upsert keys that are not columns of the table, told before anything is sent. */
const badKeys = (table: DomoTable.DomoTable.Any, keys: ReadonlyArray<string>): string | undefined => {
  const unknown = keys.filter((k) => !table.columns.some((c) => c.name === k))
  return keys.length === 0
    ? "invalid input: UPSERT needs at least one key column"
    : unknown.length > 0
    ? `invalid input: key column(s) not in table ${table.name}: ${unknown.join(", ")}`
    : undefined
}

/** @internal */
export const createForTable = (
  table: DomoTable.DomoTable.Any,
  options?: {
    readonly name?: string | undefined
    readonly description?: string | undefined
    readonly mode?: Mode | undefined
  }
): Effect.Effect<StreamModels.Stream, DomoError.DomoError, Streams> =>
  Effect.gen(function*() {
    const streams = yield* Streams
    const mode: Mode = options?.mode ?? { updateMethod: "REPLACE" }
    const keys = mode.updateMethod === "UPSERT" ? mode.keyColumnNames : undefined
    const bad = keys === undefined ? undefined : badKeys(table, keys)
    if (bad !== undefined) {
      return yield* new DomoError.BadRequestError({ method: "POST", path: "/v1/streams", detail: bad })
    }
    return yield* streams.create({
      dataSet: {
        name: options?.name ?? table.name,
        ...(options?.description === undefined ? {} : { description: options.description }),
        schema: table.domoSchema
      },
      updateMethod: mode.updateMethod,
      ...(keys === undefined ? {} : { keyColumnNames: keys })
    })
  }).pipe(Effect.withSpan("StreamUpload.createForTable"))
