/**
 * What `StreamUpload.upload` checks before it starts an execution: its options, and the table
 * against the DataSet's schema.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as DataSetModels from "../DataSetModels.js"
import * as DomoHttpClient from "../DomoHttpClient.js"
import * as DomoTable from "../DomoTable.js"
import { Streams } from "../Streams.js"
import * as Call from "./call.js"

/** the columns Domo adds to a stream's DataSet itself: not part of the uploaded CSV */
const systemColumns: ReadonlySet<string> = new Set(["_BATCH_ID_", "_BATCH_LAST_RUN_"])

/**
 * @internal
 *
 * The table against the stream's DataSet schema (`GET /v1/datasets/{id}`: the stream's own
 * answer carries no schema), ignoring the batch columns Domo adds.
 */
export const checkTable = (streamId: number, table: DomoTable.DomoTable.Any) =>
  Effect.gen(function*() {
    const streams = yield* Streams
    const client = yield* DomoHttpClient.DomoHttpClient
    const stream = yield* streams.get(streamId)
    const schema = stream.dataSet.schema ?? (yield* Call.executeJson(
      client,
      HttpClientRequest.get(`/v1/datasets/${encodeURIComponent(stream.dataSet.id)}`),
      DataSetModels.DataSet
    )).schema
    if (schema === undefined) return Either.void
    const columns = schema.columns.filter((c) => !systemColumns.has(c.name))
    return DomoTable.check(table, { columns }, stream.dataSet.id)
  })

/** @internal */
export const positiveInt = (name: string, value: number | undefined, fallback: number): Either.Either<number, string> =>
  value === undefined
    ? Either.right(fallback)
    : Number.isSafeInteger(value) && value > 0
    ? Either.right(value)
    : Either.left(`${name} must be a positive integer, got ${String(value)}`)

/** @internal */
export const gzipLevelOf = (
  value: number | "none" | undefined,
  fallback: number
): Either.Either<number | undefined, string> =>
  value === undefined
    ? Either.right(fallback)
    : value === "none"
    ? Either.right(undefined)
    : Number.isInteger(value) && value >= 1 && value <= 9
    ? Either.right(value)
    : Either.left(`gzipLevel must be 1–9 or "none", got ${String(value)}`)
