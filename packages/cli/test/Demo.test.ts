import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { runBin } from "./utils/runBin.js"

describe("domo demo", () => {
  // the README's run command, end to end on its own embedded emulator (fewer rows: same path)
  it.live("walks every step, verifies its data, renews the token with no failed request", () =>
    Effect.gen(function*() {
      const result = yield* runBin(["demo", "--rows", "60000", "--verify-rows", "20000", "--token-lifetime", "3"])
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" })
      const out = result.stdout
      for (
        const step of [
          "1/8  Start the embedded emulator",
          "2/8  Authenticate",
          "3/8  Create a typed dataset",
          "4/8  Upload 60,000 generated rows through the Stream API",
          "5/8  Run a SQL query",
          "6/8  Export a slice back and verify it (20,000 rows)",
          "7/8  Set a PDP policy",
          "8/8  Watch a token renewal"
        ]
      ) expect(out).toContain(step)
      expect(out).toMatch(/scopes granted: data /)
      expect(out).toMatch(/execution 1 SUCCESS: 60,000 rows/)
      expect(out).toMatch(/60,000 rows counted: all of them arrived/)
      expect(out).toMatch(/20,000 rows equal to the generated ones/)
      expect(out).toMatch(/West region only\s+region EQUALS West/)
      expect(out).toMatch(/↻ .*: token renewed in the background/)
      expect(out).toMatch(/calls across the renewal, 0 failed/)
      expect(out).toMatch(
        /HTTP requests \(\d+ for tokens, \d+ distinct tokens used\), 0 failed; [1-9]\d* background renewals, 0 failed renewals/
      )
      expect(out).toMatch(/total\s+\d/)
    }), 90_000)
})
