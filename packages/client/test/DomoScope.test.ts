import { DomoScope } from "@effect-domo/client"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"

describe("DomoScope", () => {
  it("parses space- and comma-separated lists, case-insensitively, without duplicates", () => {
    expect(DomoScope.parseList("data user")).toEqual(Either.right(["data", "user"]))
    expect(DomoScope.parseList(" DATA, user,,data  audit ")).toEqual(Either.right(["data", "user", "audit"]))
    expect(DomoScope.parseList("")).toEqual(Either.right([]))
  })

  it("names the first unknown scope", () => {
    const result = DomoScope.parseList("data admin")
    expect(Either.isLeft(result)).toBe(true)
    expect(Either.isLeft(result) && result.left).toContain(`unknown scope "admin"`)
  })

  it("formats as Domo's wire form", () => {
    expect(DomoScope.format(["data", "workflow"])).toBe("data workflow")
    expect(DomoScope.all).toHaveLength(7)
  })
})
