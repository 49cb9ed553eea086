import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { installLeakScanner, record } from "./utils/LeakScanner.js"
import { setup } from "./utils/setup.js"

installLeakScanner()

describe("real-time smoke test", () => {
  it.scopedLive(
    "3-second tokens, 20 s of steady traffic: zero 401s, every renewal before expiry",
    () =>
      Effect.gen(function*() {
        const { client, state } = yield* setup({ expiresIn: 3 })
        const started = Date.now()
        let calls = 0
        let failures = 0
        const worker = Effect.gen(function*() {
          while (Date.now() - started < 20_000) {
            const exit = yield* Effect.exit(client.get("/v1/datasets"))
            if (exit._tag === "Failure") {
              failures++
              record(exit)
            }
            calls++
            yield* Effect.sleep("20 millis")
          }
        })
        yield* Effect.all([worker, worker, worker, worker], { concurrency: "unbounded" })
        expect(failures).toBe(0)
        expect(state.unauthorized).toBe(0)
        expect(calls).toBeGreaterThan(400)
        // renewed in the background every ~2.1–2.2 s: at least 8 tokens in 20 s, each before the last expired
        expect(state.issued.length).toBeGreaterThanOrEqual(8)
        for (let i = 1; i < state.issuedAt.length; i++) {
          expect(state.issuedAt[i]! - state.issuedAt[i - 1]!).toBeLessThan(3000 - 500)
        }
      }),
    { timeout: 40_000 }
  )
})
