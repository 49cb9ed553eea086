import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Util from "node:util"
import * as DomoConfig from "../src/DomoConfig.js"

const fromEnv = (env: Record<string, string>) =>
  Layer.build(DomoConfig.layerConfig).pipe(
    Effect.flatMap((context) => DomoConfig.DomoConfig.pipe(Effect.provide(Layer.succeedContext(context)))),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    Effect.scoped
  )

const valid = {
  DOMO_CLIENT_ID: "0c8b6a1e-2f4d-4a6b-9c1d-7e5f3a2b1c0d",
  DOMO_CLIENT_SECRET: "a1b2c3d4e5f60718293a4b5c6d7e8f90"
}

describe("DomoConfig", () => {
  it.effect("layerConfig reads the environment with defaults for host and scopes", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv(valid)
      expect(config.apiHost).toBe("https://api.domo.com")
      expect(config.clientId).toBe(valid.DOMO_CLIENT_ID)
      expect(Redacted.value(config.clientSecret)).toBe(valid.DOMO_CLIENT_SECRET)
      expect(config.scopes).toEqual([])
      expect(Duration.toMillis(config.auth.safetyMargin)).toBe(60_000)
      expect(Duration.toMillis(config.retry.maxRetryAfter)).toBe(60_000)
      // the secret never renders
      expect(JSON.stringify(config)).not.toContain(valid.DOMO_CLIENT_SECRET)
      expect(Util.inspect(config, { depth: 5 })).not.toContain(valid.DOMO_CLIENT_SECRET)
      expect(String(config.clientSecret)).toBe("<redacted>")
    }))

  it.effect("DOMO_SCOPES takes spaces or commas; DOMO_API_HOST takes https or loopback http", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({
        ...valid,
        DOMO_SCOPES: "data, user dashboard",
        DOMO_API_HOST: "http://127.0.0.1:8080/"
      })
      expect(config.scopes).toEqual(["data", "user", "dashboard"])
      expect(config.apiHost).toBe("http://127.0.0.1:8080")
      const local = yield* fromEnv({ ...valid, DOMO_API_HOST: "http://localhost:9" })
      expect(local.apiHost).toBe("http://localhost:9")
      const tls = yield* fromEnv({ ...valid, DOMO_API_HOST: "https://api.example.domo.com" })
      expect(tls.apiHost).toBe("https://api.example.domo.com")
    }))

  it.effect("a missing or invalid variable is a ConfigError naming it", () =>
    Effect.gen(function*() {
      const cases: Array<[Record<string, string>, string]> = [
        [{ DOMO_CLIENT_SECRET: valid.DOMO_CLIENT_SECRET }, "DOMO_CLIENT_ID"],
        [{ DOMO_CLIENT_ID: valid.DOMO_CLIENT_ID }, "DOMO_CLIENT_SECRET"],
        [{ ...valid, DOMO_CLIENT_ID: "  " }, "DOMO_CLIENT_ID"],
        [{ ...valid, DOMO_SCOPES: "data, reports" }, "DOMO_SCOPES"],
        [{ ...valid, DOMO_API_HOST: "http://api.domo.com" }, "DOMO_API_HOST"],
        [{ ...valid, DOMO_API_HOST: "not a url" }, "DOMO_API_HOST"],
        [{ ...valid, DOMO_API_HOST: "ftp://127.0.0.1" }, "DOMO_API_HOST"]
      ]
      for (const [env, name] of cases) {
        const error = yield* Effect.flip(fromEnv(env))
        expect(error._tag).toBe("ConfigError")
        expect(String(error)).toContain(name)
        expect(String(error)).not.toContain(valid.DOMO_CLIENT_SECRET)
      }
      const scopes = yield* Effect.flip(fromEnv({ ...valid, DOMO_SCOPES: "data, reports" }))
      expect(String(scopes)).toContain("reports")
    }))

  it.effect("layer(values) validates the host and the policy", () =>
    Effect.gen(function*() {
      const secret = Redacted.make("x")
      const ok = yield* DomoConfig.make({
        clientId: "id",
        clientSecret: secret,
        auth: { failureTtl: Duration.seconds(2) }
      })
      expect(Duration.toMillis(ok.auth.failureTtl)).toBe(2000)
      expect(ok.auth.renewAtMin).toBe(0.7)
      const http = yield* Effect.flip(
        DomoConfig.make({ apiHost: "http://10.0.0.5", clientId: "id", clientSecret: secret })
      )
      expect(String(http)).toContain("apiHost")
      expect(String(http)).toContain("loopback")
      const policy = yield* Effect.flip(
        DomoConfig.make({ clientId: "id", clientSecret: secret, auth: { renewAtMin: 0.9, renewAtMax: 0.8 } })
      )
      expect(String(policy)).toContain("renewAtMin")
      const empty = yield* Effect.flip(DomoConfig.make({ clientId: "", clientSecret: secret }))
      expect(String(empty)).toContain("clientId")
    }))
})
