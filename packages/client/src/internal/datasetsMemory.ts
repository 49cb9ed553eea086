/**
 * An in-memory DataSet API with the behaviour and errors of the HTTP one (as the emulator
 * answers), for specs that should not start a server. SQL is limited to
 * `SELECT * FROM table [LIMIT n]`; use the emulator for more.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type * as DataSetModels from "../DataSetModels.js"
import type * as Datasets from "../Datasets.js"
import * as DomoError from "../DomoError.js"
import * as DomoTable from "../DomoTable.js"
import { formatDecimal } from "./columnCodecs.js"
import * as Paging from "./paging.js"

type Row = Record<string, DomoTable.Value>

interface Stored {
  readonly id: string
  name: string
  description: string
  columns: Array<DataSetModels.Column>
  rows: Array<Row>
  readonly createdAt: string
  updatedAt: string
  dataCurrentAt: string | undefined
  pdpEnabled: boolean
  deleted: boolean
  owner: DataSetModels.Owner
  readonly policies: Map<number, DataSetModels.Policy>
}

const OWNER = { id: 1, name: "In-memory user" }
const utf8 = new TextEncoder()

const notFound = (method: string, path: string, what: string) =>
  new DomoError.NotFoundError({ method, path, status: 404, detail: `${what} not found` })

const badRequest = (method: string, path: string, detail: string) =>
  new DomoError.BadRequestError({ method, path, status: 400, detail })

const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** a query cell as Domo answers it: numbers for LONG/DOUBLE/DECIMAL, strings otherwise */
const queryCell = (type: string, value: DomoTable.Value): DataSetModels.QueryValue => {
  if (value === null) return null
  if (typeof value === "string" || typeof value === "number") return value
  if (typeof value === "bigint") return Number(value)
  if (value instanceof Date) {
    const day = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`
    return type === "DATE"
      ? day
      : `${day}T${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`
  }
  return Number(formatDecimal(value))
}

const SELECT_ALL = /^\s*select\s+\*\s+from\s+table\s*(?:limit\s+(\d+))?\s*;?\s*$/i

/** @internal */
export const make = (): Datasets.Datasets.Base => {
  const store = new Map<string, Stored>()
  let nextId = 1
  let nextPolicyId = 1

  const tableOf = (ds: Stored) =>
    Either.getOrThrow(DomoTable.fromDomoSchema(ds.name, { columns: ds.columns }, { longAs: "bigint" }))

  const find = (method: string, path: string, id: string) =>
    Effect.suspend(() => {
      const ds = store.get(id)
      return ds === undefined || ds.deleted ? Effect.fail(notFound(method, path, `DataSet ${id}`)) : Effect.succeed(ds)
    })

  const summary = (ds: Stored): DataSetModels.DataSetSummary => ({
    id: ds.id,
    name: ds.name,
    description: ds.description,
    rows: ds.rows.length,
    columns: ds.dataCurrentAt === undefined ? 0 : ds.columns.length,
    owner: ds.owner,
    createdAt: ds.createdAt,
    updatedAt: ds.updatedAt,
    ...(ds.dataCurrentAt === undefined ? {} : { dataCurrentAt: ds.dataCurrentAt }),
    pdpEnabled: ds.pdpEnabled
  })

  const full = (ds: Stored): DataSetModels.DataSet => ({
    ...summary(ds),
    schema: { columns: ds.columns },
    policies: Array.from(ds.policies.values())
  })

  const insert = (name: string, description: string | undefined, columns: ReadonlyArray<DataSetModels.Column>) =>
    Effect.map(now, (at) => {
      const n = nextId++
      const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`
      const ds: Stored = {
        id,
        name,
        description: description ?? "",
        columns: [...columns],
        rows: [],
        createdAt: at,
        updatedAt: at,
        dataCurrentAt: undefined,
        pdpEnabled: false,
        deleted: false,
        owner: OWNER,
        policies: new Map()
      }
      const open = nextPolicyId++
      ds.policies.set(open, { id: open, type: "open", name: "All Rows", filters: [], users: [], groups: [] })
      store.set(id, ds)
      return full(ds)
    })

  const sortKey: Record<string, (a: Stored, b: Stored) => number> = {
    name: (a, b) => a.name.localeCompare(b.name),
    nameDescending: (a, b) => b.name.localeCompare(a.name),
    lastUpdated: (a, b) => b.updatedAt.localeCompare(a.updatedAt),
    lastUpdatedAscending: (a, b) => a.updatedAt.localeCompare(b.updatedAt),
    createdAt: (a, b) => b.createdAt.localeCompare(a.createdAt),
    createdAtAscending: (a, b) => a.createdAt.localeCompare(b.createdAt)
  }

  const list = (options?: Datasets.ListOptions) =>
    Paging.offsetPaged({ max: 50, pageSize: options?.pageSize, offset: options?.offset }, (page) =>
      Effect.sync(() => {
        const needle = options?.nameLike?.toLowerCase() ?? ""
        const all = Array.from(store.values()).filter((ds) => !ds.deleted && ds.name.toLowerCase().includes(needle))
        const order = options?.sort === undefined ? undefined : sortKey[options.sort]
        if (order !== undefined) all.sort(order)
        return all.slice(page.offset, page.offset + page.limit).map(summary)
      }))

  const applyRows = (ds: Stored, rows: Array<Row>, method: DataSetModels.UpdateMethod | undefined) =>
    Effect.map(now, (at) => {
      ds.rows = method === "APPEND" ? ds.rows.concat(rows) : rows
      ds.updatedAt = at
      ds.dataCurrentAt = at
    })

  const importCsv = <E = never>(id: string, body: Datasets.CsvBody<E>, options?: Datasets.ImportOptions) =>
    Effect.gen(function*() {
      const path = `/v1/datasets/${id}/data`
      const ds = yield* find("PUT", path, id)
      const bytes: Stream.Stream<Uint8Array, E> = typeof body === "string"
        ? Stream.make(utf8.encode(body))
        : body instanceof Uint8Array
        ? Stream.make(body)
        : body
      // Parsed whole before anything is applied: a bad row leaves the data as it was.
      const rows = yield* bytes.pipe(
        DomoTable.decodeCsv(tableOf(ds)),
        Stream.runCollect,
        Effect.mapError((e) =>
          e instanceof DomoTable.CsvDecodeError
            ? badRequest("PUT", path, `Invalid CSV provided during upload. ${e.message}`)
            : e
        )
      )
      yield* applyRows(ds, Chunk.toArray(rows), options?.updateMethod)
    })

  const exportCsv = (id: string, options?: Datasets.ExportOptions) =>
    Stream.unwrap(Effect.map(
      find("GET", `/v1/datasets/${id}/data`, id),
      (ds) =>
        Stream.fromIterable(ds.rows).pipe(
          DomoTable.encodeCsv(tableOf(ds), { header: options?.includeHeader === true }),
          Stream.orDie
        )
    ))

  const query = (id: string, sql: string) =>
    Effect.gen(function*() {
      const path = `/v1/datasets/query/execute/${id}`
      const ds = yield* find("POST", path, id)
      const match = SELECT_ALL.exec(sql)
      if (match === null) {
        return yield* badRequest("POST", path, "the in-memory layer runs only SELECT * FROM table [LIMIT n]")
      }
      const rows = match[1] === undefined ? ds.rows : ds.rows.slice(0, Number(match[1]))
      return {
        datasource: ds.id,
        columns: ds.columns.map((c) => c.name),
        metadata: ds.columns.map((c) => ({ type: c.type, dataSourceId: ds.id, maxLength: -1, minLength: -1 })),
        rows: rows.map((row) => ds.columns.map((c) => queryCell(c.type, row[c.name] ?? null))),
        numRows: rows.length,
        numColumns: ds.columns.length,
        fromcache: false
      }
    })

  const policy = (method: string, id: string, policyId: number) =>
    Effect.flatMap(find(method, `/v1/datasets/${id}/policies/${policyId}`, id), (ds) => {
      const found = ds.policies.get(policyId)
      return found === undefined
        ? Effect.fail(notFound(method, `/v1/datasets/${id}/policies/${policyId}`, `policy ${policyId}`))
        : Effect.succeed([ds, found] as const)
    })

  const checkFilters = (method: string, ds: Stored, filters: ReadonlyArray<DataSetModels.PolicyFilter>) => {
    const unknown = filters.find((f) => !ds.columns.some((c) => c.name === f.column))
    return unknown === undefined
      ? Effect.void
      : Effect.fail(badRequest(method, `/v1/datasets/${ds.id}/policies`, `unknown column ${unknown.column}`))
  }

  const jsonValue = (
    path: string,
    column: DataSetModels.Column,
    table: DomoTable.DomoTable<Record<string, DomoTable.Column<DomoTable.Value>>>,
    value: unknown
  ) => {
    if (value === null || value === undefined || value === "") return Either.right(null)
    const text = Array.isArray(value) ? "List" : typeof value === "object" ? JSON.stringify(value) : String(value)
    try {
      return Either.right(table.fields[column.name].fromText(text))
    } catch {
      return Either.left(badRequest("PUT", path, `Invalid data provided during upload: ${column.name} = ${text}`))
    }
  }

  return {
    list,
    get: (id) => Effect.map(find("GET", `/v1/datasets/${id}`, id), full),
    create: (body) => insert(body.name, body.description, body.schema.columns),
    update: (id, body) =>
      Effect.gen(function*() {
        const ds = yield* find("PUT", `/v1/datasets/${id}`, id)
        if (body.name !== undefined) ds.name = body.name
        if (body.description !== undefined) ds.description = body.description
        if (body.pdpEnabled !== undefined) ds.pdpEnabled = body.pdpEnabled
        if (body.schema !== undefined) ds.columns = [...body.schema.columns]
        if (body.owner !== undefined) ds.owner = body.owner
        ds.updatedAt = yield* now
        return full(ds)
      }),
    delete: (id) =>
      Effect.map(find("DELETE", `/v1/datasets/${id}`, id), (ds) => {
        ds.deleted = true
      }),
    importCsv,
    exportCsv,
    query,
    listPolicies: (id) =>
      Effect.map(find("GET", `/v1/datasets/${id}/policies`, id), (ds) => Array.from(ds.policies.values())),
    getPolicy: (id, policyId) => Effect.map(policy("GET", id, policyId), ([, p]) => p),
    createPolicy: (id, body) =>
      Effect.gen(function*() {
        const ds = yield* find("POST", `/v1/datasets/${id}/policies`, id)
        yield* checkFilters("POST", ds, body.filters)
        const created: DataSetModels.Policy = {
          id: nextPolicyId++,
          type: body.type ?? "user",
          name: body.name,
          filters: body.filters,
          users: body.users ?? [],
          groups: body.groups ?? [],
          ...(body.virtualUsers === undefined ? {} : { virtualUsers: body.virtualUsers })
        }
        ds.policies.set(created.id, created)
        return created
      }),
    updatePolicy: (id, policyId, body) =>
      Effect.gen(function*() {
        const [ds, current] = yield* policy("PUT", id, policyId)
        if (body.filters !== undefined) yield* checkFilters("PUT", ds, body.filters)
        const updated: DataSetModels.Policy = {
          ...current,
          ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
        }
        ds.policies.set(policyId, updated)
        return updated
      }),
    deletePolicy: (id, policyId) =>
      Effect.map(policy("DELETE", id, policyId), ([ds]) => {
        ds.policies.delete(policyId)
      }),
    createJson: (body) =>
      body.name.trim() === ""
        ? Effect.fail(badRequest("POST", "/v1/json", "A DataSet name is required"))
        : insert(body.name, body.description, []),
    importJson: (id, rows, options) =>
      Effect.gen(function*() {
        const path = `/v1/json/${id}/data`
        const ds = yield* find("PUT", path, id)
        if (rows.length === 0) return yield* badRequest("PUT", path, "the Simple API needs at least one row")
        if (ds.columns.length === 0 || options?.updateMethod !== "APPEND") {
          // Domo infers the columns from the data on REPLACE (and on the first import)
          const keys = Array.from(new Set(rows.flatMap((row) => Object.keys(row))))
          ds.columns = keys.map((name) => {
            const sample = rows.map((row) => row[name]).find((v) => v !== null && v !== undefined && v !== "")
            const type: DataSetModels.ColumnType = typeof sample === "number"
              ? (Number.isInteger(sample) ? "LONG" : "DOUBLE")
              : "STRING"
            return { type, name }
          })
        } else {
          const expected = ds.columns.map((c) => c.name).join(",")
          const wrong = rows.find((row) => Object.keys(row).join(",") !== expected)
          if (wrong !== undefined) {
            return yield* badRequest("PUT", path, `Invalid schema. Expected: ${expected}`)
          }
        }
        const table = tableOf(ds)
        const converted: Array<Row> = []
        for (const row of rows) {
          const out: Row = {}
          for (const column of ds.columns) out[column.name] = yield* jsonValue(path, column, table, row[column.name])
          converted.push(out)
        }
        yield* applyRows(ds, converted, options?.updateMethod)
      })
  }
}
