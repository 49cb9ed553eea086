import { StreamModels } from "@effect-domo/client"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { callJson } from "./helpers.js"

export const decodeStream = Schema.decodeUnknownSync(StreamModels.Stream)
export const decodeStreams = Schema.decodeUnknownSync(Schema.Array(StreamModels.Stream))
export const decodeExecution = Schema.decodeUnknownSync(StreamModels.Execution)
export const decodeExecutions = Schema.decodeUnknownSync(Schema.Array(StreamModels.Execution))

export const friends = {
  columns: [
    { type: "STRING", name: "Friend" },
    { type: "LONG", name: "Age" }
  ]
}

/** Create a stream (201 expected) and decode it. */
export const createStream = (
  name: string,
  updateMethod: StreamModels.UpdateMethod = "APPEND",
  extra: Record<string, unknown> = {},
  schema: unknown = friends
) =>
  Effect.map(
    callJson("POST", "/v1/streams", {
      json: { dataSet: { name, description: "d", schema }, updateMethod, ...extra }
    }),
    (res) => {
      expect(res.status).toBe(201)
      const stream = decodeStream(res.body)
      expect(res.headers["location"]).toBe(`/v1/streams/${stream.id}`)
      return stream
    }
  )

/** Create an execution (200 expected), with an optional JSON body. */
export const createExecution = (streamId: number, body?: unknown) =>
  Effect.map(
    callJson("POST", `/v1/streams/${streamId}/executions`, body === undefined ? {} : { json: body }),
    (res) => {
      expect(res.status).toBe(200)
      return decodeExecution(res.body)
    }
  )

/** PUT raw bytes with the given headers (a bearer of the demo client is added). */
export const putBytes = (
  path: string,
  bytes: Uint8Array,
  headers: Record<string, string>,
  bearer: string
) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    const request = HttpClientRequest.put(new URL(path, emulator.url).toString()).pipe(
      HttpClientRequest.setHeaders({ ...headers, authorization: `bearer ${bearer}` }),
      HttpClientRequest.bodyUint8Array(bytes, headers["content-type"] ?? "text/csv")
    )
    const response = yield* client.execute(request)
    const body: unknown = yield* Effect.orElseSucceed(response.json, () => undefined)
    return { status: response.status, body }
  })

/** Run SQL over a DataSet through the query API. */
export const query = (datasetId: string, sql: string) =>
  Effect.map(callJson("POST", `/v1/datasets/query/execute/${datasetId}`, { json: { sql } }), (res) => {
    expect(res.status).toBe(200)
    return res.body as { columns: Array<string>; rows: Array<Array<unknown>> }
  })

const encoder = new TextEncoder()
export const partPath = (s: number, e: number, p: number) => `/v1/streams/${s}/executions/${e}/part/${p}`

/** PUT a CSV part (plain text). */
export const upload = (s: number, e: number, p: number, csv: string, bearer: string) =>
  putBytes(partPath(s, e, p), encoder.encode(csv), { "content-type": "text/csv" }, bearer)

export const commit = (s: number, e: number) => callJson("PUT", `/v1/streams/${s}/executions/${e}/commit`)

// 10 ms of real time: the emulator's background work is real I/O, whatever the TestClock says
export const realPause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 10)))

/** `self` again (10 ms of real time apart) until `done` holds. */
export const eventually = <A, E, R>(self: Effect.Effect<A, E, R>, done: (a: A) => boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 500; i++) {
      const a = yield* self
      if (done(a)) return a
      yield* realPause
    }
    return yield* Effect.dieMessage("never done")
  })
