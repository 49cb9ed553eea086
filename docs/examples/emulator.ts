import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

// A real server on 127.0.0.1, on a free port, for as long as the layer's scope is open.
const EmulatorLive = Emulator.layer({ seed: 42, tokenLifetimeSeconds: 60 })

const program = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const http = yield* HttpClient.HttpClient

  // The next 2 CSV imports answer 503 with Retry-After: 1, then the emulator behaves again.
  yield* emulator.faults.script({
    method: "PUT",
    path: "/v1/datasets/*/data",
    times: 2,
    fault: { _tag: "Status", status: 503, retryAfter: 1 }
  })

  const token = yield* http.execute(
    HttpClientRequest.get(`${emulator.url}/oauth/token?grant_type=client_credentials&scope=data`).pipe(
      HttpClientRequest.basicAuth(emulator.clientId, Redacted.value(emulator.clientSecret))
    )
  ).pipe(Effect.flatMap((response) => response.json))
  console.log(token)

  // What the server saw: token requests, calls per route, the token each call carried.
  const counters = yield* emulator.requestLog.counters
  console.log(counters.tokenRequests, counters.perRoute)
})

program.pipe(
  Effect.provide(Layer.merge(EmulatorLive, NodeHttpClient.layerUndici)),
  Effect.runPromise
)
