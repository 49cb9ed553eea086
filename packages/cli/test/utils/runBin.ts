import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The built bin (`pnpm test` builds first): the tests run it as a user's shell would. */
export const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url))

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

// a clean environment: nothing of the developer's own Domo settings leaks into a test
const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("DOMO_")) env[k] = v
  }
  return env
}

/**
 * Runs `domo …` as a child process, asynchronously: an emulator started in the test process
 * keeps answering while the child runs.
 */
export const runBin = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string> | undefined; readonly input?: string | undefined } = {}
): Effect.Effect<Result> =>
  Effect.async<Result>((resume) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...baseEnv(), ...options.env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    if (options.input !== undefined) child.stdin.end(options.input)
    else child.stdin.end()
    return Effect.sync(() => {
      child.kill()
    })
  })

/**
 * Runs `domo …` and closes its stdout after the first chunk, as `| head -1` does.
 */
export const runBinClosingStdout = (
  args: ReadonlyArray<string>,
  env: Record<string, string>
): Effect.Effect<{ readonly code: number | null; readonly first: string; readonly stderr: string }> =>
  Effect.async((resume) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...baseEnv(), ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let first = ""
    let stderr = ""
    child.stdout.once("data", (d: Buffer) => {
      first = d.toString("utf8")
      child.stdout.destroy()
    })
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("close", (code) => resume(Effect.succeed({ code, first, stderr })))
    return Effect.sync(() => {
      child.kill()
    })
  })
