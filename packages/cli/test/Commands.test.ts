import { Emulator } from "@effect-domo/emulator"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { type Result, runBin, runBinClosingStdout } from "./utils/runBin.js"

// One emulator for the file, in this process; the bin reaches it through the environment.
const EmulatorLive = Emulator.layer({ seed: 11 })

const envOf = (emulator: Emulator.EmulatorService, secret?: string): Record<string, string> => ({
  DOMO_API_HOST: emulator.url,
  DOMO_CLIENT_ID: emulator.clientId,
  DOMO_CLIENT_SECRET: secret ?? Redacted.value(emulator.clientSecret)
})

// the time goes into waiting for child processes: run the scenarios side by side
const concurrent = { concurrent: true, timeout: 90_000 }

const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "domo-cli-test-"))
const file = (name: string, text: string): string => {
  const path = Path.join(tmp, name)
  Fs.writeFileSync(path, text)
  return path
}

// the whole result (stderr included) is shown when the code is not the expected one
const expectCode = (result: Result, code: number) =>
  expect({ ...result, stdout: result.stdout.slice(0, 2000) }).toMatchObject({ code })

// an expected error: exactly one line on stderr, no stack trace, no secret
const expectOneLine = (result: Result, secret: string) => {
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
  expect(result.stderr).not.toMatch(/\n\s+at /)
  expect(result.stderr + result.stdout).not.toContain(secret)
}

const createDataset = (env: Record<string, string>, name: string, schema: string) =>
  Effect.gen(function*() {
    const created = yield* runBin(["datasets", "create", "--name", name, "--schema", schema, "--json"], { env })
    expectCode(created, 0)
    return JSON.parse(created.stdout) as { readonly id: string }
  })

