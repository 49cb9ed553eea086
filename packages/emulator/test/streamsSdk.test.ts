import { StreamModels } from "@effect-domo/client"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import * as Emulator from "../src/Emulator.js"

// Domo's official npm SDK (domo-sdk 2.0.1, unchanged) drives every Stream API call it has, in a
// child process, over https (the only scheme it speaks), trusting the emulator's CA through
// NODE_EXTRA_CA_CERTS.
const script = String.raw`
const zlib = require("zlib")
const { DomoClient } = require("domo-sdk")
const { API_SCOPE } = require("domo-sdk/dist/common/Constants")
const [host, clientId, clientSecret] = process.argv.slice(1)
;(async () => {
  const domo = new DomoClient(clientId, clientSecret, [API_SCOPE.DATA], host)
  const out = {}
  const dataSet = {
    name: "Leonhard Euler Party",
    description: "Mathematician Guest List",
    rows: 0,
    schema: { columns: [{ type: "STRING", name: "Friend" }, { type: "STRING", name: "Attending" }] }
  }
  out.created = await domo.streams.create({ dataSet, updateMethod: "APPEND" })
  const id = out.created.id
  out.got = await domo.streams.get(id)
  out.list = await domo.streams.list()
  out.updated = await domo.streams.update(id, { updateMethod: "REPLACE" })
  out.search = await domo.streams.search(["dataSource.name:Leonhard Euler Party", "dataSource.owner.id:1"])
  out.execution = await domo.streams.createExecution(id)
  const exec = out.execution.id
  out.part1 = JSON.parse(await domo.streams.uploadPart(id, exec, 1, "Pythagoras,FALSE\nAlan Turing,TRUE\n"))
  out.part2 = JSON.parse(await domo.streams.uploadCompressedPart(id, exec, 2, zlib.gzipSync("\"Euler, Leonhard\",TRUE\n")))
  out.gotExecution = await domo.streams.getExecution(id, exec)
  out.committed = await domo.streams.commit(id, exec)
  out.executions = await domo.streams.listExecutions(id, 50, 0)
  out.exported = await domo.datasets.exportData(out.created.dataSet.id, true)
  const second = await domo.streams.createExecution(id)
  out.aborted = await domo.streams.abort(id, second.id)
  await domo.streams.createExecution(id)
  out.abortedCurrent = await domo.streams.abort(id)
  out.afterAbort = await domo.streams.listExecutions(id, 50, 0)
  out.deleted = await domo.streams.delete(id)
  try { await domo.streams.get(id) } catch (e) { out.missing = { status: e.error && e.error.statusCode, body: e.error && e.error.error } }
  out.datasetAfter = await domo.datasets.get(out.created.dataSet.id)
  process.stdout.write(JSON.stringify(out))
})().catch((e) => { process.stderr.write(String(e && e.stack) + " " + JSON.stringify(e && e.error && e.error.error)); process.exit(1) })
`

const runSdk = (emulator: Emulator.EmulatorService) =>
  Effect.async<string, Error>((resume) => {
    ChildProcess.execFile(
      process.execPath,
      ["-e", script, emulator.url.replace(/^https:\/\//, ""), emulator.clientId, Redacted.value(emulator.clientSecret)],
      {
        cwd: Path.join(import.meta.dirname, ".."),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caFile ?? "" },
        timeout: 30_000
      },
      (error, stdout, stderr) =>
        resume(error === null ? Effect.succeed(stdout) : Effect.fail(new Error(`${error.message}\n${stderr}`)))
    )
  })

const decodeStream = Schema.decodeUnknownSync(StreamModels.Stream)
const decodeExecution = Schema.decodeUnknownSync(StreamModels.Execution)
const decodeExecutions = Schema.decodeUnknownSync(Schema.Array(StreamModels.Execution))

describe("domo-sdk streams (Domo's official Node SDK)", () => {
  it.live("every StreamClient call runs unchanged against the emulator", () =>
    Effect.gen(function*() {
      const stdout = yield* Effect.scoped(Effect.flatMap(Emulator.make({ tls: true }), runSdk))
      const out = JSON.parse(stdout) as Record<string, unknown>
      const created = decodeStream(out.created)
      expect(created).toMatchObject({ updateMethod: "APPEND", dataSet: { name: "Leonhard Euler Party", rows: 0 } })
      expect(decodeStream(out.got).id).toBe(created.id)
      expect((out.list as Array<{ id: number }>).map((s) => s.id)).toEqual([created.id])
      expect(decodeStream(out.updated).updateMethod).toBe("REPLACE")
      expect((out.search as Array<{ id: number }>).map((s) => s.id)).toEqual([created.id])
      expect(decodeExecution(out.execution)).toMatchObject({ id: 1, currentState: "ACTIVE", updateMethod: "REPLACE" })
      expect(decodeExecution(out.part1).rows).toBe(2)
      expect(decodeExecution(out.part2).rows).toBe(3)
      expect(decodeExecution(out.gotExecution).currentState).toBe("ACTIVE")
      expect(decodeExecution(out.committed)).toMatchObject({ currentState: "SUCCESS", rows: 3 })
      expect(decodeExecutions(out.executions).map((e) => e.currentState)).toEqual(["SUCCESS"])
      const lines = String(out.exported).split("\n")
      expect(lines[0]).toBe("Friend,Attending,_BATCH_ID_,_BATCH_LAST_RUN_")
      expect(lines.slice(1, 4).map((l) => l.replace(/,1,[^,]+$/, ""))).toEqual([
        "Pythagoras,FALSE",
        "Alan Turing,TRUE",
        "\"Euler, Leonhard\",TRUE"
      ])
      expect(decodeExecution(out.aborted)).toMatchObject({ id: 2, currentState: "ABORTED" })
      expect(decodeExecutions(out.afterAbort).map((e) => e.currentState)).toEqual(["SUCCESS", "ABORTED", "ABORTED"])
      expect(out.missing).toMatchObject({ status: 404 })
      expect(out.datasetAfter).toMatchObject({ id: created.dataSet.id, rows: 3 })
    }), 40_000)
})
