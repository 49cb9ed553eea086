#!/usr/bin/env node
/**
 * `domo-emulator`: start the emulator and print the environment lines a shell can take in.
 *
 * @since 0.1.0
 */
import { DomoScope } from "@effect-domo/client"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { parseArgs } from "node:util"
import * as Admin from "./Admin.js"
import * as Emulator from "./Emulator.js"
import { FaultSettings } from "./Faults.js"

const usage = `Usage: domo-emulator [options]

  --port N              port to listen on (default 0: a free port)
  --host H              interface to listen on (default 127.0.0.1)
  --data FILE           SQLite data file (default: in memory)
  --seed N              seed of every random choice (ids, toes, random faults)
  --token-lifetime S    token lifetime in seconds (default 3600)
  --client-id ID        the demo client's id (with --client-secret)
  --client-secret S     the demo client's secret
  --scopes LIST         the demo client's scopes (default: all)
  --customer NAME       the instance name tokens carry (default emulator)
  --clients JSON        more clients: [{"clientId","clientSecret","scopes"?,"userId"?,"role"?,…}]
  --tls                 serve https with a self-signed certificate
  --ca-file FILE        where --tls writes its CA certificate
  --latency MS          latency added to every Domo call
  --commit-delay MS     asynchronous Stream commits, as Domo's: the commit answers ACTIVE and
                        the parts are applied MS later (clients poll the execution)
  --faults JSON         fault settings (as PUT /__emulator/faults takes)
  --help                this text
`

type ClientRegistration = typeof Admin.ClientRegistration.Type

const fail = (message: string): never => {
  process.stderr.write(`domo-emulator: ${message}\n\n${usage}`)
  process.exit(2)
}

const integer = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  return Number.isInteger(n) && n >= 0 ? n : fail(`--${name} must be a non-negative integer, got '${value}'`)
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        data: { type: "string" },
        seed: { type: "string" },
        "token-lifetime": { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        scopes: { type: "string" },
        customer: { type: "string" },
        clients: { type: "string" },
        tls: { type: "boolean" },
        "ca-file": { type: "string" },
        latency: { type: "string" },
        "commit-delay": { type: "string" },
        faults: { type: "string" },
        help: { type: "boolean" }
      },
      allowPositionals: false
    })
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e))
  }
})()

if (values.help === true) {
  process.stdout.write(usage)
  process.exit(0)
}
if ((values["client-id"] === undefined) !== (values["client-secret"] === undefined)) {
  fail("--client-id and --client-secret go together")
}
const scopes = values.scopes === undefined ? undefined : DomoScope.parseList(values.scopes)
if (scopes !== undefined && Either.isLeft(scopes)) fail(scopes.left)
let faults: FaultSettings | undefined
if (values.faults !== undefined) {
  try {
    faults = Schema.decodeUnknownSync(FaultSettings)(JSON.parse(values.faults))
  } catch (e) {
    fail(`--faults: ${e instanceof Error ? e.message : String(e)}`)
  }
}
let clients: ReadonlyArray<ClientRegistration> | undefined
if (values.clients !== undefined) {
  try {
    clients = Schema.decodeUnknownSync(Schema.Array(Admin.ClientRegistration))(JSON.parse(values.clients))
  } catch (e) {
    fail(`--clients: ${e instanceof Error ? e.message : String(e)}`)
  }
}
const latency = integer("latency", values.latency)
if (latency !== undefined) faults = { ...faults, latencyMs: latency }
const commitDelay = integer("commit-delay", values["commit-delay"])
if (commitDelay !== undefined) faults = { ...faults, commitDelayMs: commitDelay }

const options: Emulator.EmulatorOptions = {
  port: integer("port", values.port) ?? 0,
  host: values.host,
  dataFile: values.data,
  seed: integer("seed", values.seed),
  tokenLifetimeSeconds: integer("token-lifetime", values["token-lifetime"]),
  clientId: values["client-id"],
  clientSecret: values["client-secret"],
  scopes: scopes !== undefined && Either.isRight(scopes) ? scopes.right : undefined,
  customer: values.customer,
  clients,
  tls: values.tls === true ? { caFile: values["ca-file"] } : undefined,
  faults
}

const main = Effect.gen(function*() {
  const emulator = yield* Emulator.make(options)
  const lines = [
    `DOMO_API_HOST=${emulator.url}`,
    `DOMO_CLIENT_ID=${emulator.clientId}`,
    // printed on purpose: the demo client's secret is what a shell needs to talk to it
    `DOMO_CLIENT_SECRET=${Redacted.value(emulator.clientSecret)}`,
    ...(emulator.caFile === undefined ? [] : [`DOMO_EMULATOR_CA=${emulator.caFile}`])
  ]
  process.stdout.write(lines.join("\n") + "\n")
  process.stderr.write(
    `domo-emulator: listening on ${emulator.url}${
      options.dataFile === undefined ? " (in memory)" : ` (data in ${options.dataFile})`
    }${emulator.caFile === undefined ? "" : `; trust the CA with NODE_EXTRA_CA_CERTS=${emulator.caFile}`}\n`
  )
  return yield* Effect.never
})

NodeRuntime.runMain(Effect.scoped(main), { disableErrorReporting: false })
