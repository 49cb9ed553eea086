import { GroupModels, UserModels } from "@effect-domo/client"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import * as Emulator from "../src/Emulator.js"

// Domo's official npm SDK (domo-sdk 2.0.1, unchanged) runs its users and groups calls against
// the emulator, in a child process over https (the SDK only speaks https; it trusts the
// emulator's CA through NODE_EXTRA_CA_CERTS like any Node program would).
const script = String.raw`
const { DomoClient } = require("domo-sdk")
const { API_SCOPE } = require("domo-sdk/dist/common/Constants")
const [host, clientId, clientSecret] = process.argv.slice(1)
;(async () => {
  const domo = new DomoClient(clientId, clientSecret, [API_SCOPE.USER], host)
  const out = {}
  out.created = await domo.users.create({ name: "Leonhard Euler", email: "leonhard.euler@example.com", role: "Participant" })
  const userId = out.created.id
  out.createdNoInvite = await domo.users.create({ name: "Carl Gauss", email: "carl.gauss@example.com", role: "Privileged" }, false)
  out.got = await domo.users.get(userId)
  out.list = await domo.users.list(50, 0)
  out.listDefault = await domo.users.list()
  out.updated = await domo.users.update(userId, { name: "Leonhard Euler", email: "euler@example.com", role: "Admin", title: "Mathematician" })

  out.group = await domo.groups.create({ name: "Mathematicians" })
  const groupId = out.group.id
  out.groupGot = await domo.groups.get(groupId)
  out.groups = await domo.groups.list(10, 0)
  out.groupUpdated = await domo.groups.update(groupId, { name: "Great Mathematicians", active: true })
  out.added = await domo.groups.addUser(groupId, userId)
  await domo.groups.addUser(groupId, out.createdNoInvite.id)
  out.members = await domo.groups.listUsers(groupId, 50, 0)
  out.removed = await domo.groups.removeUser(groupId, out.createdNoInvite.id)
  out.membersAfter = await domo.groups.listUsers(groupId)
  out.withGroups = await domo.users.get(userId)
  out.groupDeleted = await domo.groups.delete(groupId)
  out.userDeleted = await domo.users.delete(out.createdNoInvite.id)
  out.deletedUser = await domo.users.get(out.createdNoInvite.id)
  try { await domo.users.get(999) } catch (e) { out.missing = { status: e.error && e.error.statusCode, body: e.error && e.error.error } }
  try { await domo.groups.create({ name: "Great Mathematicians 2", active: "yes" }) } catch (e) { out.invalid = { status: e.error && e.error.statusCode } }
  process.stdout.write(JSON.stringify(out))
})().catch((e) => { process.stderr.write(String(e && e.stack) + " " + JSON.stringify(e && e.error && e.error.error)); process.exit(1) })
`

const runSdk = (emulator: Emulator.EmulatorService) =>
  Effect.async<string, Error>((resume) => {
    ChildProcess.execFile(
      process.execPath,
      ["-e", script, emulator.url.replace(/^https:\/\//, ""), emulator.clientId, Redacted.value(emulator.clientSecret)],
      {
        cwd: Path.join(import.meta.dirname, ".."),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caFile ?? "" },
        timeout: 30_000
      },
      (error, stdout, stderr) =>
        resume(error === null ? Effect.succeed(stdout) : Effect.fail(new Error(`${error.message}\n${stderr}`)))
    )
  })

describe("domo-sdk users and groups", () => {
  it.live("run unchanged against the emulator", () =>
    Effect.gen(function*() {
      const { out, invited, demoUser } = yield* Effect.scoped(Effect.gen(function*() {
        const emulator = yield* Emulator.make({ tls: true })
        const stdout = yield* runSdk(emulator)
        // sendInvite: the SDK sends `true` by default and `false` when asked
        const invited = yield* emulator.sql<{ email: string; invite_sent: number }>`
          SELECT email, invite_sent FROM users ORDER BY id`
        return { out: JSON.parse(stdout) as Record<string, unknown>, invited, demoUser: emulator.userId }
      }))
      const created = Schema.decodeUnknownSync(UserModels.User)(out.created)
      expect(created).toMatchObject({
        name: "Leonhard Euler",
        email: "leonhard.euler@example.com",
        role: "Participant"
      })
      expect(invited).toContainEqual({ email: "euler@example.com", invite_sent: 1 })
      expect(invited).toContainEqual({ email: "carl.gauss@example.com", invite_sent: 0 })
      expect(out.got).toMatchObject({ id: created.id, deleted: false })
      const ids = (out.list as Array<{ id: number }>).map((u) => u.id)
      expect(ids).toEqual(expect.arrayContaining([demoUser, created.id]))
      expect((out.listDefault as Array<unknown>).length).toBe(ids.length)
      expect(out.updated).toMatchObject({
        id: created.id,
        email: "euler@example.com",
        role: "Admin",
        title: "Mathematician"
      })

      const group = Schema.decodeUnknownSync(GroupModels.Group)(out.group)
      expect(group).toMatchObject({ name: "Mathematicians", active: true, creatorId: String(demoUser) })
      expect(out.groupGot).toMatchObject({ id: group.id, name: "Mathematicians" })
      expect((out.groups as Array<{ id: number }>).map((g) => g.id)).toContain(group.id)
      expect(out.groupUpdated).toMatchObject({ id: group.id, name: "Great Mathematicians" })
      const gauss = (out.createdNoInvite as { id: number }).id
      expect(out.members).toEqual([created.id, gauss])
      expect(out.membersAfter).toEqual([created.id])
      expect(out.withGroups).toMatchObject({ groups: [{ id: group.id, name: "Great Mathematicians" }] })
      expect(out.deletedUser).toMatchObject({ id: gauss, deleted: true })
      expect(out.missing).toMatchObject({ status: 404, body: { status: 404, statusReason: "Not Found" } })
      expect(out.invalid).toEqual({ status: 400 })
    }), 40_000)
})
