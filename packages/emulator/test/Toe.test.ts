import { Toe } from "@effect-domo/emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"

describe("Toe", () => {
  it.effect("has Domo's 10-5-5 shape", () =>
    Effect.gen(function*() {
      const toe = yield* Toe.make
      expect(Toe.isToe(toe)).toBe(true)
      expect(Toe.isToe("CA6JIHTO46-28C5D-UEQ7I")).toBe(true)
      expect(Toe.isToe("ca6jihto46-28c5d-ueq7i")).toBe(false)
    }))

  it.effect("is reproducible under a seeded Random", () =>
    Effect.gen(function*() {
      const a = yield* Toe.make.pipe(Effect.withRandom(Random.make(42)))
      const b = yield* Toe.make.pipe(Effect.withRandom(Random.make(42)))
      const c = yield* Toe.make.pipe(Effect.withRandom(Random.make(43)))
      expect(a).toBe(b)
      expect(a).not.toBe(c)
    }))
})
