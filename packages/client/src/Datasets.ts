/**
 * Domo's DataSet API (`/v1/datasets`) and Simple API (`/v1/json`), every response decoded:
 * lazy paged lists, CRUD, streamed CSV import and export in constant memory, SQL queries, PDP
 * policies, and typed conveniences over a `DomoTable` (rows in, rows out, the table checked
 * against the dataset's live schema before any data moves). Scope: `data`.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as DataSetModels from "./DataSetModels.js"
import * as DomoError from "./DomoError.js"
import { DomoHttpClient, withRequestOptions } from "./DomoHttpClient.js"
import type * as DomoTable from "./DomoTable.js"
import * as Call from "./internal/call.js"
import * as DatasetsMemory from "./internal/datasetsMemory.js"
import * as DatasetsTyped from "./internal/datasetsTyped.js"
import * as Paging from "./internal/paging.js"

/**
 * The most DataSets one list request may ask for (`limit`): Domo's maximum and default.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 50

/**
 * Options of `list`. The stream pages lazily: a page is requested only when the consumer pulls
 * past the previous one, and at most one page is held.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** items per request, clamped to `1..50` (default 50) */
  readonly pageSize?: number | undefined
  /** item offset to start at (default 0) */
  readonly offset?: number | undefined
  /** one of Domo's sort orders (default: Domo's) */
  readonly sort?: DataSetModels.DataSetSort | undefined
  /** case-insensitive substring of the name */
  readonly nameLike?: string | undefined
}

/**
 * Options of an import: `REPLACE` (default) or `APPEND`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportOptions {
  readonly updateMethod?: DataSetModels.UpdateMethod | undefined
}

/**
 * Options of `importRows`: `check` (default true) compares the table with the dataset's live
 * schema first; on a mismatch nothing is sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImportRowsOptions extends ImportOptions {
  readonly check?: boolean | undefined
}

/**
 * Options of `exportCsv`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExportOptions {
  /** a header row of column names first (default false, as in Domo) */
  readonly includeHeader?: boolean | undefined
  /** asks Domo for `Content-Disposition: attachment; filename=…` */
  readonly fileName?: string | undefined
}

/**
 * A CSV body: a byte stream (sent chunked, never buffered, never replayed), a string or bytes.
 *
 * @since 0.1.0
 * @category models
 */
export type CsvBody<E = never> = Stream.Stream<Uint8Array, E> | string | Uint8Array

/**
 * Rows for `importRows`: a stream or any iterable.
 *
 * @since 0.1.0
 * @category models
 */
export type RowsInput<A, E = never> = Stream.Stream<A, E> | Iterable<A>

