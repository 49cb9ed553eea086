import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as Http from "node:http"
import { Emulator } from "../src/Emulator.js"
import { callJson, testLayer, token } from "./helpers.js"
import {
  commit,
  createExecution,
  createStream,
  decodeExecution,
  eventually,
  partPath,
  query,
  realPause,
  upload
} from "./streams.helpers.js"

// Committing a Stream execution: part order, part ids, schema changes, asynchronous commits.
layer(testLayer())("Stream commits", (it) => {
  it.effect("commit applies parts in part id order, whatever the upload order; a re-upload replaces a part", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Order")
      const e = yield* createExecution(stream.id)
      yield* upload(stream.id, e.id, 3, "c,3\n", bearer)
      yield* upload(stream.id, e.id, 1, "a,1\nWRONG,0", bearer)
      yield* upload(stream.id, e.id, 2, "b,2", bearer)
      // the same part id again: the first upload is gone
      const replaced = yield* upload(stream.id, e.id, 1, "a,1", bearer)
      expect(decodeExecution(replaced.body).rows).toBe(3)
      yield* commit(stream.id, e.id)
      const rows = yield* query(stream.dataSet.id, "SELECT Friend, Age FROM table")
      expect(rows.rows).toEqual([["a", 1], ["b", 2], ["c", 3]])
    }))

  it.effect("parts checked against an older schema are refused at commit; nothing is committed", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Schema drift")
      const e = yield* createExecution(stream.id)
      yield* upload(stream.id, e.id, 1, "a,1\n", bearer)
      const changed = yield* callJson("PUT", `/v1/datasets/${stream.dataSet.id}`, {
        json: {
          schema: {
            columns: [{ type: "STRING", name: "Friend" }, { type: "LONG", name: "Age" }, {
              type: "DOUBLE",
              name: "Score"
            }]
          }
        }
      })
      expect(changed.status).toBe(200)
      const res = yield* commit(stream.id, e.id)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ status: 400, message: expect.stringContaining("schema changed") })
      const count = yield* query(stream.dataSet.id, "SELECT count(*) FROM table")
      expect(count.rows).toEqual([[0]])
      // uploaded again against the new schema, the part commits
      yield* upload(stream.id, e.id, 1, "a,1,2.5\n", bearer)
      expect(decodeExecution((yield* commit(stream.id, e.id)).body)).toMatchObject({ currentState: "SUCCESS", rows: 1 })
    }))

  it.effect("commitDelayMs: commits answer ACTIVE and apply later (SUCCESS or ERROR); an abort meanwhile wins", () =>
    // an emulator of its own, on the test's clock: the delay passes when the TestClock says so
    Effect.gen(function*() {
      const emulator = yield* Emulator
      yield* emulator.faults.set({ commitDelayMs: 5000 })
      const bearer = yield* token()
      const getExecution = (s: number, e: number) =>
        Effect.map(callJson("GET", `/v1/streams/${s}/executions/${e}`), (res) => decodeExecution(res.body))
      const stream = yield* createStream("Async commit")
      // 1. applied after the delay
      const e = yield* createExecution(stream.id)
      yield* upload(stream.id, e.id, 1, "a,1\nb,2\n", bearer)
      const answered = decodeExecution((yield* commit(stream.id, e.id)).body)
      expect(answered.currentState).toBe("ACTIVE")
      expect(answered.endedAt ?? undefined).toBeUndefined()
      // a repeated commit while pending answers the same, and schedules nothing more
      expect(decodeExecution((yield* commit(stream.id, e.id)).body).currentState).toBe("ACTIVE")
      expect((yield* query(stream.dataSet.id, "SELECT count(*) FROM table")).rows).toEqual([[0]])
      yield* TestClock.adjust("5 seconds")
      const done = yield* eventually(getExecution(stream.id, e.id), (x) => x.currentState !== "ACTIVE")
      expect(done).toMatchObject({ currentState: "SUCCESS", rows: 2 })
      expect(done.endedAt).toBeTruthy()
      expect((yield* query(stream.dataSet.id, "SELECT count(*) FROM table")).rows).toEqual([[2]])
      // 2. parts that cannot be applied: ERROR, nothing committed
      const bad = yield* createExecution(stream.id)
      for (let i = 0; i < 12; i++) yield* upload(stream.id, bad.id, i * 1000, `r${i},${i}\n`, bearer)
      expect(decodeExecution((yield* commit(stream.id, bad.id)).body).currentState).toBe("ACTIVE")
      yield* TestClock.adjust("5 seconds")
      const failed = yield* eventually(getExecution(stream.id, bad.id), (x) => x.currentState !== "ACTIVE")
      expect(failed.currentState).toBe("ERROR")
      expect(failed.endedAt).toBeTruthy()
      // 3. aborted before the delay is over: nothing applied
      const aborted = yield* createExecution(stream.id)
      yield* upload(stream.id, aborted.id, 1, "z,9\n", bearer)
      yield* commit(stream.id, aborted.id)
      expect((yield* callJson("PUT", `/v1/streams/${stream.id}/executions/${aborted.id}/abort`)).status).toBe(200)
      yield* TestClock.adjust("5 seconds")
      yield* realPause
      expect((yield* getExecution(stream.id, aborted.id)).currentState).toBe("ABORTED")
      expect((yield* query(stream.dataSet.id, "SELECT count(*) FROM table")).rows).toEqual([[2]])
    }).pipe(Effect.provide(testLayer({ clock: "inherit" }))))

  it.effect("a pending asynchronous commit stops with the emulator: nothing runs after it", () => {
    const logs: Array<unknown> = []
    return Effect.gen(function*() {
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(
        testLayer({ clock: "inherit", faults: { commitDelayMs: 60_000 } }),
        scope
      )
      yield* Effect.gen(function*() {
        const bearer = yield* token()
        const stream = yield* createStream("Stops")
        const e = yield* createExecution(stream.id)
        yield* upload(stream.id, e.id, 1, "a,1\n", bearer)
        expect(decodeExecution((yield* commit(stream.id, e.id)).body).currentState).toBe("ACTIVE")
      }).pipe(Effect.provide(context))
      yield* Scope.close(scope, Exit.void)
      // a commit still pending now would wake, find the database closed, and log its failure
      yield* TestClock.adjust("2 minutes")
      yield* realPause
      expect(logs).toEqual([])
    }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(message)))))
  })

  it.effect("part ids: some gaps are tolerated, too many fail with Domo's message and commit nothing", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Gaps")
      const ok = yield* createExecution(stream.id)
      for (const p of [0, 2, 4, 5, 6]) yield* upload(stream.id, ok.id, p, `p${p},${p}\n`, bearer)
      expect((yield* commit(stream.id, ok.id)).status).toBe(200)
      const bad = yield* createExecution(stream.id)
      // pydomo < 0.3.0.15 used row offsets as part ids: one gap per part
      for (let i = 0; i < 12; i++) yield* upload(stream.id, bad.id, i * 1000, `r${i},${i}\n`, bearer)
      const res = yield* commit(stream.id, bad.id)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({
        status: 400,
        message: "Too many non-consecutive part ids. Make consecutive or upload multiple data versions"
      })
      const after = decodeExecution((yield* callJson("GET", `/v1/streams/${stream.id}/executions/${bad.id}`)).body)
      expect(after.currentState).toBe("ACTIVE")
      const count = yield* query(stream.dataSet.id, "SELECT count(*) FROM table")
      expect(count.rows).toEqual([[5]])
    }))

  it.effect("parts join in part id order: large part ids, a failed and a good re-upload, two commits", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const stream = yield* createStream("Kept apart", "REPLACE")
      const e = yield* createExecution(stream.id)
      yield* upload(stream.id, e.id, 2 ** 20, "z,9\n", bearer)
      yield* upload(stream.id, e.id, 2, "b,2\n", bearer)
      yield* upload(stream.id, e.id, 1, "a,1\n", bearer)
      expect((yield* upload(stream.id, e.id, 2, "b,x\n", bearer)).status).toBe(400)
      yield* upload(stream.id, e.id, 3, "c,3\nc,33\n", bearer)
      yield* upload(stream.id, e.id, 2, "b,22\n", bearer)
      expect(decodeExecution((yield* commit(stream.id, e.id)).body)).toMatchObject({ currentState: "SUCCESS", rows: 5 })
      const rows = yield* query(stream.dataSet.id, "SELECT Friend, Age, _BATCH_ID_ FROM table")
      expect(rows.rows).toEqual([["a", 1, e.id], ["b", 22, e.id], ["c", 3, e.id], ["c", 33, e.id], ["z", 9, e.id]])
      // the next commit replaces them all
      const next = yield* createExecution(stream.id)
      yield* upload(stream.id, next.id, 2, "y,2\n", bearer)
      yield* upload(stream.id, next.id, 1, "x,1\n", bearer)
      yield* commit(stream.id, next.id)
      const replaced = yield* query(stream.dataSet.id, "SELECT Friend, Age, _BATCH_ID_ FROM table")
      expect(replaced.rows).toEqual([["x", 1, next.id], ["y", 2, next.id]])
      // a column renamed copies the rows into a new table: the batch columns keep their values
      const changed = yield* callJson("PUT", `/v1/datasets/${stream.dataSet.id}`, {
        json: {
          schema: {
            columns: [
              { type: "STRING", name: "Name" },
              { type: "LONG", name: "Age" },
              { type: "LONG", name: "_BATCH_ID_" },
              { type: "DATETIME", name: "_BATCH_LAST_RUN_" }
            ]
          }
        }
      })
      expect(changed.status).toBe(200)
      const copied = yield* query(stream.dataSet.id, "SELECT Name, _BATCH_ID_, _BATCH_LAST_RUN_ FROM table")
      expect(copied.rows.map((r) => r.slice(0, 2))).toEqual([["x", next.id], ["y", next.id]])
      expect(String(copied.rows[0]![2])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
    }))

  it.effect("an abort while a part streams in: the upload answers 400 (not active) and nothing is kept", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const bearer = yield* token()
      const stream = yield* createStream("Abort mid-part", "REPLACE")
      const e = yield* createExecution(stream.id)
      yield* upload(stream.id, e.id, 1, "a,1\n", bearer)
      const url = new URL(partPath(stream.id, e.id, 2), emulator.url)
      const request = Http.request(url, {
        method: "PUT",
        headers: { authorization: `bearer ${bearer}`, "content-type": "text/csv" }
      })
      const answer = Effect.async<{ status: number; body: string }>((resume) => {
        request.on("response", (response) => {
          let body = ""
          response.on("data", (chunk: Buffer) => (body += chunk.toString()))
          response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body })))
        })
      })
      const rows = (n: number) => "b,2\n".repeat(n)
      // enough rows for several insert statements before the abort
      request.write(rows(5000))
      yield* eventually(
        Effect.suspend(() => Effect.succeed(request.writableLength)),
        (pending) => pending === 0
      )
      yield* realPause
      const aborted = yield* callJson("PUT", `/v1/streams/${stream.id}/executions/${e.id}/abort`)
      expect(aborted.status).toBe(200)
      request.end(rows(5000))
      const res = yield* answer
      expect(res.status).toBe(400)
      expect(JSON.parse(res.body)).toMatchObject({ message: expect.stringContaining("is not active") })
      expect((yield* commit(stream.id, e.id)).status).toBe(400)
      expect((yield* query(stream.dataSet.id, "SELECT count(*) FROM table")).rows).toEqual([[0]])
    }))
})
