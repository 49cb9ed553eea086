import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Zlib from "node:zlib"
import { Emulator } from "../src/Emulator.js"
import { testLayer, token } from "./helpers.js"
import { createExecution, createStream, decodeExecution, putBytes, query } from "./streams.helpers.js"

const ROWS = 1_000_000
const PARTS = 8
const PER_PART = ROWS / PARTS

// Part p (1-based) holds rows (p-1)*PER_PART .. p*PER_PART-1 as "row<i>,<i>".
const part = (p: number): Uint8Array => {
  const lines: Array<string> = []
  for (let i = (p - 1) * PER_PART; i < p * PER_PART; i++) lines.push(`row${i},${i}\n`)
  return new Uint8Array(Zlib.gzipSync(Buffer.from(lines.join("")), { level: 1 }))
}

layer(testLayer())("Streams: 1,000,000 rows", (it) => {
  it.effect(
    "arrive complete and in part order from gzip parts uploaded out of order, in parallel",
    () =>
      Effect.gen(function*() {
        const bearer = yield* token()
        const stream = yield* createStream("Million", "REPLACE")
        const execution = yield* createExecution(stream.id)
        // uploaded in a scrambled order, two at a time
        const order = [5, 1, 8, 3, 2, 7, 4, 6]
        yield* Effect.forEach(order, (p) =>
          Effect.flatMap(
            putBytes(
              `/v1/streams/${stream.id}/executions/${execution.id}/part/${p}`,
              part(p),
              { "content-type": "application/gzip" },
              bearer
            ),
            (res) => Effect.sync(() => expect(res.status).toBe(200))
          ), { concurrency: 2, discard: true })
        const committed = yield* Effect.flatMap(
          HttpClient.HttpClient,
          (client) =>
            Effect.flatMap(Emulator, (emulator) =>
              client.execute(
                HttpClientRequest.put(
                  `${emulator.url}/v1/streams/${stream.id}/executions/${execution.id}/commit`
                ).pipe(HttpClientRequest.setHeader("authorization", `bearer ${bearer}`))
              ))
        )
        expect(committed.status).toBe(200)
        const done = decodeExecution(yield* committed.json)
        expect(done).toMatchObject({ currentState: "SUCCESS", rows: ROWS })
        const stats = yield* query(stream.dataSet.id, "SELECT count(*), min(Age), max(Age) FROM table")
        expect(stats.rows).toEqual([[ROWS, 0, ROWS - 1]])

        // the export, read as it streams: every row once, in order, with the batch columns
        const emulator = yield* Emulator
        const client = yield* HttpClient.HttpClient
        const exported = yield* client.execute(
          HttpClientRequest.get(`${emulator.url}/v1/datasets/${stream.dataSet.id}/data`).pipe(
            HttpClientRequest.setHeaders({ authorization: `bearer ${bearer}`, accept: "text/csv" })
          )
        )
        let next = 0
        let carry = ""
        let wrong = 0
        const decoder = new TextDecoder()
        const suffix = `,${execution.id},`
        yield* Stream.runForEach(exported.stream, (chunk) =>
          Effect.sync(() => {
            const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n")
            carry = lines.pop()!
            for (const line of lines) {
              if (!line.startsWith(`row${next},${next}${suffix}`)) wrong++
              next++
            }
          }))
        expect(carry).toBe("")
        expect(wrong).toBe(0)
        expect(next).toBe(ROWS)
      }),
    60_000
  )
})
