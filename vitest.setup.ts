import { addEqualityTesters } from "@effect/vitest"

// lets expect(...).toEqual compare Effect data types (Option, Either, Data.struct, ...) structurally
addEqualityTesters()
