/**
 * Domo's Stream API (`/v1/streams`): streams (create with their DataSet, read, list, search,
 * update, delete), executions (create, list, read), data parts, commit and abort. Every answer is
 * decoded with the `StreamModels` schemas. Scope: `data`.
 *
 * For the whole upload (split, gzip, parallel parts, retries, commit or abort) use
 * `StreamUpload.upload`; this module is the one-call-per-endpoint layer under it.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as DomoError from "./DomoError.js"
import * as DomoHttpClient from "./DomoHttpClient.js"
import * as Call from "./internal/call.js"
import * as Paging from "./internal/paging.js"
import * as StreamModels from "./StreamModels.js"

/**
 * The most streams or executions one list request may ask for (`limit`); Domo's default is 50.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 500

/**
 * How a list is paged (lazily: a page is requested only when the consumer pulls past the last).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** items per request, clamped to `1..maxPageSize` (default `maxPageSize`) */
  readonly pageSize?: number | undefined
  /** item offset to start at (default 0) */
  readonly offset?: number | undefined
}

/**
 * What `search` looks for: the stream of a DataSet, the streams of an owner, or a raw `q`
 * (Domo's qualifiers, e.g. `dataSource.name:Sales`).
 *
 * @since 0.1.0
 * @category models
 */
export type SearchQuery =
  | { readonly datasetId: string }
  | { readonly ownerId: number }
  | { readonly q: string }

/**
 * Options of a part upload.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartOptions {
  /**
   * The body is gzip-compressed (sent as `Content-Type: text/csv` + `Content-Encoding: gzip`, as
   * pydomo does). Default: detected from the gzip magic bytes `1f 8b`.
   */
  readonly gzip?: boolean | undefined
}

/**
 * The `Streams` service. Scope: `data`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Streams extends Context.Tag("@effect-domo/client/Streams")<Streams, Streams.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Streams {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** every stream, paged lazily (`GET /v1/streams?fields=all`) */
    readonly list: (options?: ListOptions) => Stream.Stream<StreamModels.Stream, DomoError.DomoError>
    /** one stream with its DataSet (`GET /v1/streams/{id}?fields=all`) */
    readonly get: (id: number) => Effect.Effect<StreamModels.Stream, DomoError.DomoError>
    /** creates a stream and its DataSet (`POST /v1/streams`; 201 or 200) */
    readonly create: (stream: StreamModels.CreateStream) => Effect.Effect<StreamModels.Stream, DomoError.DomoError>
    /** changes the update method / key columns (`PATCH /v1/streams/{id}`) */
    readonly update: (
      id: number,
      update: StreamModels.UpdateStream
    ) => Effect.Effect<StreamModels.Stream, DomoError.DomoError>
    /** deletes a stream; its DataSet stays (`DELETE /v1/streams/{id}`) */
    readonly delete: (id: number) => Effect.Effect<void, DomoError.DomoError>
    /** streams matching a query (`GET /v1/streams/search?q=…&fields=all`) */
    readonly search: (
      query: SearchQuery
    ) => Effect.Effect<ReadonlyArray<StreamModels.Stream>, DomoError.DomoError>
    /** the stream that feeds a DataSet, if any (`search` by `dataSource.id`) */
    readonly findByDatasetId: (
      datasetId: string
    ) => Effect.Effect<Option.Option<StreamModels.Stream>, DomoError.DomoError>
    /**
     * Starts an execution (`POST /v1/streams/{id}/executions`), optionally with its own update
     * method. Domo keeps one active execution per stream: creating one aborts the others.
     */
    readonly createExecution: (
      id: number,
      options?: StreamModels.CreateExecution
    ) => Effect.Effect<StreamModels.Execution, DomoError.DomoError>
    /** the executions of a stream, paged lazily (`GET /v1/streams/{id}/executions`) */
    readonly listExecutions: (
      id: number,
      options?: ListOptions
    ) => Stream.Stream<StreamModels.Execution, DomoError.DomoError>
    /** one execution (`GET /v1/streams/{id}/executions/{executionId}`) */
    readonly getExecution: (
      id: number,
      executionId: number
    ) => Effect.Effect<StreamModels.Execution, DomoError.DomoError>
    /**
     * Uploads one part of CSV (header-less; plain or gzip)
     * (`PUT /v1/streams/{id}/executions/{executionId}/part/{partId}`). Idempotent: a transient
     * failure is retried by `DomoHttpClient`'s policy, with a fresh token check per attempt.
     * Number parts 1, 2, 3, … (Domo rejects too many non-consecutive ids).
     */
    readonly uploadPart: (
      id: number,
      executionId: number,
      partId: number,
      body: Uint8Array | string,
      options?: PartOptions
    ) => Effect.Effect<StreamModels.Execution, DomoError.DomoError>
    /**
     * Commits the uploaded parts (`PUT …/executions/{executionId}/commit`). Domo commits
     * asynchronously: the answer may still say `ACTIVE`; poll `getExecution`. Not replayed after
     * an ambiguous failure.
     */
    readonly commit: (
      id: number,
      executionId: number
    ) => Effect.Effect<StreamModels.Execution, DomoError.DomoError>
    /** aborts an execution: nothing of it is committed (`PUT …/executions/{executionId}/abort`) */
    readonly abort: (
      id: number,
      executionId: number
    ) => Effect.Effect<StreamModels.Execution, DomoError.DomoError>
    /** aborts whatever execution is active on the stream (`PUT /v1/streams/{id}/executions/abort`) */
    readonly abortCurrent: (id: number) => Effect.Effect<void, DomoError.DomoError>
  }
}

