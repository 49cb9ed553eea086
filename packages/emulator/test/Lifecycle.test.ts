import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Https from "node:https"
import * as Emulator from "../src/Emulator.js"
import { call, callJson, token } from "./helpers.js"

const withEmulator = <A, E>(
  options: Emulator.EmulatorOptions,
  effect: Effect.Effect<A, E, Emulator.Emulator | HttpClient.HttpClient>
) => Effect.scoped(Effect.provide(effect, Layer.merge(Emulator.layer(options), NodeHttpClient.layerUndici)))

describe("Lifecycle", () => {
  it.live("a data file keeps datasets, rows, clients and tokens across a restart", () =>
    Effect.gen(function*() {
      const dataFile = Emulator.tempDataFile()
      const first = yield* withEmulator(
        { dataFile },
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const bearer = yield* token()
          const created = yield* callJson("POST", "/v1/datasets", {
            token: bearer,
            json: { name: "Kept", schema: { columns: [{ type: "STRING", name: "a" }, { type: "DECIMAL", name: "b" }] } }
          })
          const id = (created.body as { id: string }).id
          yield* call("PUT", `/v1/datasets/${id}/data`, { token: bearer, text: "x,1.10\n\"\",\ny,2.000\n" })
          return { id, bearer, clientId: emulator.clientId, secret: Redacted.value(emulator.clientSecret) }
        })
      )
      const second = yield* withEmulator(
        { dataFile },
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          // the old token is still good: the signing key is in the file
          const got = yield* callJson("GET", `/v1/datasets/${first.id}`, { token: first.bearer })
          const exported = yield* call("GET", `/v1/datasets/${first.id}/data`, {
            token: first.bearer,
            accept: "text/csv"
          })
          return {
            clientId: emulator.clientId,
            secret: Redacted.value(emulator.clientSecret),
            got,
            csv: yield* exported.text
          }
        })
      )
      expect(second.clientId).toBe(first.clientId)
      expect(second.secret).toBe(first.secret)
      expect(second.got.status).toBe(200)
      expect(second.got.body).toMatchObject({ name: "Kept", rows: 3 })
      expect(second.csv).toBe("x,1.10\n\"\",\ny,2.000\n")
      Fs.rmSync(dataFile, { force: true })
    }))

  it.live("the same seed gives the same ids, toes and random faults", () =>
    Effect.gen(function*() {
      const run = withEmulator(
        { seed: 99, faults: { random: { probability: 0.5, fault: { _tag: "Status", status: 500 } } } },
        Effect.gen(function*() {
          const statuses: Array<number> = []
          const bodies: Array<unknown> = []
          const bearer = yield* token()
          for (let i = 0; i < 10; i++) {
            const res = yield* callJson("GET", "/v1/datasets", { token: bearer })
            statuses.push(res.status)
            bodies.push(res.body)
          }
          const emulator = yield* Emulator.Emulator
          return { statuses, bodies, clientId: emulator.clientId }
        })
      )
      const a = yield* run
      const b = yield* run
      expect(a.statuses).toContain(500)
      expect(a.statuses).toContain(200)
      expect(b).toEqual(a)
    }))

  it.live("TLS: https with a self-signed certificate whose CA is written to a file", () =>
    Effect.gen(function*() {
      const result = yield* Effect.scoped(Effect.gen(function*() {
        const emulator = yield* Emulator.make({ tls: true })
        expect(emulator.url.startsWith("https://127.0.0.1:")).toBe(true)
        const ca = Fs.readFileSync(emulator.caFile!, "utf8")
        expect(ca).toContain("BEGIN CERTIFICATE")
        const get = (options: Https.RequestOptions) =>
          Effect.async<{ status: number; body: string }, Error>((resume) => {
            const request = Https.request(`${emulator.url}/oauth/token?grant_type=client_credentials`, {
              ...options,
              auth: `${emulator.clientId}:${Redacted.value(emulator.clientSecret)}`
            }, (response) => {
              let body = ""
              response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")))
              response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body })))
            })
            request.on("error", (error) => resume(Effect.fail(error)))
            request.end()
          })
        const trusted = yield* get({ ca })
        const untrusted = yield* Effect.either(get({}))
        return { trusted, untrusted }
      }))
      expect(result.trusted.status).toBe(200)
      expect(JSON.parse(result.trusted.body)).toHaveProperty("access_token")
      expect(result.untrusted._tag).toBe("Left")
    }))

  it.live("a port in use is a typed start error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.scoped(Effect.gen(function*() {
        const first = yield* Emulator.make({})
        return yield* Effect.flip(Emulator.make({ port: first.port }))
      }))
      expect(error._tag).toBe("EmulatorStartError")
      expect(error.message).toContain("could not start")
    }))

  it.live("a data file that cannot be opened is a typed start error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.scoped(Emulator.make({ dataFile: "/nonexistent-dir/x/domo.sqlite" })))
      expect(error._tag).toBe("EmulatorStartError")
    }))

  it.live("stopping the layer closes the port", () =>
    Effect.gen(function*() {
      const url = yield* withEmulator({}, Effect.map(Emulator.Emulator, (e) => e.url))
      const client = yield* Effect.provide(HttpClient.HttpClient, NodeHttpClient.layerUndici)
      const after = yield* Effect.either(client.execute(HttpClientRequest.get(`${url}/__emulator/health`)))
      expect(after._tag).toBe("Left")
    }))
})
