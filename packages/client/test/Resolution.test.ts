import * as ByName from "@effect-domo/client/DomoScope"
import { describe, expect, it } from "@effect/vitest"
import * as BySource from "../src/DomoScope.js"

describe("workspace resolution in tests", () => {
  // Tests must exercise the sources, never a stale dist/: the package name resolves through the
  // `@effect-domo/source` export condition to the same module as the relative import.
  it("@effect-domo/client resolves to src/, not dist/", () => {
    expect(ByName).toBe(BySource)
  })
})