/**
 * The `Datasets` service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Datasets extends Context.Tag("@effect-domo/client/Datasets")<Datasets, Datasets.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Datasets {
  /**
   * The wire operations; the typed conveniences of `Service` are built on them.
   *
   * @since 0.1.0
   * @category models
   */
  export type Base = Omit<
    Service,
    "queryRows" | "createFromTable" | "checkTable" | "table" | "importRows" | "exportRows"
  >

  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** every DataSet, paged lazily (`GET /v1/datasets`, ≤ 50 per request) */
    readonly list: (options?: ListOptions) => Stream.Stream<DataSetModels.DataSetSummary, DomoError.DomoError>
    /** one DataSet with its schema and policies (`GET /v1/datasets/{id}`) */
    readonly get: (id: string) => Effect.Effect<DataSetModels.DataSet, DomoError.DomoError>
    /** creates a DataSet (`POST /v1/datasets`) */
    readonly create: (body: DataSetModels.CreateDataSet) => Effect.Effect<DataSetModels.DataSet, DomoError.DomoError>
    /** updates name, description, PDP, schema or owner (`PUT /v1/datasets/{id}`) */
    readonly update: (
      id: string,
      body: DataSetModels.UpdateDataSet
    ) => Effect.Effect<DataSetModels.DataSet, DomoError.DomoError>
    /** deletes a DataSet (`DELETE /v1/datasets/{id}`) */
    readonly delete: (id: string) => Effect.Effect<void, DomoError.DomoError>
    /**
     * imports header-less CSV (`PUT /v1/datasets/{id}/data`). A stream body is sent as it is
     * pulled; if it fails, the upload is aborted and its error is returned (Domo keeps the
     * previous data).
     */
    readonly importCsv: <E = never>(
      id: string,
      body: CsvBody<E>,
      options?: ImportOptions
    ) => Effect.Effect<void, DomoError.DomoError | E>
    /** exports the data as CSV bytes, streamed in constant memory (`GET /v1/datasets/{id}/data`) */
    readonly exportCsv: (id: string, options?: ExportOptions) => Stream.Stream<Uint8Array, DomoError.DomoError>
    /** runs SQL against the DataSet, which is the table `table` (`POST /v1/datasets/query/execute/{id}`) */
    readonly query: (id: string, sql: string) => Effect.Effect<DataSetModels.QueryResult, DomoError.DomoError>
    /** the rows of a query, typed by `table` (columns matched by name) */
    readonly queryRows: <T extends DomoTable.DomoTable.Any>(
      table: T,
      id: string,
      sql: string
    ) => Effect.Effect<Array<DomoTable.Row<T>>, DomoError.DomoError | DomoTable.CsvDecodeError>
    /** PDP policies of a DataSet (`GET /v1/datasets/{id}/policies`) */
    readonly listPolicies: (id: string) => Effect.Effect<ReadonlyArray<DataSetModels.Policy>, DomoError.DomoError>
    /** one policy (`GET /v1/datasets/{id}/policies/{policyId}`) */
    readonly getPolicy: (id: string, policyId: number) => Effect.Effect<DataSetModels.Policy, DomoError.DomoError>
    /** creates a policy; its users and groups must exist (`POST /v1/datasets/{id}/policies`) */
    readonly createPolicy: (
      id: string,
      policy: DataSetModels.CreatePolicy
    ) => Effect.Effect<DataSetModels.Policy, DomoError.DomoError>
    /** updates a policy (`PUT /v1/datasets/{id}/policies/{policyId}`) */
    readonly updatePolicy: (
      id: string,
      policyId: number,
      policy: DataSetModels.UpdatePolicy
    ) => Effect.Effect<DataSetModels.Policy, DomoError.DomoError>
    /** deletes a policy (`DELETE /v1/datasets/{id}/policies/{policyId}`) */
    readonly deletePolicy: (id: string, policyId: number) => Effect.Effect<void, DomoError.DomoError>
    /** Simple API: creates a DataSet without a schema (`POST /v1/json`) */
    readonly createJson: (
      body: { readonly name: string; readonly description?: string | undefined }
    ) => Effect.Effect<DataSetModels.DataSet, DomoError.DomoError>
    /** Simple API: imports an array of flat JSON objects (`PUT /v1/json/{id}/data`) */
    readonly importJson: (
      id: string,
      rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
      options?: ImportOptions
    ) => Effect.Effect<void, DomoError.DomoError>
    /** creates a DataSet whose schema is the table's */
    readonly createFromTable: (
      table: DomoTable.DomoTable.Any,
      options?: { readonly name?: string | undefined; readonly description?: string | undefined }
    ) => Effect.Effect<DataSetModels.DataSet, DomoError.DomoError>
    /** checks a table against the DataSet's live schema (same columns, order and types) */
    readonly checkTable: (
      table: DomoTable.DomoTable.Any,
      id: string
    ) => Effect.Effect<DataSetModels.DataSet, DomoError.DomoError | DomoTable.SchemaMismatch>
    /** a `DomoTable` inferred from the DataSet's live schema (untyped rows, every column nullable) */
    readonly table: (
      id: string,
      options?: { readonly longAs?: "number" | "bigint" | undefined }
    ) => Effect.Effect<
      DomoTable.DomoTable<Record<string, DomoTable.Column<DomoTable.Value>>>,
      DomoError.DomoError | DomoTable.SchemaMismatch
    >
    /**
     * encodes rows with the table and imports them, streamed; the table is checked against the
     * live schema first (nothing is sent on a mismatch), a bad row aborts the upload
     */
    readonly importRows: <T extends DomoTable.DomoTable.Any, E = never>(
      table: T,
      id: string,
      rows: RowsInput<DomoTable.Row<T>, E>,
      options?: ImportRowsOptions
    ) => Effect.Effect<void, DomoError.DomoError | DomoTable.CsvEncodeError | DomoTable.SchemaMismatch | E>
    /** exports and decodes the rows, streamed in constant memory; the table is checked first */
    readonly exportRows: <T extends DomoTable.DomoTable.Any>(
      table: T,
      id: string
    ) => Stream.Stream<
      DomoTable.Row<T>,
      DomoError.DomoError | DomoTable.CsvDecodeError | DomoTable.SchemaMismatch
    >
  }
}

const Summaries = Schema.Array(DataSetModels.DataSetSummary)
const Policies = Schema.Array(DataSetModels.Policy)

