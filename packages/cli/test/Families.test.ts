import { Emulator } from "@effect-domo/emulator"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { type Result, runBin } from "./utils/runBin.js"

// pages, accounts, projects, embed, users/groups update: the built bin against one emulator
const EmulatorLive = Emulator.layer({ seed: 23 })

const envOf = (emulator: Emulator.EmulatorService, extra: Record<string, string> = {}): Record<string, string> => ({
  DOMO_API_HOST: emulator.url,
  DOMO_CLIENT_ID: emulator.clientId,
  DOMO_CLIENT_SECRET: Redacted.value(emulator.clientSecret),
  ...extra
})

const concurrent = { concurrent: true, timeout: 60_000 }
const tmp = Fs.mkdtempSync(Path.join(Os.tmpdir(), "domo-cli-families-"))

// the whole result is shown when the code is not the expected one
const expectCode = (result: Result, code: number) =>
  expect({ ...result, stdout: result.stdout.slice(0, 2000) }).toMatchObject({ code })

// an expected error: one line on stderr, nothing on stdout, no stack trace
const expectError = (result: Result, code: number, pattern: RegExp) => {
  expectCode(result, code)
  expect(result.stdout).toBe("")
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
  expect(result.stderr).toMatch(pattern)
}

const jsonOf = <A>(result: Result): A => {
  expectCode(result, 0)
  return JSON.parse(result.stdout) as A
}

const run = (env: Record<string, string>) => (...args: Array<string>) => runBin(args, { env })

