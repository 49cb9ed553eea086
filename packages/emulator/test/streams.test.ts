import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Zlib from "node:zlib"
import { Emulator } from "../src/Emulator.js"
import * as EmulatorModule from "../src/Emulator.js"
import { call, callJson, testLayer, token } from "./helpers.js"
import {
  commit,
  createExecution,
  createStream,
  decodeExecution,
  decodeExecutions,
  decodeStream,
  decodeStreams,
  partPath,
  putBytes,
  query,
  upload
} from "./streams.helpers.js"

layer(testLayer())("Streams", (it) => {
  it.effect("create makes the DataSet (with the batch columns); get honours fields", () =>
    Effect.gen(function*() {
      const stream = yield* createStream("Leonhard Euler Party")
      expect(stream.updateMethod).toBe("APPEND")
      expect(stream.dataSet).toMatchObject({ name: "Leonhard Euler Party", description: "d", rows: 0 })
      expect(stream.dataSet.owner?.id).toBe(1)
      const dataset = yield* callJson("GET", `/v1/datasets/${stream.dataSet.id}`)
      expect(dataset.status).toBe(200)
      expect((dataset.body as { schema: { columns: Array<{ name: string; type: string }> } }).schema.columns)
        .toEqual([
          { type: "STRING", name: "Friend" },
          { type: "LONG", name: "Age" },
          { type: "LONG", name: "_BATCH_ID_" },
          { type: "DATETIME", name: "_BATCH_LAST_RUN_" }
        ])
      const all = yield* callJson("GET", `/v1/streams/${stream.id}?fields=all`)
      expect(decodeStream(all.body)).toEqual(stream)
      const some = yield* callJson("GET", `/v1/streams/${stream.id}?fields=id,updateMethod`)
      expect(some.body).toEqual({ id: stream.id, updateMethod: "APPEND" })
      const missing = yield* callJson("GET", "/v1/streams/999999")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ status: 404, statusReason: "Not Found" })
      expect((yield* callJson("GET", "/v1/streams/abc")).status).toBe(404)
    }))

  it.effect("bad create bodies are Domo 400s and create nothing", () =>
    Effect.gen(function*() {
      const before = (yield* callJson("GET", "/v1/streams?limit=500")).body as Array<unknown>
      const bad = [
        { dataSet: { name: "x", schema: { columns: [] } }, updateMethod: "MERGE" },
        { dataSet: { name: "x" }, updateMethod: "APPEND" },
        { dataSet: { name: "x", schema: { columns: [{ type: "STRING", name: "a" }] } }, updateMethod: "UPSERT" },
        {
          dataSet: { name: "x", schema: { columns: [{ type: "STRING", name: "a" }] } },
          updateMethod: "UPSERT",
          keyColumnNames: ["b"]
        },
        { dataSet: { name: "x", schema: { columns: [{ type: "LONG", name: "_BATCH_ID_" }] } }, updateMethod: "APPEND" }
      ]
      for (const json of bad) {
        const res = yield* callJson("POST", "/v1/streams", { json })
        expect(res.status).toBe(400)
        expect(res.body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      }
      const malformed = yield* call("POST", "/v1/streams", { text: "{", contentType: "application/json" })
      expect(malformed.status).toBe(400)
      const after = (yield* callJson("GET", "/v1/streams?limit=500")).body as Array<unknown>
      expect(after.length).toBe(before.length)
    }))

  it.effect("list pages with limit/offset (max 500); items carry only {id, pdpEnabled} unless fields=all", () =>
    Effect.gen(function*() {
      const made = [
        yield* createStream("List A"),
        yield* createStream("List B"),
        yield* createStream("List C")
      ]
      const all = decodeStreams((yield* callJson("GET", "/v1/streams?limit=500")).body)
      const ids = all.map((s) => s.id)
      for (const s of made) expect(ids).toContain(s.id)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      const first = yield* callJson("GET", "/v1/streams?limit=2&offset=0")
      const second = yield* callJson("GET", "/v1/streams?limit=2&offset=2")
      expect(decodeStreams(first.body).map((s) => s.id)).toEqual(ids.slice(0, 2))
      expect(decodeStreams(second.body).map((s) => s.id)).toEqual(ids.slice(2, 4))
      const item = (first.body as Array<Record<string, unknown>>)[0]!
      expect(Object.keys(item.dataSet as object).sort()).toEqual(["id", "pdpEnabled"])
      const full = decodeStreams((yield* callJson("GET", "/v1/streams?limit=500&fields=all")).body)
      expect(full.find((s) => s.id === made[1]!.id)?.dataSet.name).toBe("List B")
      expect((yield* callJson("GET", "/v1/streams?limit=501")).status).toBe(400)
      expect((yield* callJson("GET", "/v1/streams?limit=x")).status).toBe(400)
    }))

  it.effect("search by dataSource.name, dataSource.id, dataSource.owner.id, joined with ','", () =>
    Effect.gen(function*() {
      const a = yield* createStream("Search, Target")
      const b = yield* createStream("Search Other")
      const byName = yield* callJson(
        "GET",
        `/v1/streams/search?q=${encodeURIComponent("dataSource.name:Search, Target")}`
      )
      expect(byName.status).toBe(200)
      expect(decodeStreams(byName.body).map((s) => s.id)).toEqual([a.id])
      const byId = yield* callJson("GET", `/v1/streams/search?q=dataSource.id:${b.dataSet.id}&fields=all`)
      expect(decodeStreams(byId.body).map((s) => s.dataSet.name)).toEqual(["Search Other"])
      const byOwner = decodeStreams((yield* callJson("GET", "/v1/streams/search?q=dataSource.owner.id:1")).body)
      expect(byOwner.map((s) => s.id)).toEqual(expect.arrayContaining([a.id, b.id]))
      const joined = yield* callJson(
        "GET",
        `/v1/streams/search?q=${encodeURIComponent(`dataSource.owner.id:1,dataSource.id:${a.dataSet.id}`)}`
      )
      expect(decodeStreams(joined.body).map((s) => s.id)).toEqual([a.id])
      const nobody = yield* callJson("GET", "/v1/streams/search?q=dataSource.owner.id:424242")
      expect(nobody.body).toEqual([])
      expect((yield* callJson("GET", "/v1/streams/search?q=name:x")).status).toBe(400)
      expect((yield* callJson("GET", "/v1/streams/search")).status).toBe(400)
    }))

  it.effect("update (PATCH, body or query parameter) and delete (204, the DataSet stays)", () =>
    Effect.gen(function*() {
      const stream = yield* createStream("Updatable")
      const patched = yield* callJson("PATCH", `/v1/streams/${stream.id}`, { json: { updateMethod: "REPLACE" } })
      expect(patched.status).toBe(200)
      expect(decodeStream(patched.body).updateMethod).toBe("REPLACE")
      const byQuery = yield* call("PATCH", `/v1/streams/${stream.id}?updateMethod=APPEND`)
      expect(byQuery.status).toBe(200)
      expect(decodeStream(yield* byQuery.json).updateMethod).toBe("APPEND")
      // the Java SDK sends its whole StreamRequest: the DataSet is ignored, nulls mean absent
      const java = yield* callJson("PATCH", `/v1/streams/${stream.id}`, {
        json: { dataSet: { name: "ignored", schema: { columns: [] } }, updateMethod: "REPLACE", keyColumnNames: null }
      })
      expect(java.status).toBe(200)
      expect(decodeStream(java.body)).toMatchObject({ updateMethod: "REPLACE", dataSet: { name: "Updatable" } })
      const bad = yield* callJson("PATCH", `/v1/streams/${stream.id}`, { json: { updateMethod: "NOPE" } })
      expect(bad.status).toBe(400)
      const deleted = yield* call("DELETE", `/v1/streams/${stream.id}`)
      expect(deleted.status).toBe(204)
      expect((yield* callJson("GET", `/v1/streams/${stream.id}`)).status).toBe(404)
      expect((yield* call("DELETE", `/v1/streams/${stream.id}`)).status).toBe(404)
      expect((yield* callJson("GET", `/v1/datasets/${stream.dataSet.id}`)).status).toBe(200)
    }))

  it.effect("a stream whose DataSet was deleted answers a subset with deleted: true", () =>
    Effect.gen(function*() {
      const stream = yield* createStream("Doomed")
      expect((yield* call("DELETE", `/v1/datasets/${stream.dataSet.id}`)).status).toBe(204)
      const got = yield* callJson("GET", `/v1/streams/${stream.id}`)
      expect(got.status).toBe(200)
      expect(decodeStream(got.body)).toMatchObject({ id: stream.id, deleted: true })
      expect((yield* callJson("POST", `/v1/streams/${stream.id}/executions`)).status).toBe(404)
    }))

  it.effect("execution lifecycle: create (any SDK body), upload, commit → SUCCESS, list, get", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Lifecycle")
      const bodies: Array<unknown> = [undefined, null, {}, { updateMethod: null }, { updateMethod: "APPEND" }]
      let last = yield* createExecution(stream.id)
      expect(last).toMatchObject({ id: 1, currentState: "ACTIVE", updateMethod: "APPEND" })
      expect(last.endedAt).toBeUndefined()
      for (const body of bodies.slice(1)) {
        const res = body === null
          ? yield* callJson("POST", `/v1/streams/${stream.id}/executions`, {
            text: "null",
            contentType: "application/json"
          })
          : yield* callJson("POST", `/v1/streams/${stream.id}/executions`, { json: body })
        expect(res.status).toBe(200)
        last = decodeExecution(res.body)
      }
      expect(last.id).toBe(5)
      const part = yield* upload(stream.id, last.id, 1, "Pythagoras,40\nEuler,76\n", bearer)
      expect(part.status).toBe(200)
      expect(decodeExecution(part.body)).toMatchObject({ id: 5, currentState: "ACTIVE", rows: 2 })
      const committed = yield* commit(stream.id, last.id)
      expect(committed.status).toBe(200)
      const done = decodeExecution(committed.body)
      expect(done).toMatchObject({ id: 5, currentState: "SUCCESS", rows: 2, bytes: 23 })
      expect(typeof done.endedAt).toBe("string")
      const again = yield* commit(stream.id, last.id)
      expect(decodeExecution(again.body)).toEqual(done)
      const listed = decodeExecutions((yield* callJson("GET", `/v1/streams/${stream.id}/executions`)).body)
      expect(listed.map((e) => e.id)).toEqual([1, 2, 3, 4, 5])
      expect(listed.map((e) => e.currentState)).toEqual(["ABORTED", "ABORTED", "ABORTED", "ABORTED", "SUCCESS"])
      const paged = decodeExecutions(
        (yield* callJson("GET", `/v1/streams/${stream.id}/executions?limit=2&offset=3`))
          .body
      )
      expect(paged.map((e) => e.id)).toEqual([4, 5])
      const got = yield* callJson("GET", `/v1/streams/${stream.id}/executions/5`)
      expect(decodeExecution(got.body)).toEqual(done)
      expect((yield* callJson("GET", `/v1/streams/${stream.id}/executions/6`)).status).toBe(404)
      const full = decodeStream((yield* callJson("GET", `/v1/streams/${stream.id}?fields=all`)).body)
      expect(full.lastExecution?.id).toBe(5)
      expect(full.lastSuccessfulExecution?.id).toBe(5)
      expect(full.dataSet.rows).toBe(2)
      expect(full.dataSet.columns).toBe(4)
      // nothing more on a committed execution
      expect((yield* upload(stream.id, 5, 2, "x,1\n", bearer)).status).toBe(400)
    }))

  it.effect("gzip is found by its magic bytes whatever the headers say; plain text with gzip headers too", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Gzip")
      const e = yield* createExecution(stream.id)
      const gz = (csv: string) => new Uint8Array(Zlib.gzipSync(Buffer.from(csv)))
      const cases: Array<[Uint8Array, Record<string, string>]> = [
        [gz("a,1\n"), { "content-type": "text/csv" }],
        [gz("b,2\n"), { "content-type": "application/gzip" }],
        [gz("c,3\n"), { "content-type": "text/csv", "content-encoding": "gzip" }],
        [gz("d,4\n"), { "content-type": "application/octet-stream" }],
        [new TextEncoder().encode("e,5\n"), { "content-type": "application/gzip" }],
        [new TextEncoder().encode("f,6\n"), { "content-type": "text/csv", "content-encoding": "gzip" }]
      ]
      let p = 1
      for (const [bytes, headers] of cases) {
        const res = yield* putBytes(partPath(stream.id, e.id, p++), bytes, headers, bearer)
        expect(res.status).toBe(200)
      }
      const broken = gz("g,7\n").subarray(0, 12)
      const bad = yield* putBytes(partPath(stream.id, e.id, p), broken, { "content-type": "application/gzip" }, bearer)
      expect(bad.status).toBe(400)
      expect(decodeExecution((yield* commit(stream.id, e.id)).body).rows).toBe(6)
      const rows = yield* query(stream.dataSet.id, "SELECT Friend, Age FROM table")
      expect(rows.rows).toEqual([["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5], ["f", 6]])
    }))

  it.effect("a bad part is a Domo 400 naming row and column; nothing of it is stored or committed", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Bad part")
      const e = yield* createExecution(stream.id)
      yield* upload(stream.id, e.id, 1, "ok,1\n", bearer)
      const cases: Array<[string, string]> = [
        [
          "x,1\ny,2,3\n",
          "Invalid CSV provided during upload. msg=There are too many columns. Expected 2. Row 2, column 3."
        ],
        ["x\n", "Invalid CSV provided during upload. msg=There are too few columns. Expected 2. Row 1, column 2."],
        ["x,1\ny,old\n", "Invalid CSV provided during upload. msg=Unable to parse 'old' as LONG. Row 2, column 2."],
        ["x,\"1\n", "Invalid CSV provided during upload. msg=Unterminated quoted field. Row 1, column 2."]
      ]
      for (const [csv, message] of cases) {
        const res = yield* upload(stream.id, e.id, 2, csv, bearer)
        expect(res.status).toBe(400)
        expect(res.body).toMatchObject({ status: 400, statusReason: "Bad Request", message })
      }
      const committed = decodeExecution((yield* commit(stream.id, e.id)).body)
      expect(committed).toMatchObject({ currentState: "SUCCESS", rows: 1 })
      const rows = yield* query(stream.dataSet.id, "SELECT Friend, Age FROM table")
      expect(rows.rows).toEqual([["ok", 1]])
      expect((yield* upload(stream.id, e.id, -1, "a,1\n", bearer)).status).toBeGreaterThanOrEqual(400)
    }))

  it.effect("abort by id (200 with the execution) and abort-current (204); aborted parts are dropped", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Abort")
      const e1 = yield* createExecution(stream.id)
      yield* upload(stream.id, e1.id, 1, "a,1\n", bearer)
      const aborted = yield* callJson("PUT", `/v1/streams/${stream.id}/executions/${e1.id}/abort`)
      expect(aborted.status).toBe(200)
      expect(decodeExecution(aborted.body)).toMatchObject({ id: e1.id, currentState: "ABORTED" })
      expect(typeof decodeExecution(aborted.body).endedAt).toBe("string")
      expect((yield* commit(stream.id, e1.id)).status).toBe(400)
      expect((yield* upload(stream.id, e1.id, 2, "b,2\n", bearer)).status).toBe(400)
      const e2 = yield* createExecution(stream.id)
      yield* upload(stream.id, e2.id, 1, "b,2\n", bearer)
      const current = yield* call("PUT", `/v1/streams/${stream.id}/executions/abort`)
      expect(current.status).toBe(204)
      const got = decodeExecution((yield* callJson("GET", `/v1/streams/${stream.id}/executions/${e2.id}`)).body)
      expect(got.currentState).toBe("ABORTED")
      // nothing active: still 204
      expect((yield* call("PUT", `/v1/streams/${stream.id}/executions/abort`)).status).toBe(204)
      const count = yield* query(stream.dataSet.id, "SELECT count(*) FROM table")
      expect(count.rows).toEqual([[0]])
    }))

  it.effect("one active execution per stream: a new one aborts the others and drops their parts", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("One active")
      const e1 = yield* createExecution(stream.id)
      yield* upload(stream.id, e1.id, 1, "old,1\n", bearer)
      const e2 = yield* createExecution(stream.id)
      const first = decodeExecution((yield* callJson("GET", `/v1/streams/${stream.id}/executions/${e1.id}`)).body)
      expect(first.currentState).toBe("ABORTED")
      expect((yield* commit(stream.id, e1.id)).status).toBe(400)
      yield* upload(stream.id, e2.id, 1, "new,2\n", bearer)
      yield* commit(stream.id, e2.id)
      expect((yield* query(stream.dataSet.id, "SELECT Friend FROM table")).rows).toEqual([["new"]])
    }))

  it.effect("REPLACE replaces, APPEND appends, UPSERT replaces rows by key; _BATCH_ID_ is the execution id", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const run = (streamId: number, csv: string, body?: unknown) =>
        Effect.gen(function*() {
          const e = yield* createExecution(streamId, body)
          yield* upload(streamId, e.id, 1, csv, bearer)
          return decodeExecution((yield* commit(streamId, e.id)).body)
        })
      const rowsOf = (datasetId: string) =>
        Effect.map(
          query(datasetId, "SELECT Friend, Age, _BATCH_ID_ FROM table ORDER BY Friend, _BATCH_ID_"),
          (r) => r.rows
        )

      const append = yield* createStream("Append")
      yield* run(append.id, "a,1\nb,2\n")
      yield* run(append.id, "a,3\n")
      expect(yield* rowsOf(append.dataSet.id)).toEqual([["a", 1, 1], ["a", 3, 2], ["b", 2, 1]])

      const replace = yield* createStream("Replace", "REPLACE")
      yield* run(replace.id, "a,1\nb,2\n")
      yield* run(replace.id, "c,3\n")
      expect(yield* rowsOf(replace.dataSet.id)).toEqual([["c", 3, 2]])
      // a per-execution override, and null meaning the stream's own method
      yield* run(replace.id, "d,4\n", { updateMethod: "APPEND" })
      // each row keeps its own execution's batch columns (a commit's are its data table's defaults)
      expect(yield* rowsOf(replace.dataSet.id)).toEqual([["c", 3, 2], ["d", 4, 3]])
      yield* run(replace.id, "e,5\n", { updateMethod: null })
      expect(yield* rowsOf(replace.dataSet.id)).toEqual([["e", 5, 4]])

      for (const [name, method] of [["Upsert (pydomo)", "UPSERT"], ["Upsert (docs)", "APPEND"]] as const) {
        const upsert = yield* createStream(name, method, { keyColumnNames: ["Friend"] })
        expect(upsert.keyColumnNames).toEqual(["Friend"])
        yield* run(upsert.id, "a,1\nb,2\n")
        const second = yield* run(upsert.id, "b,20\nc,30\n")
        expect(second.rows).toBe(2)
        expect(yield* rowsOf(upsert.dataSet.id)).toEqual([["a", 1, 1], ["b", 20, 2], ["c", 30, 2]])
        const got = decodeStream((yield* callJson("GET", `/v1/streams/${upsert.id}`)).body)
        expect(got.dataSet.rows).toBe(3)
      }

      const batch = yield* query(append.dataSet.id, "SELECT _BATCH_ID_, _BATCH_LAST_RUN_ FROM table LIMIT 1")
      expect(batch.columns).toEqual(["_BATCH_ID_", "_BATCH_LAST_RUN_"])
      expect(String(batch.rows[0]![1])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
      const exported = yield* call("GET", `/v1/datasets/${append.dataSet.id}/data?includeHeader=true`, {
        accept: "text/csv"
      })
      const text = yield* exported.text
      expect(text.split("\n")[0]).toBe("Friend,Age,_BATCH_ID_,_BATCH_LAST_RUN_")
      expect(text.split("\n")[1]).toMatch(/^a,1,1,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
    }))

  it.effect("every route needs the data scope: 401 without a token, 403 without the scope", () =>
    Effect.gen(function*() {
      const stream = yield* createStream("Scoped")
      const userOnly = yield* token("user")
      expect((yield* callJson("GET", `/v1/streams/${stream.id}`, { token: userOnly })).status).toBe(403)
      expect((yield* callJson("POST", `/v1/streams/${stream.id}/executions`, { token: userOnly })).status).toBe(403)
      expect((yield* callJson("GET", "/v1/streams", { token: "nope.nope.nope" })).status).toBe(401)
    }))
})