const isStream = <E>(body: CsvBody<E>): body is Stream.Stream<Uint8Array, E> =>
  typeof body !== "string" && !(body instanceof Uint8Array)

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Datasets.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const dsId = (method: string, id: string) => Call.stringId(method, "/v1/datasets/{id}", "DataSet id", id)

  const list = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset },
      (page) => {
        const urlParams: Record<string, string> = Paging.pageParams(page)
        if (options?.sort !== undefined) urlParams.sort = options.sort
        if (options?.nameLike !== undefined) urlParams.nameLike = options.nameLike
        return Call.executeJson(
          client,
          HttpClientRequest.get("/v1/datasets", { urlParams }),
          Summaries
        )
      }
    ).pipe(Stream.withSpan("Datasets.list"))

  const get = Effect.fn("Datasets.get")(function*(id: string) {
    yield* Effect.annotateCurrentSpan("domo.dataset.id", id)
    const path = yield* dsId("GET", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(`/v1/datasets/${path}`), DataSetModels.DataSet)
  })

  const create = Effect.fn("Datasets.create")(function*(body: DataSetModels.CreateDataSet) {
    const request = yield* HttpClientRequest.post("/v1/datasets").pipe(
      Call.jsonBody(DataSetModels.CreateDataSet, body)
    )
    return yield* Call.executeJson(client, request, DataSetModels.DataSet)
  })

  const update = Effect.fn("Datasets.update")(function*(id: string, body: DataSetModels.UpdateDataSet) {
    yield* Effect.annotateCurrentSpan("domo.dataset.id", id)
    const path = yield* dsId("PUT", id)
    const request = yield* HttpClientRequest.put(`/v1/datasets/${path}`).pipe(
      Call.jsonBody(DataSetModels.UpdateDataSet, body)
    )
    return yield* Call.executeOrRead(client, request, DataSetModels.DataSet, get(id))
  })

  const del = Effect.fn("Datasets.delete")(function*(id: string) {
    yield* Effect.annotateCurrentSpan("domo.dataset.id", id)
    const path = yield* dsId("DELETE", id)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/datasets/${path}`))
  })

  const importCsv = <E = never>(id: string, body: CsvBody<E>, options?: ImportOptions) =>
    Effect.gen(function*() {
      yield* Effect.annotateCurrentSpan("domo.dataset.id", id)
      const path = yield* dsId("PUT", id)
      const base = HttpClientRequest.put(`/v1/datasets/${path}/data`, {
        urlParams: { updateMethod: options?.updateMethod ?? "REPLACE" }
      })
      if (!isStream(body)) {
        const request = typeof body === "string"
          ? HttpClientRequest.bodyText(base, body, "text/csv")
          : HttpClientRequest.bodyUint8Array(base, body, "text/csv")
        return yield* Call.executeVoid(client, request)
      }
      // The body's own failure (e.g. a row that cannot be encoded) aborts the upload; it is
      // reported as itself, not as the transport error the aborted request turns into.
      const failure = yield* Ref.make(Option.none<E>())
      const tracked = Stream.tapError(body, (e) => Ref.set(failure, Option.some(e)))
      const request = HttpClientRequest.bodyStream(base, tracked, { contentType: "text/csv" })
      const result = yield* Effect.either(Call.executeVoid(client, request))
      const bodyFailure = yield* Ref.get(failure)
      if (Option.isSome(bodyFailure)) return yield* Effect.fail(bodyFailure.value)
      return yield* result
    }).pipe(Effect.withSpan("Datasets.importCsv"))

  const exportCsv = (id: string, options?: ExportOptions): Stream.Stream<Uint8Array, DomoError.DomoError> =>
    Stream.unwrap(Effect.gen(function*() {
      const path = yield* dsId("GET", id)
      const urlParams: Record<string, string> = { includeHeader: options?.includeHeader === true ? "true" : "false" }
      if (options?.fileName !== undefined) urlParams.fileName = options.fileName
      const response = yield* client.execute(
        HttpClientRequest.get(`/v1/datasets/${path}/data`, { urlParams, headers: { accept: "text/csv" } })
      )
      return Stream.mapError(
        response.stream,
        () => new DomoError.TransportError({ method: "GET", path: `/v1/datasets/${path}/data`, sent: true })
      )
    })).pipe(Stream.withSpan("Datasets.exportCsv", { attributes: { "domo.dataset.id": id } }))

  const query = Effect.fn("Datasets.query")(function*(id: string, sql: string) {
    yield* Effect.annotateCurrentSpan("domo.dataset.id", id)
    const path = yield* Call.stringId("POST", "/v1/datasets/query/execute/{id}", "DataSet id", id)
    const request = yield* HttpClientRequest.post(`/v1/datasets/query/execute/${path}`).pipe(
      Call.jsonBody(DataSetModels.QueryRequest, { sql })
    )
    // a query reads only: safe to replay
    return yield* Call.executeJson(client, request, DataSetModels.QueryResult).pipe(
      withRequestOptions({ idempotent: true })
    )
  })

  const policyPath = (method: string, id: string, policyId?: number) =>
    Effect.gen(function*() {
      const path = yield* dsId(method, id)
      if (policyId === undefined) return `/v1/datasets/${path}/policies`
      const pid = yield* Call.intId(method, "/v1/datasets/{id}/policies/{policyId}", "policy id", policyId)
      return `/v1/datasets/${path}/policies/${pid}`
    })

  const listPolicies = Effect.fn("Datasets.listPolicies")(function*(id: string) {
    const path = yield* policyPath("GET", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(path), Policies)
  })

  const getPolicy = Effect.fn("Datasets.getPolicy")(function*(id: string, policyId: number) {
    const path = yield* policyPath("GET", id, policyId)
    return yield* Call.executeJson(client, HttpClientRequest.get(path), DataSetModels.Policy)
  })

  const createPolicy = Effect.fn("Datasets.createPolicy")(function*(id: string, policy: DataSetModels.CreatePolicy) {
    const path = yield* policyPath("POST", id)
    const request = yield* HttpClientRequest.post(path).pipe(Call.jsonBody(DataSetModels.CreatePolicy, policy))
    return yield* Call.executeJson(client, request, DataSetModels.Policy)
  })

  const updatePolicy = Effect.fn("Datasets.updatePolicy")(
    function*(id: string, policyId: number, policy: DataSetModels.UpdatePolicy) {
      const path = yield* policyPath("PUT", id, policyId)
      const request = yield* HttpClientRequest.put(path).pipe(Call.jsonBody(DataSetModels.UpdatePolicy, policy))
      return yield* Call.executeOrRead(client, request, DataSetModels.Policy, getPolicy(id, policyId))
    }
  )

  const deletePolicy = Effect.fn("Datasets.deletePolicy")(function*(id: string, policyId: number) {
    const path = yield* policyPath("DELETE", id, policyId)
    yield* Call.executeVoid(client, HttpClientRequest.del(path))
  })

  const createJson = Effect.fn("Datasets.createJson")(
    function*(body: { readonly name: string; readonly description?: string | undefined }) {
      if (body.name.trim() === "") return yield* Call.invalidInput("POST", "/v1/json", "name must not be empty")
      // Domo documents name and description as query parameters and shows them in a body too.
      const urlParams: Record<string, string> = { name: body.name }
      if (body.description !== undefined) urlParams.description = body.description
      const request = yield* HttpClientRequest.post("/v1/json", { urlParams }).pipe(
        Call.jsonBody(DataSetModels.CreateJsonDataSet, body)
      )
      return yield* Call.executeJson(client, request, DataSetModels.DataSet)
    }
  )

  const importJson = Effect.fn("Datasets.importJson")(
    function*(id: string, rows: ReadonlyArray<Readonly<Record<string, unknown>>>, options?: ImportOptions) {
      const path = yield* Call.stringId("PUT", "/v1/json/{id}/data", "DataSet id", id)
      if (rows.length === 0) {
        return yield* Call.invalidInput("PUT", "/v1/json/{id}/data", "the Simple API needs at least one row")
      }
      const request = HttpClientRequest.put(`/v1/json/${path}/data`, {
        urlParams: { updateMethod: options?.updateMethod ?? "REPLACE" }
      }).pipe(HttpClientRequest.bodyUnsafeJson(rows))
      yield* Call.executeVoid(client, request)
    }
  )

  return complete({
    list,
    get,
    create,
    update,
    delete: del,
    importCsv,
    exportCsv,
    query,
    listPolicies,
    getPolicy,
    createPolicy,
    updatePolicy,
    deletePolicy,
    createJson,
    importJson
  })
})

/**
 * The typed conveniences (`importRows`, `exportRows`, `queryRows`, `createFromTable`,
 * `checkTable`, `table`) on top of the wire operations: the same code over HTTP and in memory.
 *
 * @since 0.1.0
 * @category constructors
 */
export const complete: (base: Datasets.Base) => Datasets.Service = DatasetsTyped.complete

/**
 * The `Datasets` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Datasets, never, DomoHttpClient> = Layer.effect(Datasets, make)

/**
 * An in-memory `Datasets` with the same behaviour and typed errors as the HTTP one (and the
 * emulator), for specs that should not start a server: one fresh, empty store per layer build.
 * SQL is limited to `SELECT * FROM table [LIMIT n]` (anything else is a `BadRequestError`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest: Layer.Layer<Datasets> = Layer.sync(Datasets, () => complete(DatasetsMemory.make()))
