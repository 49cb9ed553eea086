import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Codecs from "../src/internal/columnCodecs.js"

// The CSV decoder reads LONG, DOUBLE, DATE and DATETIME fields in place (no substring). Each
// in-place reader must agree with its text codec on every input: same value, same error.
const outcome = (run: () => unknown): unknown => {
  try {
    const value = run()
    return value instanceof Date ? ["date", value.getTime()] : ["value", value]
  } catch (error) {
    return ["error", error instanceof Codecs.ValueError ? error.reason : String(error)]
  }
}

const agree = (
  text: (s: string) => unknown,
  at: (buf: string, start: number, end: number) => unknown,
  field: string,
  before: string,
  after: string
) => {
  const buf = before + field + after
  const inPlace = outcome(() => at(buf, before.length, before.length + field.length))
  const viaText = outcome(() => text(field))
  expect(inPlace).toStrictEqual(viaText)
}

const chars = (alphabet: string) =>
  fc.string({ unit: fc.constantFrom(...alphabet.split("")), minLength: 1, maxLength: 24 })
const around = fc.string({ maxLength: 4 })

describe("in-place column readers agree with the text codecs", () => {
  it("LONG", () => {
    fc.assert(fc.property(chars("0123456789-+. e"), around, around, (f, b, a) => {
      agree(Codecs.decodeLong, Codecs.decodeLongAt, f, b, a)
    }))
    fc.assert(fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
      agree(Codecs.decodeLong, Codecs.decodeLongAt, String(n), ",", ",")
    }))
    for (const f of ["-0", "0", "999999999999999", "9999999999999999", "9007199254740993", "-", "+1", "1a"]) {
      agree(Codecs.decodeLong, Codecs.decodeLongAt, f, "x", "y")
    }
  })

  it("DOUBLE (bit for bit, including -0 and 15+ digit mantissas)", () => {
    fc.assert(fc.property(chars("0123456789-+.eE"), around, around, (f, b, a) => {
      agree(Codecs.decodeDouble, Codecs.decodeDoubleAt, f, b, a)
    }))
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      agree(Codecs.decodeDouble, Codecs.decodeDoubleAt, String(n), "", "")
    }))
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.nat(17), fc.boolean(), (m, scale, neg) => {
      const digits = m.toString().padStart(scale + 1, "0")
      const text = (neg ? "-" : "") + digits.slice(0, digits.length - scale) + "." + digits.slice(digits.length - scale)
      agree(Codecs.decodeDouble, Codecs.decodeDoubleAt, text, "a,", ",b")
    }))
    for (const f of ["-0.0", ".5", "5.", ".", "+.", "0.1", "0.3", "123456789012345", "1234567890123456", "1e3"]) {
      agree(Codecs.decodeDouble, Codecs.decodeDoubleAt, f, ",", "")
    }
  })

  it("DATE and DATETIME", () => {
    const day = fc.date({
      min: new Date("0000-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59Z"),
      noInvalidDate: true
    })
    fc.assert(fc.property(day, around, around, (d, b, a) => {
      const iso = d.toISOString()
      agree(Codecs.decodeDate, Codecs.decodeDateAt, iso.slice(0, 10), b, a)
      agree(Codecs.decodeDatetime, Codecs.decodeDatetimeAt, iso.slice(0, 10) + " " + iso.slice(11, 19), b, a)
      agree(Codecs.decodeDatetime, Codecs.decodeDatetimeAt, iso, b, a)
    }))
    fc.assert(fc.property(chars("0123456789-: T"), around, around, (f, b, a) => {
      agree(Codecs.decodeDate, Codecs.decodeDateAt, f, b, a)
      agree(Codecs.decodeDatetime, Codecs.decodeDatetimeAt, f, b, a)
    }))
    for (
      const f of ["2024-02-30", "2023-02-29", "2024-02-29", "2024-13-01", "2024-01-01 24:00:00", "2024-01-01T23:59:59"]
    ) {
      agree(Codecs.decodeDate, Codecs.decodeDateAt, f, "", "")
      agree(Codecs.decodeDatetime, Codecs.decodeDatetimeAt, f, "", "")
    }
  })

  it("codecs written elsewhere get no in-place reader", () => {
    expect(Codecs.decoderAt(Codecs.decodeLong)).toBe(Codecs.decodeLongAt)
    expect(Codecs.decoderAt(Codecs.decodeBigint)).toBeUndefined()
    expect(Codecs.decoderAt((text) => text.length)).toBeUndefined()
  })
})
