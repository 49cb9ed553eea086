import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Emulator } from "../src/Emulator.js"
import { call, callJson, testLayer } from "./helpers.js"

const tokenFor = (clientId: string, secret: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(
      HttpClientRequest.get(`${emulator.url}/oauth/token?grant_type=client_credentials`).pipe(
        HttpClientRequest.basicAuth(clientId, secret)
      )
    )
    return ((yield* response.json) as { access_token: string }).access_token
  })

const participant = (userId: number) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    yield* emulator.registerClient({
      clientId: `p${userId}`,
      clientSecret: `s${userId}`,
      scopes: ["data"],
      userId,
      userName: `User ${userId}`,
      role: "Participant",
      customer: "emulator"
    })
    return yield* tokenFor(`p${userId}`, `s${userId}`)
  })

layer(testLayer())("PDP enforcement", (it) => {
  it.effect("with pdpEnabled, a participant sees only the rows of its policies; admins all", () =>
    Effect.gen(function*() {
      const created = yield* callJson("POST", "/v1/datasets", {
        json: {
          name: "Party",
          schema: {
            columns: [{ type: "STRING", name: "Friend" }, { type: "STRING", name: "Attending" }, {
              type: "LONG",
              name: "Age"
            }]
          }
        }
      })
      const id = (created.body as { id: string }).id
      yield* call("PUT", `/v1/datasets/${id}/data`, {
        text: "Pythagoras,FALSE,60\nAlan Turing,TRUE,41\nEuler,TRUE,76\nNoether,,53\nHypatia,FALSE,45\n"
      })
      yield* callJson("POST", `/v1/datasets/${id}/policies`, {
        json: {
          name: "Attendees",
          filters: [{ column: "Attending", values: ["TRUE"], operator: "EQUALS" }],
          users: [27]
        }
      })
      yield* callJson("POST", `/v1/datasets/${id}/policies`, {
        json: {
          name: "Young non-attendees",
          filters: [
            { column: "Age", values: ["55"], operator: "LESS_THAN" },
            { column: "Attending", values: ["TRUE"], operator: "EQUALS", not: true }
          ],
          users: [29]
        }
      })
      const p27 = yield* participant(27)
      const p28 = yield* participant(28)
      const p29 = yield* participant(29)
      const exportAs = (token: string) =>
        Effect.flatMap(call("GET", `/v1/datasets/${id}/data`, { token, accept: "text/csv" }), (r) => r.text)
      // PDP off: everyone sees everything
      expect(yield* exportAs(p28)).toBe(
        "Pythagoras,FALSE,60\nAlan Turing,TRUE,41\nEuler,TRUE,76\nNoether,,53\nHypatia,FALSE,45\n"
      )
      yield* callJson("PUT", `/v1/datasets/${id}`, { json: { pdpEnabled: true } })
      expect(yield* exportAs(p27)).toBe("Alan Turing,TRUE,41\nEuler,TRUE,76\n")
      expect(yield* exportAs(p28)).toBe("")
      // Age < 55 and not attending (a NULL never matches)
      expect(yield* exportAs(p29)).toBe("Hypatia,FALSE,45\n")
      const query = yield* callJson("POST", `/v1/datasets/query/execute/${id}`, {
        token: p27,
        json: { sql: "SELECT Friend FROM table ORDER BY Friend" }
      })
      expect((query.body as { rows: unknown }).rows).toEqual([["Alan Turing"], ["Euler"]])
      const admin = yield* call("GET", `/v1/datasets/${id}/data`, { accept: "text/csv" })
      expect((yield* admin.text).split("\n")).toHaveLength(6)
    }))
})
