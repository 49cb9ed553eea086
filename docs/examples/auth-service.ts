import type { DomoError } from "@effect-domo/client"
import { DomoHttpClient } from "@effect-domo/client"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"

const Execution = Schema.Struct({ id: Schema.Number, currentState: Schema.String })

// A service method: relative path, Schema-decoded body, typed errors only.
export const getExecution = (streamId: number, executionId: number) =>
  Effect.gen(function*() {
    const domo = yield* DomoHttpClient.DomoHttpClient
    return yield* domo.get(`/v1/streams/${streamId}/executions/${executionId}`).pipe(
      Effect.flatMap(DomoHttpClient.schemaBodyJson(Execution))
    )
  })

// A POST that creates something is not idempotent (the default for POST): it is retried only
// when Domo provably never saw it or explicitly refused it (429/503). A read-only POST can say so.
export const createExecution = (streamId: number) =>
  Effect.gen(function*() {
    const domo = yield* DomoHttpClient.DomoHttpClient
    return yield* domo.post(`/v1/streams/${streamId}/executions`).pipe(
      Effect.flatMap(DomoHttpClient.schemaBodyJson(Execution)),
      DomoHttpClient.withRequestOptions({ timeout: "30 seconds" })
    )
  })

export const query = (datasetId: string, sql: string) =>
  Effect.gen(function*() {
    const domo = yield* DomoHttpClient.DomoHttpClient
    return yield* domo.post(`/v1/datasets/query/execute/${datasetId}`, { body: HttpBody.unsafeJson({ sql }) }).pipe(
      Effect.flatMap(DomoHttpClient.schemaBodyJson(Schema.Unknown)),
      DomoHttpClient.withRequestOptions({ idempotent: true })
    )
  })

// Uploading a part: a buffered body (Uint8Array) can be replayed after a 401 or a 503; a Stream
// body is one-shot and is never replayed (declare `replayableBody: true` if it can be re-pulled).
export const uploadPart = (
  streamId: number,
  executionId: number,
  partId: number,
  csv: Uint8Array
): Effect.Effect<void, DomoError.DomoError, DomoHttpClient.DomoHttpClient> =>
  Effect.gen(function*() {
    const domo = yield* DomoHttpClient.DomoHttpClient
    const request = HttpClientRequest.put(`/v1/streams/${streamId}/executions/${executionId}/part/${partId}`).pipe(
      HttpClientRequest.bodyUint8Array(csv, "text/csv")
    )
    yield* domo.execute(request).pipe(DomoHttpClient.withRequestOptions({ idempotent: true }))
  })

export const uploadStreamedPart = (path: string, body: Stream.Stream<Uint8Array>) =>
  Effect.flatMap(
    DomoHttpClient.DomoHttpClient,
    (domo) =>
      domo.execute(HttpClientRequest.put(path).pipe(HttpClientRequest.bodyStream(body, { contentType: "text/csv" })))
  )

// A per-service concurrency limit: at most 4 calls of this service in flight.
export const limited = Effect.flatMap(DomoHttpClient.DomoHttpClient, DomoHttpClient.limitConcurrency(4))
