import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as Csv from "../src/Csv.js"
import * as Values from "../src/Values.js"

const field = FastCheck.oneof(
  FastCheck.constant(null),
  FastCheck.string({ unit: FastCheck.constantFrom("a", "b", " ", ",", "\"", "\n", "\r", "é", "😀") })
)

const parseInChunks = (text: string, cuts: ReadonlyArray<number>) => {
  const parser = new Csv.Parser()
  let rows: Array<Array<Csv.Field>> = []
  let start = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    rows = rows.concat(parser.push(text.slice(start, cut)))
    start = cut
  }
  return rows.concat(parser.push(text.slice(start)), parser.end())
}

describe("Csv", () => {
  it("parses what it formats, whatever the chunk boundaries (NULL vs empty string kept)", () =>
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        FastCheck.array(FastCheck.nat(200), { maxLength: 6 }),
        (rows, cuts) => {
          const text = rows.map(Csv.formatRow).join("")
          expect(parseInChunks(text, cuts.map((c) => Math.min(c, text.length)))).toEqual(rows)
        }
      ),
      { numRuns: 300 }
    ))

  it("reads CRLF and LF row ends, and a last row without one", () => {
    expect(Csv.parse("a,b\r\nc,d\ne,\"f\"")).toEqual([["a", "b"], ["c", "d"], ["e", "f"]])
    expect(Csv.parse(",,\n\"\",\"\",\"\"\n")).toEqual([[null, null, null], ["", "", ""]])
    expect(Csv.parse("\"a\"\"a\",\"b,\nb\"\n")).toEqual([["a\"a", "b,\nb"]])
  })

  it("a blank line is a row of one NULL, wherever the chunk boundaries fall", () => {
    for (
      const [text, expected] of [
        ["a\n\nb\n", [["a"], [null], ["b"]]],
        ["a\n\nb\r\n\r\nc\n", [["a"], [null], ["b"], [null], ["c"]]]
      ] as const
    ) {
      for (let cut = 0; cut <= text.length; cut++) expect(parseInChunks(text, [cut])).toEqual(expected)
    }
  })

  it("names the row and column of a syntax error", () => {
    expect(() => Csv.parse("ok,1\na\",b\n")).toThrow("Row 2, column 1.")
    expect(() => Csv.parse("\"a\"x,b\n")).toThrow("Unexpected character after a closing quote. Row 1, column 1.")
    expect(() => Csv.parse("a,\"open\n")).toThrow("Unterminated quoted field")
  })
})

describe("Values", () => {
  it("converts fields per column type", () => {
    expect(Values.fromField("LONG", "42")).toBe(42)
    expect(Values.fromField("LONG", "9007199254740993")).toBe(9007199254740993n)
    expect(Values.fromField("LONG", "4.2")).toEqual({ error: "Unable to parse '4.2' as LONG" })
    expect(Values.fromField("DECIMAL", "10.500")).toBe("10.500")
    expect(Values.fromField("DOUBLE", "1e3")).toBe(1000)
    expect(Values.fromField("DATE", "2024-02-29")).toBe("2024-02-29")
    expect(Values.fromField("DATE", "2023-02-29")).toEqual({ error: "Unable to parse '2023-02-29' as DATE" })
    expect(Values.fromField("DATETIME", "2024-01-01 10:11:12")).toBe("2024-01-01T10:11:12")
    expect(Values.fromField("DATETIME", "2024-01-01T10:11:12.5Z")).toBe("2024-01-01T10:11:12.500")
    expect(Values.fromField("DATETIME", "2024-01-01T00:30:00-02:00")).toBe("2024-01-01T02:30:00")
    expect(Values.fromField("DATETIME", "2024-01-01")).toBe("2024-01-01T00:00:00")
    expect(Values.fromField("STRING", "")).toBe("")
    expect(Values.fromField("LONG", null)).toBe(null)
  })

  it("the bulk converters agree with fromField", () =>
    FastCheck.assert(
      FastCheck.property(
        FastCheck.constantFrom(
          "DATE" as const,
          "DATETIME" as const,
          "LONG" as const,
          "DOUBLE" as const,
          "STRING" as const
        ),
        FastCheck.oneof(
          FastCheck.date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) =>
            d.toISOString().slice(0, 19)
          ),
          FastCheck.date({ noInvalidDate: true, min: new Date("1900-01-01"), max: new Date("2100-01-01") }).map((d) =>
            d.toISOString().slice(0, 10)
          ),
          // the form CSV uploads use (a space between date and time)
          FastCheck.date({ noInvalidDate: true, min: new Date("1900-01-01"), max: new Date("2100-01-01") }).map((d) =>
            d.toISOString().slice(0, 19).replace("T", " ")
          ),
          FastCheck.double({ noNaN: true }).map(String),
          FastCheck.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
          // plain decimals of 1 to 22 digits, the point anywhere (or nowhere)
          FastCheck.tuple(
            FastCheck.oneof(
              ...[4n, 9n, 15n, 16n, 22n].map((digits) =>
                FastCheck.bigInt({ min: -(10n ** digits), max: 10n ** digits })
              )
            ),
            FastCheck.nat(23)
          ).map(
            ([n, at]) => {
              const text = String(n)
              const cut = Math.min(at, text.length)
              return cut === 0 ? text : text.slice(0, cut) + "." + text.slice(cut)
            }
          ),
          FastCheck.string({ unit: FastCheck.constantFrom("0", "1", "9", "-", "+", ".", "e", " "), maxLength: 24 }),
          FastCheck.constantFrom(
            "2023-02-29",
            "2024-02-29",
            "2024-13-01",
            "2024-01-01T24:00:00",
            "2024-01-01T23:60:00",
            "2024-01-01 24:00:00",
            "-0",
            "-0.0",
            "1.",
            "-.5",
            "007",
            "999999999999999",
            "9999999999999999"
          ),
          FastCheck.string()
        ),
        (type, field) => {
          const expected = Values.fromField(type, field)
          expect(Values.converter(type)(field)).toEqual(expected)
          // read in place from the middle of a larger text, as unquoted CSV fields are
          const buf = `1,${field},x`
          expect(Values.spanConverter(type)(buf, 2, 2 + field.length))
            .toEqual(field === "" ? Values.fromField(type, null) : expected)
        }
      ),
      { numRuns: 2000 }
    ))
})