const StreamList = Schema.Array(StreamModels.Stream)
const ExecutionList = Schema.Array(StreamModels.Execution)

const isGzip = (body: Uint8Array): boolean => body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b

const searchQuery = (query: SearchQuery): string =>
  "datasetId" in query
    ? `dataSource.id:${query.datasetId}`
    : "ownerId" in query
    ? `dataSource.owner.id:${query.ownerId}`
    : query.q

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Streams.Service, never, DomoHttpClient.DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient.DomoHttpClient
  const all = { fields: "all" }

  const streamId = (method: string, id: number) => Call.intId(method, "/v1/streams/{id}", "stream id", id)
  const ids = (method: string, path: string, id: number, executionId: number) =>
    Effect.zip(
      streamId(method, id),
      Call.intId(method, path, "execution id", executionId)
    )

  const get = Effect.fn("Streams.get")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.stream.id", id)
    const sid = yield* streamId("GET", id)
    return yield* Call.executeJson(
      client,
      HttpClientRequest.get(`/v1/streams/${sid}`, { urlParams: all }),
      StreamModels.Stream
    )
  })

  const list = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset },
      (page) =>
        Call.executeJson(
          client,
          HttpClientRequest.get("/v1/streams", { urlParams: { ...Paging.pageParams(page), ...all } }),
          StreamList
        )
    ).pipe(Stream.withSpan("Streams.list"))

  const create = Effect.fn("Streams.create")(function*(stream: StreamModels.CreateStream) {
    const request = yield* HttpClientRequest.post("/v1/streams").pipe(Call.jsonBody(StreamModels.CreateStream, stream))
    const created = yield* Call.executeJson(client, request, StreamModels.Stream)
    yield* Effect.annotateCurrentSpan("domo.stream.id", created.id)
    return created
  })

  const update = Effect.fn("Streams.update")(function*(id: number, update: StreamModels.UpdateStream) {
    yield* Effect.annotateCurrentSpan("domo.stream.id", id)
    const sid = yield* streamId("PATCH", id)
    const request = yield* HttpClientRequest.patch(`/v1/streams/${sid}`).pipe(
      Call.jsonBody(StreamModels.UpdateStream, update)
    )
    // only the update method changes: replaying the PATCH is harmless
    return yield* Call.executeOrRead(client, request, StreamModels.Stream, get(sid)).pipe(
      DomoHttpClient.withRequestOptions({ idempotent: true })
    )
  })

  const del = Effect.fn("Streams.delete")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.stream.id", id)
    const sid = yield* streamId("DELETE", id)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/streams/${sid}`))
  })

  const search = Effect.fn("Streams.search")(function*(query: SearchQuery) {
    const q = searchQuery(query)
    if (q.trim() === "") return yield* Call.invalidInput("GET", "/v1/streams/search", "the query must not be empty")
    return yield* Call.executeJson(
      client,
      HttpClientRequest.get("/v1/streams/search", { urlParams: { q, ...all } }),
      StreamList
    )
  })

  const findByDatasetId = Effect.fn("Streams.findByDatasetId")(function*(datasetId: string) {
    yield* Effect.annotateCurrentSpan("domo.dataset.id", datasetId)
    if (datasetId.trim() === "") {
      return yield* Call.invalidInput("GET", "/v1/streams/search", "the dataset id must not be empty")
    }
    const found = yield* search({ datasetId })
    // search matches by qualifier: keep only an exact match
    return Option.fromNullable(found.find((s) => s.dataSet.id === datasetId))
  })

  const createExecution = Effect.fn("Streams.createExecution")(
    function*(id: number, options?: StreamModels.CreateExecution) {
      yield* Effect.annotateCurrentSpan("domo.stream.id", id)
      const sid = yield* streamId("POST", id)
      const request = yield* HttpClientRequest.post(`/v1/streams/${sid}/executions`).pipe(
        Call.jsonBody(StreamModels.CreateExecution, options ?? {})
      )
      const execution = yield* Call.executeJson(client, request, StreamModels.Execution)
      yield* Effect.annotateCurrentSpan("domo.execution.id", execution.id)
      return execution
    }
  )

  const listExecutions = (id: number, options?: ListOptions) =>
    Stream.unwrap(Effect.map(streamId("GET", id), (sid) =>
      Paging.offsetPaged(
        { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset },
        (page) =>
          Call.executeJson(
            client,
            HttpClientRequest.get(`/v1/streams/${sid}/executions`, { urlParams: Paging.pageParams(page) }),
            ExecutionList
          )
      ))).pipe(Stream.withSpan("Streams.listExecutions", { attributes: { "domo.stream.id": id } }))

  const getExecution = Effect.fn("Streams.getExecution")(function*(id: number, executionId: number) {
    yield* Effect.annotateCurrentSpan({ "domo.stream.id": id, "domo.execution.id": executionId })
    const [sid, eid] = yield* ids("GET", "/v1/streams/{id}/executions/{executionId}", id, executionId)
    return yield* Call.executeJson(
      client,
      HttpClientRequest.get(`/v1/streams/${sid}/executions/${eid}`),
      StreamModels.Execution
    )
  })

  const uploadPart = Effect.fn("Streams.uploadPart")(
    function*(id: number, executionId: number, partId: number, body: Uint8Array | string, options?: PartOptions) {
      yield* Effect.annotateCurrentSpan({
        "domo.stream.id": id,
        "domo.execution.id": executionId,
        "domo.part.id": partId
      })
      const path = "/v1/streams/{id}/executions/{executionId}/part/{partId}"
      const [sid, eid] = yield* ids("PUT", path, id, executionId)
      const pid = yield* Call.intId("PUT", path, "part id", partId)
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body
      const gzip = options?.gzip ?? isGzip(bytes)
      let request = HttpClientRequest.put(`/v1/streams/${sid}/executions/${eid}/part/${pid}`).pipe(
        HttpClientRequest.bodyUint8Array(bytes, "text/csv")
      )
      if (gzip) request = HttpClientRequest.setHeader(request, "content-encoding", "gzip")
      return yield* Call.executeOrRead(client, request, StreamModels.Execution, getExecution(sid, eid)).pipe(
        DomoHttpClient.withRequestOptions({ idempotent: true, replayableBody: true })
      )
    }
  )

  const commit = Effect.fn("Streams.commit")(function*(id: number, executionId: number) {
    yield* Effect.annotateCurrentSpan({ "domo.stream.id": id, "domo.execution.id": executionId })
    const [sid, eid] = yield* ids("PUT", "/v1/streams/{id}/executions/{executionId}/commit", id, executionId)
    return yield* Call.executeOrRead(
      client,
      HttpClientRequest.put(`/v1/streams/${sid}/executions/${eid}/commit`),
      StreamModels.Execution,
      getExecution(sid, eid)
    ).pipe(DomoHttpClient.withRequestOptions({ idempotent: false }))
  })

  const abort = Effect.fn("Streams.abort")(function*(id: number, executionId: number) {
    yield* Effect.annotateCurrentSpan({ "domo.stream.id": id, "domo.execution.id": executionId })
    const [sid, eid] = yield* ids("PUT", "/v1/streams/{id}/executions/{executionId}/abort", id, executionId)
    // Domo's docs show no body here, pydomo and the Java SDK read an Execution: accept both
    return yield* Call.executeOrRead(
      client,
      HttpClientRequest.put(`/v1/streams/${sid}/executions/${eid}/abort`),
      StreamModels.Execution,
      getExecution(sid, eid)
    )
  })

  const abortCurrent = Effect.fn("Streams.abortCurrent")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.stream.id", id)
    const sid = yield* streamId("PUT", id)
    yield* Call.executeVoid(client, HttpClientRequest.put(`/v1/streams/${sid}/executions/abort`))
  })

  return Streams.of({
    list,
    get,
    create,
    update,
    delete: del,
    search,
    findByDatasetId,
    createExecution,
    listExecutions,
    getExecution,
    uploadPart,
    commit,
    abort,
    abortCurrent
  })
})

/**
 * The `Streams` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Streams, never, DomoHttpClient.DomoHttpClient> = Layer.effect(Streams, make)
