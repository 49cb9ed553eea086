import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { call, testLayer, token } from "./helpers.js"

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as { iat: number; exp: number }

layer(testLayer({ clock: "inherit", tokenLifetimeSeconds: 60 }))("clock: inherit", (it) => {
  it.effect("tokens follow the TestClock: issued at its time, expired when it passes exp", () =>
    Effect.gen(function*() {
      const bearer = yield* token()
      const { iat, exp } = claims(bearer)
      expect(exp - iat).toBe(60)
      expect((yield* call("GET", "/v1/datasets", { token: bearer })).status).toBe(200)
      yield* TestClock.adjust("59 seconds")
      expect((yield* call("GET", "/v1/datasets", { token: bearer })).status).toBe(200)
      yield* TestClock.adjust("2 seconds")
      expect((yield* call("GET", "/v1/datasets", { token: bearer })).status).toBe(401)
    }))
})