describe("Streams on a data file", () => {
  it.effect("pending parts survive a restart; the commit after it has them all; activity is recorded", () =>
    Effect.gen(function*() {
      const dataFile = EmulatorModule.tempDataFile("streams")
      const run = <A, E>(effect: Effect.Effect<A, E, Emulator | HttpClient.HttpClient>) =>
        Effect.provide(effect, testLayer({ dataFile, seed: 1 }))
      const { executionId, stream } = yield* run(Effect.gen(function*() {
        const bearer = yield* token()
        const stream = yield* createStream("Durable")
        const execution = yield* createExecution(stream.id)
        yield* upload(stream.id, execution.id, 1, "a,1\n", bearer)
        yield* upload(stream.id, execution.id, 2, "b,2\n", bearer)
        return { executionId: execution.id, stream }
      }))
      const { activity, committed, rows } = yield* run(Effect.gen(function*() {
        const committed = decodeExecution((yield* commit(stream.id, executionId)).body)
        const rows = (yield* query(stream.dataSet.id, "SELECT Friend, Age, _BATCH_ID_ FROM table")).rows
        const emulator = yield* Emulator
        const activity = yield* emulator.sql<{ action_type: string; object_type: string }>`
          SELECT action_type, object_type FROM activity_log ORDER BY id`
        return { activity, committed, rows }
      }))
      expect(committed).toMatchObject({ currentState: "SUCCESS", rows: 2 })
      expect(rows).toEqual([["a", 1, executionId], ["b", 2, executionId]])
      expect(activity.map((a) => `${a.action_type} ${a.object_type}`)).toEqual([
        "CREATED DATA_SOURCE",
        "CREATED STREAM",
        "CREATED STREAM_EXECUTION",
        "IMPORTED DATA_SOURCE"
      ])
    }))
})