layer(EmulatorLive, { excludeTestServices: true, timeout: 60_000 })("domo: the other families", (it) => {
  // each spawn of the bin costs about a second of CPU: every scenario keeps to a few of them
  it.effect(
    "pages: create a subpage, update, a collection; 404 is 6; a bad id list is 8",
    () =>
      Effect.gen(function*() {
        const domo = run(envOf(yield* Emulator.Emulator))
        const page = jsonOf<{ id: number; parentId: number; name: string; visibility: { userIds: Array<number> } }>(
          yield* domo("pages", "create", "--name", "West", "--parent-id", "0", "--user-ids", "1", "--json")
        )
        expect(page).toMatchObject({ parentId: 0, name: "West", visibility: { userIds: [1] } })
        const updated = jsonOf<{ id: number; name: string; locked: boolean }>(
          yield* domo("pages", "update", String(page.id), "--name", "West region", "--locked", "true", "--json")
        )
        expect(updated).toMatchObject({ id: page.id, name: "West region", locked: true })
        const collection = jsonOf<{ id: number; title: string; description: string }>(
          yield* domo(
            "pages",
            "collections",
            "create",
            String(page.id),
            "--title",
            "Top",
            "--description",
            "best",
            "--json"
          )
        )
        expect(collection).toMatchObject({ title: "Top", description: "best" })
        const listed = jsonOf<Array<{ id: number; title: string }>>(
          yield* domo("pages", "collections", "list", String(page.id), "--json")
        )
        expect(listed).toEqual([expect.objectContaining({ id: collection.id, title: "Top" })])
        expectError(
          yield* domo("pages", "delete", "987654321"),
          6,
          /^domo: not found: DELETE \/v1\/pages\/987654321: .*HTTP 404/
        )
        expectError(
          yield* domo("pages", "create", "--name", "X", "--card-ids", "1,x"),
          8,
          /--card-ids: "x" is not an id/
        )
      }),
    concurrent
  )

  it.effect(
    "accounts: a type's template, create (properties never echoed), update; Domo's 400 is 7, 404 is 6",
    () =>
      Effect.gen(function*() {
        const domo = run(envOf(yield* Emulator.Emulator))
        const mysql = jsonOf<{ id: string; _templates: { default: { properties: Array<{ name: string }> } } }>(
          yield* domo("accounts", "types", "get", "mysql", "--json")
        )
        expect(mysql._templates.default.properties.map((p) => p.name)).toContain("password")

        const password = "s3cret-pa55word-in-a-file"
        const props = Path.join(tmp, "mysql.json")
        Fs.writeFileSync(props, JSON.stringify({ password, database: "sales" }))
        const created = yield* domo(
          "accounts",
          "create",
          "--name",
          "Warehouse",
          "--type",
          "mysql",
          "--property",
          "host=db.example.com",
          "--property",
          "port=3306",
          "--property",
          "username=etl",
          "--properties-file",
          props,
          "--json"
        )
        const account = jsonOf<{ id: string; name: string; type: { id: string } }>(created)
        expect(account).toMatchObject({ name: "Warehouse", type: { id: "mysql" } })
        expect(account.id).toMatch(/^\d+$/)
        expect(created.stdout).not.toContain(password)
        const renamed = jsonOf<{ id: string; name: string }>(
          yield* domo("accounts", "update", account.id, "--name", "Warehouse EU", "--property", "port=3307", "--json")
        )
        expect(renamed).toMatchObject({ id: account.id, name: "Warehouse EU" })
        expectError(
          yield* domo("accounts", "create", "--name", "Bad", "--type", "mysql", "--property", "port=abc"),
          7,
          /^domo: rejected by Domo: POST \/v1\/accounts: .*HTTP 400/
        )
        expectError(
          yield* domo("accounts", "share", "987654321", "1"),
          6,
          /^domo: not found: POST \/v1\/accounts\/987654321\/shares/
        )
      }),
    concurrent
  )

  it.effect(
    "projects: a project, a list, a task, and an attachment's bytes round trip; 404 is 6",
    () =>
      Effect.gen(function*() {
        const domo = run(envOf(yield* Emulator.Emulator))
        const project = jsonOf<{ id: string; name: string; public: boolean; members: Array<number> }>(
          yield* domo("projects", "create", "--name", "Launch", "--public", "--members", "1", "--json")
        )
        expect(project).toMatchObject({ name: "Launch", public: true, members: [1] })
        const list = jsonOf<{ id: string; name: string; type: string }>(
          yield* domo("projects", "lists", "create", project.id, "--name", "Done", "--type", "COMPLETED", "--json")
        )
        expect(list).toMatchObject({ name: "Done", type: "COMPLETED" })
        const task = jsonOf<{ id: string; taskName: string; projectListId: string; tags: Array<string> }>(
          yield* domo(
            "projects",
            "tasks",
            "create",
            project.id,
            list.id,
            "--name",
            "Write docs",
            "--tags",
            "docs,cli",
            "--json"
          )
        )
        expect(task).toMatchObject({ taskName: "Write docs", projectListId: list.id, tags: ["docs", "cli"] })

        // every byte value, not valid UTF-8: the bytes must arrive untouched both ways
        const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256))
        const source = Path.join(tmp, "report.bin")
        Fs.writeFileSync(source, bytes)
        const ref = [project.id, list.id, task.id]
        const attachment = jsonOf<{ id: number; fileName: string; mimeType: string }>(
          yield* domo(
            "projects",
            "attachments",
            "upload",
            ...ref,
            source,
            "--mime-type",
            "application/x-test",
            "--json"
          )
        )
        expect(attachment).toMatchObject({ fileName: "report.bin", mimeType: "application/x-test" })
        const target = Path.join(tmp, "report.out")
        expectCode(yield* domo("projects", "attachments", "download", ...ref, String(attachment.id), "-o", target), 0)
        expect(Buffer.compare(Fs.readFileSync(target), bytes)).toBe(0)
        expectError(yield* domo("projects", "get", "987654321"), 6, /^domo: not found: GET \/v1\/projects\/987654321/)
      }),
    concurrent
  )

  it.effect(
    "a token without the family's scope: 403 is exit 5; a missing file is 8 before any call",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const domo = run(envOf(emulator, { DOMO_SCOPES: "data" }))
        expectError(yield* domo("projects", "list"), 5, /^domo: forbidden: GET \/v1\/projects: .*HTTP 403/)
        expectError(yield* domo("pages", "create", "--name", "X"), 5, /^domo: forbidden: POST \/v1\/pages: .*HTTP 403/)
        expectError(yield* domo("accounts", "types", "list"), 5, /^domo: forbidden: GET \/v1\/account-types/)
        expectError(
          yield* run(envOf(emulator, { DOMO_SCOPES: "user" }))("embed", "card", "--token", "ab12C"),
          5,
          /^domo: forbidden: POST \/v1\/cards\/embed\/auth: .*HTTP 403/
        )
        expectError(
          yield* domo("projects", "attachments", "upload", "1", "2", "3", Path.join(tmp, "missing.bin")),
          8,
          /^domo: bad input: .*missing\.bin: no such file/
        )
      }),
    concurrent
  )

  it.effect(
    "embed: a card token on stdout carrying the request; a bad filter is 8, never a token",
    () =>
      Effect.gen(function*() {
        const domo = run(envOf(yield* Emulator.Emulator))
        const card = yield* domo(
          "embed",
          "card",
          "--token",
          "ab12C",
          "--permission",
          "READ",
          "--permission",
          "FILTER",
          "--session-length",
          "60",
          "--filter",
          "region:IN:West,East",
          "--json"
        )
        const { authentication } = jsonOf<{ authentication: string }>(card)
        expect(card.stderr).toBe("")
        expect(authentication).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
        const claims: unknown = JSON.parse(Buffer.from(authentication.split(".")[1], "base64url").toString("utf8"))
        expect(claims).toMatchObject({
          kind: "card",
          sessionLength: 60,
          authorizations: [{
            token: "ab12C",
            permissions: ["READ", "FILTER"],
            filters: [{ column: "region", operator: "IN", values: ["West", "East"] }]
          }]
        })
        expectError(
          yield* domo("embed", "story", "--token", "ab12C", "--filter", "region:LIKE:W"),
          8,
          /^domo: bad input: --filter "region:LIKE:W": unknown operator "LIKE"/
        )
      }),
    concurrent
  )

  it.effect("users update and groups update; 404 is 6; nothing to change is 8", () =>
    Effect.gen(function*() {
      const domo = run(envOf(yield* Emulator.Emulator))
      const updated = jsonOf<{ id: number; title: string }>(
        yield* domo("users", "update", "1", "--title", "Chief Analyst", "--json")
      )
      expect(updated).toMatchObject({ id: 1, title: "Chief Analyst" })
      const group = jsonOf<{ id: number }>(yield* domo("groups", "create", "--name", "Before", "--json"))
      const renamed = jsonOf<{ id: number; name: string; active: boolean }>(
        yield* domo("groups", "update", String(group.id), "--name", "After", "--active", "false", "--json")
      )
      expect(renamed).toMatchObject({ id: group.id, name: "After", active: false })
      expectError(yield* domo("users", "update", "987654321", "--title", "x"), 6, /^domo: not found: PUT \/v1\/users\//)
      expectError(yield* domo("groups", "update", String(group.id)), 8, /groups update: nothing to change/)
    }), concurrent)
})
