import { DataSetModels } from "@effect-domo/client"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import * as Emulator from "../src/Emulator.js"

// Runs Domo's official npm SDK (domo-sdk 2.0.1, unchanged) in a child process against the
// emulator over https: the SDK only speaks https, and trusts the emulator's CA through
// NODE_EXTRA_CA_CERTS like any Node program would.
const script = String.raw`
const https = require("https")
const { DomoClient } = require("domo-sdk")
const { API_SCOPE } = require("domo-sdk/dist/common/Constants")
const [host, clientId, clientSecret] = process.argv.slice(1)
const revokeAll = () => new Promise((resolve, reject) => {
  const req = https.request("https://" + host + "/__emulator/tokens/revoke", { method: "POST", headers: { "content-type": "application/json" } }, (res) => { res.resume(); res.on("end", resolve) })
  req.on("error", reject)
  req.end("{}")
})
;(async () => {
  const domo = new DomoClient(clientId, clientSecret, [API_SCOPE.DATA, API_SCOPE.USER], host)
  const out = {}
  const schema = { columns: [{ type: "STRING", name: "Friend" }, { type: "STRING", name: "Attending" }] }
  out.created = await domo.datasets.create({ name: "Leonhard Euler Party", description: "Mathematician Guest List", rows: 0, schema })
  const id = out.created.id
  out.got = await domo.datasets.get(id)
  out.list = await domo.datasets.list(50, 0, "name")
  out.updated = await domo.datasets.update(id, { name: "Leonhard Euler Party 2", description: "updated" })
  out.imported = await domo.datasets.importData(id, "Pythagoras,FALSE\nAlan Turing,TRUE\n\"Euler, Leonhard\",TRUE\n")
  out.exported = await domo.datasets.exportData(id, true)
  // every token is revoked: the SDK sees a 401, renews its token and retries (it renews only
  // on 401; a CSV call would get Domo's 406 page instead, which this SDK does not handle)
  await revokeAll()
  out.policy = await domo.policies.create(id, { name: "Only Show Attendees", filters: [{ column: "Attending", values: ["TRUE"], operator: "EQUALS" }], users: [27] })
  out.policyGot = await domo.policies.get(id, out.policy.id)
  out.policies = await domo.policies.list(id)
  out.policyUpdated = await domo.policies.update(id, out.policy.id, { name: "Renamed", users: [27], groups: [4] })
  out.policyDeleted = await domo.policies.delete(id, out.policy.id)
  out.deleted = await domo.datasets.delete(id)
  try { await domo.datasets.get("00000000-0000-4000-8000-000000000000") } catch (e) { out.missing = { message: e.message, status: e.error && e.error.statusCode, body: e.error && e.error.error } }
  process.stdout.write(JSON.stringify(out))
})().catch((e) => { process.stderr.write(String(e && e.stack) + " " + JSON.stringify(e && e.error && e.error.error)); process.exit(1) })
`

const runSdk = (emulator: Emulator.EmulatorService) =>
  Effect.async<string, Error>((resume) => {
    const host = emulator.url.replace(/^https:\/\//, "")
    ChildProcess.execFile(
      process.execPath,
      ["-e", script, host, emulator.clientId, Redacted.value(emulator.clientSecret)],
      {
        cwd: Path.join(import.meta.dirname, ".."),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caFile ?? "" },
        timeout: 30_000
      },
      (error, stdout, stderr) =>
        resume(error === null ? Effect.succeed(stdout) : Effect.fail(new Error(`${error.message}\n${stderr}`)))
    )
  })

describe("domo-sdk (Domo's official Node SDK)", () => {
  it.live("datasets and PDP calls run unchanged against the emulator", () =>
    Effect.gen(function*() {
      const { counters, stdout } = yield* Effect.scoped(Effect.gen(function*() {
        const emulator = yield* Emulator.make({ tls: true })
        const stdout = yield* runSdk(emulator)
        return { stdout, counters: yield* emulator.requestLog.counters }
      }))
      const out = JSON.parse(stdout) as Record<string, unknown>
      const created = Schema.decodeUnknownSync(DataSetModels.DataSet)(out.created)
      expect(created).toMatchObject({ name: "Leonhard Euler Party", rows: 0 })
      expect(Schema.decodeUnknownSync(DataSetModels.DataSet)(out.got).id).toBe(created.id)
      expect((out.list as Array<{ id: string }>).map((d) => d.id)).toContain(created.id)
      expect(out.updated).toMatchObject({ name: "Leonhard Euler Party 2", description: "updated" })
      expect(out.exported).toBe("Friend,Attending\nPythagoras,FALSE\nAlan Turing,TRUE\n\"Euler, Leonhard\",TRUE\n")
      expect(out.policy).toMatchObject({
        type: "user",
        name: "Only Show Attendees",
        filters: [{ column: "Attending", values: ["TRUE"], operator: "EQUALS", not: false }],
        users: [27],
        groups: []
      })
      expect(out.policyUpdated).toMatchObject({ name: "Renamed", groups: [4] })
      expect((out.policies as Array<unknown>).length).toBe(2)
      expect(out.missing).toMatchObject({ status: 404 })
      // one token at the start, one renewal after the revocation
      expect(counters.tokenRequests).toBe(2)
    }), 40_000)
})