layer(EmulatorLive, { excludeTestServices: true, timeout: 60_000 })("domo against the emulator", (it) => {
  it.effect("a bad credential: exit 4, one line naming the failure, never the secret", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const wrong = "0123456789abcdef-wrong-secret"
      const result = yield* runBin(["datasets", "list"], { env: envOf(emulator, wrong) })
      expectCode(result, 4)
      expect(result.stdout).toBe("")
      expect(result.stderr).toMatch(/^domo: authentication failed: .*client id or secret.*\[toe [A-Z0-9-]+\]/)
      expectOneLine(result, wrong)
    }), concurrent)

  it.effect("no configuration: exit 3, naming the variables and their flags", () =>
    Effect.gen(function*() {
      const result = yield* runBin(["datasets", "list"])
      expectCode(result, 3)
      expect(result.stderr).toContain("DOMO_CLIENT_ID (or --client-id)")
      expect(result.stderr).toContain("DOMO_CLIENT_SECRET (or --client-secret)")
      expect(result.stderr).toContain("--emulator")
    }), concurrent)

  it.effect("flags override the environment", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const secret = Redacted.value(emulator.clientSecret)
      const result = yield* runBin(
        ["users", "get", "1", "--json", "--client-secret", secret],
        { env: envOf(emulator, "wrong") }
      )
      expectCode(result, 0)
      expect(JSON.parse(result.stdout)).toMatchObject({ id: 1, role: "Admin" })
      expect(result.stderr).toBe("")
    }), concurrent)

  it.effect(
    "create, list --json, get, update, query, delete; 404 is exit 6 with the toe",
    () =>
      Effect.gen(function*() {
        const env = envOf(yield* Emulator.Emulator)
        const { id } = yield* createDataset(env, "CLI lifecycle", "id:LONG,region:STRING,price:DECIMAL,day:DATE")

        const list = yield* runBin(["datasets", "list", "--json", "--name-like", "cli lifecycle"], { env })
        expectCode(list, 0)
        const items = JSON.parse(list.stdout) as Array<{ id: string; name: string }>
        expect(items.map((d) => d.id)).toEqual([id])

        const table = yield* runBin(["datasets", "get", id], { env })
        expectCode(table, 0)
        expect(table.stdout).toMatch(/price\s+DECIMAL/)

        const updated = yield* runBin(["datasets", "update", id, "--name", "CLI renamed", "--pdp", "on", "--json"], {
          env
        })
        expect(JSON.parse(updated.stdout)).toMatchObject({ id, name: "CLI renamed", pdpEnabled: true })

        const deleted = yield* runBin(["datasets", "delete", id], { env })
        expectCode(deleted, 0)
        const missing = yield* runBin(["datasets", "get", "00000000-0000-0000-0000-000000000000"], { env })
        expectCode(missing, 6)
        expect(missing.stderr).toMatch(
          /^domo: not found: GET \/v1\/datasets\/[^ ]+: .*\(HTTP 404\).*\[toe [A-Z0-9-]+\]\n$/
        )
      }),
    concurrent
  )

  it.effect(
    "import from a file and stdin, export to stdout and a file, query as a table and NDJSON",
    () =>
      Effect.gen(function*() {
        const env = envOf(yield* Emulator.Emulator)
        const { id } = yield* createDataset(env, "CLI data", "id:LONG,region:STRING,price:DECIMAL,day:DATE")
        const csv = "1,West,10.50,2024-01-02\n2,East,3.25,2024-02-03\n3,\"West, upper\",1000.00,2024-03-04\n"
        const imported = yield* runBin(["datasets", "import", id, file("ok.csv", csv), "--json"], { env })
        expectCode(imported, 0)
        expect(JSON.parse(imported.stdout)).toMatchObject({ datasetId: id, rows: 3, updateMethod: "REPLACE" })

        const appended = yield* runBin(["datasets", "import", id, "--append", "--header"], {
          env,
          input: "id,region,price,day\n4,North,0.99,2024-04-05\n"
        })
        expectCode(appended, 0)

        const exported = yield* runBin(["datasets", "export", id], { env })
        expectCode(exported, 0)
        expect(exported.stdout).toBe(
          "1,West,10.50,2024-01-02\n2,East,3.25,2024-02-03\n3,\"West, upper\",1000.00,2024-03-04\n4,North,0.99,2024-04-05\n"
        )
        const target = Path.join(tmp, "out.csv")
        const toFile = yield* runBin(["datasets", "export", id, "--header", "-o", target], { env })
        expectCode(toFile, 0)
        expect(Fs.readFileSync(target, "utf8").split("\n")[0]).toBe("id,region,price,day")

        const sql = "SELECT region, COUNT(*) AS n FROM table GROUP BY region ORDER BY region"
        const ndjson = yield* runBin(["datasets", "query", id, sql, "--json"], { env })
        expectCode(ndjson, 0)
        expect(ndjson.stdout.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual([
          { region: "East", n: 1 },
          { region: "North", n: 1 },
          { region: "West", n: 1 },
          { region: "West, upper", n: 1 }
        ])
      }),
    concurrent
  )

  it.effect(
    "a missing file and a CSV that does not match: exit 8, one clear line, nothing imported",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const env = envOf(emulator)
        const { id } = yield* createDataset(env, "CLI strict", "id:LONG,price:DECIMAL")
        yield* runBin(["datasets", "import", id, file("good.csv", "1,2.50\n")], { env })

        // three bad imports side by side: none changes anything
        const [missing, bad, columns] = yield* Effect.all([
          runBin(["datasets", "import", id, Path.join(tmp, "nope.csv")], { env }),
          runBin(["datasets", "import", id, file("bad.csv", "2,3.00\n3,abc\n")], { env }),
          runBin(["datasets", "import", id, file("wide.csv", "1,2.00,extra\n")], { env })
        ], { concurrency: "unbounded" })
        expectCode(missing, 8)
        expect(missing.stderr).toMatch(/^domo: bad input: .*nope\.csv: no such file\n$/)
        expectOneLine(missing, Redacted.value(emulator.clientSecret))

        expectCode(bad, 8)
        expect(bad.stderr).toMatch(/row 2, column "price" \(value "abc"\)/)
        expectOneLine(bad, Redacted.value(emulator.clientSecret))

        expectCode(columns, 8)

        // the earlier data is intact: a rejected import replaces nothing
        const after = yield* runBin(["datasets", "export", id], { env })
        expect(after.stdout).toBe("1,2.50\n")
      }),
    concurrent
  )

  it.effect(
    "streams: create, upload a file and stdin, executions --json; a bad part aborts with exit 7",
    () =>
      Effect.gen(function*() {
        const env = envOf(yield* Emulator.Emulator)
        const created = yield* runBin([
          "streams",
          "create",
          "--name",
          "CLI stream",
          "--schema",
          "id:LONG,name:STRING",
          "--json"
        ], {
          env
        })
        expectCode(created, 0)
        const stream = JSON.parse(created.stdout) as { id: number; dataSet: { id: string } }
        const lines = Array.from({ length: 5000 }, (_, i) => `${i},"name ${i}"`).join("\n") + "\n"
        const uploaded = yield* runBin(["streams", "upload", String(stream.id), file("s.csv", lines), "--json"], {
          env
        })
        expectCode(uploaded, 0)
        expect(JSON.parse(uploaded.stdout)).toMatchObject({ streamId: stream.id, rows: 5000, parts: 1 })

        const appended = yield* runBin(["streams", "upload", String(stream.id), "--update-method", "APPEND"], {
          env,
          input: "5000,last\n"
        })
        expectCode(appended, 0)
        expect(appended.stdout).toMatch(/^uploaded 1 rows .* SUCCESS/)

        const bad = yield* runBin(["streams", "upload", String(stream.id)], { env, input: "1,a,extra\n" })
        expectCode(bad, 7)
        expect(bad.stderr).toMatch(/too many columns.*nothing was committed/)

        const executions = yield* runBin(["streams", "executions", String(stream.id), "--json"], { env })
        const states = (JSON.parse(executions.stdout) as Array<{ currentState: string }>).map((e) => e.currentState)
        expect(states.filter((s) => s === "SUCCESS")).toHaveLength(2)
        expect(states).toHaveLength(3)

        const count = yield* runBin(
          ["datasets", "query", stream.dataSet.id, "SELECT COUNT(*) AS n FROM table", "--json"],
          {
            env
          }
        )
        expect(JSON.parse(count.stdout)).toEqual({ n: 5001 })
      }),
    concurrent
  )

  it.effect("usage errors are exit 2; --emulator needs no credentials", () =>
    Effect.gen(function*() {
      const unknown = yield* runBin(["datasets", "frobnicate"])
      expectCode(unknown, 2)
      const badSchema = yield* runBin(["datasets", "create", "--emulator", "--name", "x", "--schema", "id:INTEGER"])
      expectCode(badSchema, 8)
      expect(badSchema.stderr).toContain("unknown type INTEGER")
      const embedded = yield* runBin(["users", "list", "--emulator", "--json"])
      expectCode(embedded, 0)
      expect(JSON.parse(embedded.stdout)).toEqual([expect.objectContaining({ id: 1 })])
    }), concurrent)

  it.effect("an export whose reader goes away (| head) stops quietly with exit 0", () =>
    Effect.gen(function*() {
      const env = envOf(yield* Emulator.Emulator)
      const { id } = yield* createDataset(env, "CLI piped", "id:LONG,name:STRING")
      const lines = Array.from({ length: 40_000 }, (_, i) => `${i},row number ${i}`).join("\n") + "\n"
      expectCode(yield* runBin(["datasets", "import", id, file("piped.csv", lines)], { env }), 0)
      const result = yield* runBinClosingStdout(["datasets", "export", id], env)
      expect(result.first.startsWith("0,row number 0\n")).toBe(true)
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" })
    }), concurrent)

  it.effect("users and groups: create, membership, delete", () =>
    Effect.gen(function*() {
      const env = envOf(yield* Emulator.Emulator)
      const user = yield* runBin(["users", "create", "--name", "Ann CLI", "--email", "ann.cli@example.com", "--json"], {
        env
      })
      expectCode(user, 0)
      const userId = (JSON.parse(user.stdout) as { id: number }).id
      const group = yield* runBin(["groups", "create", "--name", "CLI group", "--json"], { env })
      const groupId = (JSON.parse(group.stdout) as { id: number }).id
      expectCode(yield* runBin(["groups", "add-member", String(groupId), String(userId)], { env }), 0)
      const members = yield* runBin(["groups", "members", String(groupId), "--json"], { env })
      expect(JSON.parse(members.stdout)).toEqual([userId])
      expectCode(yield* runBin(["users", "delete", String(userId)], { env }), 0)
      const bad = yield* runBin(["users", "get", "not-a-number"], { env })
      expectCode(bad, 2)
    }), concurrent)

  it.effect("audit: the activity log as NDJSON", () =>
    Effect.gen(function*() {
      const env = envOf(yield* Emulator.Emulator)
      yield* createDataset(env, "CLI audited", "id:LONG")
      const result = yield* runBin(["audit", "--since", "1h", "--json"], { env })
      expectCode(result, 0)
      const entries = result.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, string>)
      expect(entries.some((e) => e["action"] === "CREATED" && e["object"] === "CLI audited")).toBe(true)
    }), concurrent)
})

describe("output never carries a secret", () => {
  layer(EmulatorLive, { excludeTestServices: true })((it) => {
    it.effect("a secret given as a flag is not echoed by an error", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const secret = "flag-secret-that-must-not-appear"
        const result = yield* runBin([
          "datasets",
          "list",
          "--api-host",
          emulator.url,
          "--client-id",
          emulator.clientId,
          "--client-secret",
          secret
        ])
        expectCode(result, 4)
        expectOneLine(result, secret)
      }), concurrent)
  })
})
