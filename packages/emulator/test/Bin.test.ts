import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"

const BIN = Path.join(import.meta.dirname, "..", "dist", "bin.js")

// Start the built bin, wait for its three environment lines, use them, then stop it.
const startBin = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<{ readonly child: ChildProcess.ChildProcess; readonly env: Record<string, string> }, Error>(
      (resume) => {
        const child = ChildProcess.spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] })
        let out = ""
        let err = ""
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8")
          const env = Object.fromEntries(
            out.split("\n").filter((l) => l.includes("=")).map((
              l
            ) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)])
          )
          if (env.DOMO_CLIENT_SECRET !== undefined && out.endsWith("\n")) resume(Effect.succeed({ child, env }))
        })
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")))
        child.on("exit", (code) => resume(Effect.fail(new Error(`bin exited with ${code}: ${err}`))))
      }
    ),
    ({ child }) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.on("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  )

describe("domo-emulator bin", () => {
  it.live(
    "prints DOMO_API_HOST, DOMO_CLIENT_ID, DOMO_CLIENT_SECRET that work at once",
    () =>
      Effect.scoped(Effect.gen(function*() {
        expect(Fs.existsSync(BIN)).toBe(true)
        const { env } = yield* startBin([
          "--port",
          "0",
          "--seed",
          "5",
          "--token-lifetime",
          "120",
          "--clients",
          JSON.stringify([{ clientId: "reporting", clientSecret: "r-secret", scopes: ["data"], role: "Participant" }])
        ])
        expect(env.DOMO_API_HOST).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        const auth = Buffer.from(`${env.DOMO_CLIENT_ID}:${env.DOMO_CLIENT_SECRET}`).toString("base64")
        const body = yield* Effect.promise(() =>
          fetch(`${env.DOMO_API_HOST}/oauth/token?grant_type=client_credentials`, {
            headers: { authorization: `Basic ${auth}` }
          }).then((r) => r.json() as Promise<Record<string, unknown>>)
        )
        expect(body).toMatchObject({ token_type: "bearer", expires_in: 120 })
        expect(String(body.scope).split(" ").sort()).toEqual(
          ["account", "audit", "buzz", "dashboard", "data", "user", "workflow"]
        )
        const extra = yield* Effect.promise(() =>
          fetch(`${env.DOMO_API_HOST}/oauth/token?grant_type=client_credentials`, {
            headers: { authorization: `Basic ${Buffer.from("reporting:r-secret").toString("base64")}` }
          }).then((r) => r.json() as Promise<Record<string, unknown>>)
        )
        expect(extra).toMatchObject({ scope: "data", role: "Participant" })
      })),
    30_000
  )

  it.live("rejects a bad flag with a usage message", () =>
    Effect.gen(function*() {
      const result = yield* Effect.async<{ code: number | null; stderr: string }>((resume) => {
        ChildProcess.execFile(process.execPath, [BIN, "--port", "nope"], (error, _stdout, stderr) =>
          resume(Effect.succeed({ code: error === null ? 0 : (error.code as number | null), stderr })))
      })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("--port must be a non-negative integer")
    }), 30_000)
})
