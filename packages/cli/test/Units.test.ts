import { DomoError, DomoTable, StreamUpload } from "@effect-domo/client"
import { describe, expect, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { parseSchema } from "../src/commands/datasets.js"
import * as Connection from "../src/Connection.js"
import * as ErrorReport from "../src/ErrorReport.js"
import * as Output from "../src/Output.js"
import * as Progress from "../src/Progress.js"

describe("ErrorReport", () => {
  const api = { method: "GET", path: "/v1/datasets/x" }
  it("gives every kind of error its own exit code", () => {
    const cases: ReadonlyArray<readonly [unknown, number]> = [
      [new DomoError.InvalidClientError({ status: 401 }), 4],
      [new DomoError.ScopeNotGrantedError({ scopes: ["data"] }), 4],
      [new DomoError.UnauthorizedError(api), 4],
      [new DomoError.ForbiddenError(api), 5],
      [new DomoError.NotFoundError(api), 6],
      [new DomoError.BadRequestError(api), 7],
      [new DomoError.ConflictError(api), 7],
      [new ErrorReport.FileError({ path: "a.csv", reason: "no such file" }), 8],
      [new DomoTable.CsvDecodeError({ table: "t", row: 2, column: "c", value: "x", reason: "bad" }), 8],
      [new DomoError.ServerError({ ...api, status: 503 }), 10],
      [new DomoError.TransportError({ ...api, sent: false }), 10],
      [new DomoError.DecodeError({ ...api, at: "rows", issue: "missing" }), 11],
      [new ErrorReport.VerificationError({ reason: "differs" }), 12],
      [ConfigError.MissingData(["DOMO_CLIENT_ID"], "Expected DOMO_CLIENT_ID to exist"), 3],
      [new Error("boom"), 1]
    ]
    for (const [error, code] of cases) expect([error, ErrorReport.ofError(error).code]).toEqual([error, code])
  })

  it("a Domo error is one line with its toe; a config error names the flag too", () => {
    const report = ErrorReport.ofError(new DomoError.NotFoundError({ ...api, status: 404, toe: "ABC-123" }))
    expect(report.line).toBe("domo: not found: GET /v1/datasets/x: not found (HTTP 404) [toe ABC-123]")
    const config = ErrorReport.ofError(
      ConfigError.And(
        ConfigError.MissingData(["DOMO_CLIENT_ID"], "missing"),
        ConfigError.MissingData(["DOMO_CLIENT_SECRET"], "missing")
      )
    )
    expect(config.line).toBe(
      "domo: configuration: missing DOMO_CLIENT_ID (or --client-id), DOMO_CLIENT_SECRET (or --client-secret) " +
        "(or use --emulator)"
    )
  })

  it("an upload failure is as serious as its cause", () => {
    const upload = (stage: StreamUpload.Stage, cause?: unknown) =>
      ErrorReport.ofError(new StreamUpload.StreamUploadError({ streamId: 1, stage, reason: "x", aborted: true, cause }))
        .code
    expect(upload("part", new DomoError.BadRequestError(api))).toBe(7)
    expect(upload("part", new DomoError.RateLimitedError(api))).toBe(9)
    expect(upload("input")).toBe(8)
    expect(upload("verify")).toBe(12)
    expect(upload("commit")).toBe(10)
  })

  it("causes: interruption is 130, a defect is a bug with its trace, a failure its kind", () => {
    expect(ErrorReport.ofCause(Cause.interrupt("x" as never)).code).toBe(130)
    const bug = ErrorReport.ofCause(Cause.die(new Error("kaboom")))
    expect(bug.code).toBe(1)
    expect(bug.line).toContain("kaboom")
    expect(ErrorReport.ofCause(Cause.fail(new DomoError.ForbiddenError(api))).code).toBe(5)
  })
})

describe("Output", () => {
  it("tables: aligned, numbers right-aligned, exact decimals, dates without noise", () => {
    const text = Output.table([
      { name: "a", n: 5, price: BigDecimal.unsafeFromString("10.50"), day: new Date(Date.UTC(2024, 0, 2)) },
      { name: "longer", n: 123, price: null, day: null }
    ])
    expect(text.split("\n")).toEqual([
      "name      n  price  day",
      "──────  ───  ─────  ──────────",
      "a         5  10.50  2024-01-02 00:00:00",
      "longer  123"
    ].map((l, i) => i === 1 ? "──────  ───  ─────  ───────────────────" : l))
    expect(Output.table([])).toBe("(no rows)")
  })

  it("JSON values: decimals and bigints as exact text, dates ISO, secrets stay redacted", () => {
    expect(
      JSON.parse(JSON.stringify(Output.toJsonValue({
        d: BigDecimal.unsafeFromString("0.1"),
        b: 9007199254740993n,
        t: new Date(0),
        s: Redacted.make("hunter2")
      })))
    ).toEqual({ d: "0.1", b: "9007199254740993", t: "1970-01-01T00:00:00.000Z", s: "<redacted>" })
  })
})

describe("Progress", () => {
  it("renders bytes, rows, parts, rate and ETA", () => {
    const line = Progress.render("upload", { rows: 1000 }, {
      bytes: 2_000_000,
      rows: 250,
      parts: 2,
      elapsed: Duration.seconds(2)
    })
    expect(line).toBe(
      "upload  [██████░░░░░░░░░░░░░░░░░░]  25%  2.00 MB  250/1,000 rows  2 parts  1.00 MB/s  ETA 6.0 s"
    )
    expect(Progress.formatBytes(999)).toBe("999 B")
    expect(Progress.formatBytes(1_500_000_000)).toBe("1.50 GB")
    expect(Progress.formatDuration(Duration.seconds(75))).toBe("1 m 15 s")
  })
})

describe("Progress bars", () => {
  it.scoped("drawn on stderr when asked (a terminal), redrawn in place, final line kept; silent otherwise", () =>
    Effect.gen(function*() {
      const writes: Array<string> = []
      const original = process.stderr.write
      yield* Effect.acquireRelease(
        Effect.sync(() => {
          process.stderr.write = ((chunk: string | Uint8Array) => {
            writes.push(String(chunk))
            return true
          }) as typeof process.stderr.write
        }),
        () =>
          Effect.sync(() => {
            process.stderr.write = original
          })
      )
      yield* Effect.scoped(Effect.gen(function*() {
        const silent = yield* Progress.make("quiet", { rows: 10 }, { draw: false })
        yield* silent.addRows(10)
      }))
      expect(writes).toEqual([])
      yield* Effect.scoped(Effect.gen(function*() {
        const bar = yield* Progress.make("import", { rows: 4 }, { draw: true })
        yield* bar.addRows(4)
        yield* bar.addBytes(1200)
      }))
      const text = writes.join("")
      expect(text.startsWith("\r\x1b[2Kimport  [")).toBe(true)
      expect(text).toMatch(/100% {2}1.20 kB {2}4\/4 rows .*\n$/)
    }))
})

describe("Connection", () => {
  it("hoists connection flags from anywhere to the root command", () => {
    expect(
      Connection.hoist([
        "node",
        "domo",
        "datasets",
        "list",
        "--emulator",
        "--json",
        "--client-id",
        "abc",
        "--scopes=data",
        "--",
        "--emulator"
      ])
    ).toEqual([
      "node",
      "domo",
      "--emulator",
      "--client-id",
      "abc",
      "--scopes=data",
      "datasets",
      "list",
      "--json",
      "--",
      "--emulator"
    ])
  })

  it.effect("flags win over the environment; a bad host is a config error naming it", () =>
    Effect.gen(function*() {
      const flags: Connection.Flags = {
        apiHost: Option.some("http://127.0.0.1:9"),
        clientId: Option.some("id-from-flag"),
        clientSecret: Option.some(Redacted.make("s")),
        scopes: Option.some("data user"),
        emulator: false,
        emulatorData: Option.none()
      }
      const config = yield* Connection.configFromFlags(flags)
      expect([config.apiHost, config.clientId, config.scopes]).toEqual(["http://127.0.0.1:9", "id-from-flag", [
        "data",
        "user"
      ]])
      const bad = yield* Effect.flip(
        Connection.configFromFlags({ ...flags, apiHost: Option.some("http://example.com") })
      )
      expect(ErrorReport.ofError(bad).line).toContain("DOMO_API_HOST")
    }))
})

describe("datasets --schema", () => {
  it.effect("parses name:TYPE lists and rejects unknown types", () =>
    Effect.gen(function*() {
      expect(yield* parseSchema("id:LONG, name, price:decimal")).toEqual({
        columns: [{ name: "id", type: "LONG" }, { name: "name", type: "STRING" }, { name: "price", type: "DECIMAL" }]
      })
      const bad = yield* Effect.flip(parseSchema("id:INT"))
      expect(bad.reason).toContain("unknown type INT")
    }))
})
