/**
 * The users and groups store shared by the `users` and `groups` route families (and read by
 * pages, accounts and projects to check ids): tables, the seeding of every OAuth client's
 * user as an existing user, and lookups.
 *
 * @internal
 */
import type { UserModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import { nowIso, parseDoc } from "./kit.js"

/**
 * A stored user: the user document plus bookkeeping.
 *
 * @internal
 */
export interface StoredUser {
  readonly id: number
  readonly deleted: boolean
  readonly doc: UserDoc
}

/** @internal */
export type UserDoc = Omit<UserModels.User, "id" | "groups" | "deleted">

/** @internal */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, email TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
    invite_sent INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL)`
  yield* sql`CREATE INDEX IF NOT EXISTS users_email ON users (email)`
  // Clients whose user was seeded once: a seeded user the API deletes stays deleted.
  yield* sql`CREATE TABLE IF NOT EXISTS users_seeded (user_id INTEGER PRIMARY KEY)`
  yield* sql`CREATE TABLE IF NOT EXISTS groups_ (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1, creator_id INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)`
  yield* sql`CREATE TABLE IF NOT EXISTS group_members (
    group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (group_id, user_id))`
})

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ".").replace(/^\.|\.$/g, "") || "user"

/**
 * Make every registered OAuth client's user an existing user (once per user id): the demo
 * client's user is an `Admin`, so PDP policies, groups and pages have someone to refer to.
 *
 * @internal
 */
export const ensureSeeded: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const pending = yield* sql<{ user_id: number; user_name: string; role: string; customer: string }>`
    SELECT user_id, MIN(user_name) AS user_name, MIN(role) AS role, MIN(customer) AS customer FROM oauth_clients
    WHERE user_id NOT IN (SELECT user_id FROM users_seeded) GROUP BY user_id`
  if (pending.length === 0) return
  const now = yield* nowIso
  for (const client of pending) {
    const doc: UserDoc = {
      name: client.user_name,
      email: `${slug(client.user_name)}@${slug(client.customer)}.example.com`,
      role: client.role,
      roleId: roleIdOf(client.role),
      title: "",
      createdAt: now,
      updatedAt: now
    }
    yield* sql`INSERT OR IGNORE INTO users (id, email, doc) VALUES (${client.user_id}, ${doc.email!.toLowerCase()}, ${
      JSON.stringify(doc)
    })`
    yield* sql`INSERT INTO users_seeded (user_id) VALUES (${client.user_id})`
  }
})

/**
 * The role id of a built-in role (Domo numbers them 1..3), `undefined` for others.
 *
 * @internal
 */
export const roleIdOf = (role: string): string | undefined =>
  role === "Admin" ? "1" : role === "Privileged" ? "2" : role === "Participant" ? "3" : undefined

/**
 * A user by id (deleted ones too).
 *
 * @internal
 */
export const findUser = (id: number): Effect.Effect<StoredUser | undefined, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    yield* ensureSeeded
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: number; deleted: number; doc: string }>`
      SELECT id, deleted, doc FROM users WHERE id = ${id}`
    const row = rows[0]
    return row === undefined ? undefined : { id: row.id, deleted: row.deleted === 1, doc: parseDoc<UserDoc>(row.doc) }
  })

/**
 * Whether a live (not deleted) user has this id.
 *
 * @internal
 */
export const userExists = (id: number): Effect.Effect<boolean, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.map(findUser(id), (user) => user !== undefined && !user.deleted)

/**
 * Whether a live (not deleted) group has this id.
 *
 * @internal
 */
export const groupExists = (id: number): Effect.Effect<boolean, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.map(
        sql<{ n: number }>`SELECT COUNT(*) AS n FROM groups_ WHERE id = ${id} AND deleted = 0`,
        (rows) => rows[0]!.n > 0
      )
  )

/**
 * The live groups a user belongs to.
 *
 * @internal
 */
export const groupsOf = (
  userId: number
): Effect.Effect<
  ReadonlyArray<{ readonly id: number; readonly name: string }>,
  SqlError.SqlError,
  SqlClient.SqlClient
> =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ id: number; name: string }>`SELECT g.id, g.name FROM groups_ g JOIN group_members m ON m.group_id = g.id
      WHERE m.user_id = ${userId} AND g.deleted = 0 ORDER BY g.id`
  )
