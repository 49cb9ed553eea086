import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"

// The tests run the built bin (`pnpm test` builds first), as a user's shell would.
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

describe("domo bin", () => {
  it("prints its version", () => {
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" }).trim()).toBe("0.1.0")
  })

  it("prints help naming the command", () => {
    const help = execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8" })
    expect(help).toContain("domo")
    expect(help).toContain("platform API")
  })
})
