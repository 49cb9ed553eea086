/**
 * The User API (`/v1/users`, scope `user`): list, get, create (`sendInvite`), update, delete.
 *
 * Every OAuth client's user exists from the start (the demo client's as an `Admin`). Deleted
 * users stay as a subset with `deleted: true`; a user owning DataSets cannot be deleted.
 *
 * @since 0.1.0
 */
import { UserModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Activity from "../Activity.js"
import { requireScope } from "../Auth.js"
import { badRequest, conflict, notFound } from "../DomoError.js"
import { atomically, compact, empty, intPathParam, json, nextId, nowIso, paging } from "../internal/kit.js"
import * as People from "../internal/people.js"
import * as RouteFamily from "../RouteFamily.js"

const KNOWN_ROLES = new Set(["Admin", "Privileged", "Participant"])

// Domo's ids are large integers; the emulator's own users start here (client users keep theirs).
const USER_ID_BASE = 1_000_000_000

const checkRole = (role: string, roleId: string | undefined) =>
  KNOWN_ROLES.has(role) || roleId !== undefined
    ? Effect.void
    : Effect.fail(badRequest(`Invalid role '${role}': expected Admin, Privileged, Participant or a roleId`))

const emailTaken = (email: string, except?: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM users WHERE email = ${email.toLowerCase()} AND deleted = 0
        AND id != ${except ?? -1}`,
      (rows) => rows[0]!.n > 0
    ))

const fullUser = (user: People.StoredUser) =>
  Effect.map(People.groupsOf(user.id), (groups): UserModels.User => {
    if (user.deleted) {
      return compact({ id: user.id, name: user.doc.name, email: user.doc.email, role: user.doc.role, deleted: true })
    }
    return compact({ id: user.id, ...user.doc, image: avatar(user.id), groups, deleted: false })
  })

const avatar = (id: number) => `https://domo.example.com/avatar/${id}`

const requireUser = Effect.gen(function*() {
  const params = yield* HttpRouter.params
  const id = yield* intPathParam(params, "id", "User")
  const user = yield* People.findUser(id)
  if (user === undefined) return yield* notFound(`User ${id} not found`)
  return user
})

const list = Effect.gen(function*() {
  yield* requireScope("user")
  const { limit, offset } = yield* paging(50, 500)
  yield* People.ensureSeeded
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ id: number; doc: string }>`SELECT id, doc FROM users WHERE deleted = 0 ORDER BY id
    LIMIT ${limit} OFFSET ${offset}`
  const users = rows.map((row): UserModels.User => {
    const doc = JSON.parse(row.doc) as People.UserDoc
    // list items are a subset of the user
    return compact({ id: row.id, title: doc.title, email: doc.email, role: doc.role, phone: doc.phone, name: doc.name })
  })
  return yield* json(UserModels.UserList, users)
})

const get = Effect.gen(function*() {
  yield* requireScope("user")
  const user = yield* requireUser
  return yield* json(UserModels.User, yield* fullUser(user))
})

const create = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("user")
  const query = yield* RouteFamily.query
  const rawInvite = query.get("sendInvite")
  // pydomo sends True/False, the Node SDK true/false: any case
  const invite = rawInvite === null ? false : rawInvite.toLowerCase()
  if (invite !== false && invite !== "true" && invite !== "false") {
    return yield* badRequest(`Invalid value '${rawInvite}' for parameter 'sendInvite'`)
  }
  const body = yield* RouteFamily.jsonBody(UserModels.CreateUser)
  if (body.name.trim() === "") return yield* badRequest("User name is required")
  if (!body.email.includes("@")) return yield* badRequest(`Invalid email address '${body.email}'`)
  yield* checkRole(body.role, body.roleId)
  yield* People.ensureSeeded
  if (yield* emailTaken(body.email)) return yield* conflict(`A user with email ${body.email} already exists`)
  const sql = yield* SqlClient.SqlClient
  const id = yield* nextId("users", USER_ID_BASE)
  const now = yield* nowIso
  const doc: People.UserDoc = compact({
    ...body,
    roleId: body.roleId ?? People.roleIdOf(body.role),
    createdAt: now,
    updatedAt: now
  })
  yield* sql`INSERT INTO users (id, email, invite_sent, doc) VALUES (${id}, ${body.email.toLowerCase()},
    ${invite === "true" ? 1 : 0}, ${JSON.stringify(doc)})`
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "USER",
    objectId: String(id),
    objectName: body.name,
    additionalComment: invite === "true" ? "Invitation sent" : ""
  })
  // Domo's create answer omits timezone and locale
  const { locale: _locale, timezone: _timezone, ...shown } = doc
  return yield* json(UserModels.User, { id, ...shown, image: avatar(id), groups: [] })
}))

const update = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("user")
  const user = yield* requireUser
  if (user.deleted) return yield* notFound(`User ${user.id} not found`)
  const body = yield* RouteFamily.jsonBody(UserModels.UpdateUser)
  const role = body.role ?? user.doc.role ?? "Participant"
  yield* checkRole(role, body.roleId ?? user.doc.roleId)
  if (body.email !== undefined) {
    if (!body.email.includes("@")) return yield* badRequest(`Invalid email address '${body.email}'`)
    if (yield* emailTaken(body.email, user.id)) return yield* conflict(`A user with email ${body.email} already exists`)
  }
  const doc: People.UserDoc = compact({
    ...user.doc,
    ...body,
    roleId: body.roleId ?? (body.role !== undefined ? People.roleIdOf(body.role) : user.doc.roleId),
    updatedAt: yield* nowIso
  })
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE users SET email = ${(doc.email ?? "").toLowerCase()}, doc = ${JSON.stringify(doc)}
    WHERE id = ${user.id}`
  yield* Activity.record(principal, {
    actionType: "UPDATED",
    objectType: "USER",
    objectId: String(user.id),
    objectName: doc.name
  })
  return yield* json(UserModels.User, yield* fullUser({ ...user, doc }))
}))

const remove = Effect.gen(function*() {
  const principal = yield* requireScope("user")
  const user = yield* requireUser
  if (user.deleted) return yield* notFound(`User ${user.id} not found`)
  const sql = yield* SqlClient.SqlClient
  const owned = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM datasets WHERE owner_id = ${user.id}
    AND deleted = 0`
  if (owned[0]!.n > 0) {
    return yield* badRequest(`User ${user.id} owns ${owned[0]!.n} DataSet(s) and cannot be deleted`)
  }
  yield* sql`UPDATE users SET deleted = 1 WHERE id = ${user.id}`
  yield* sql`DELETE FROM group_members WHERE user_id = ${user.id}`
  yield* Activity.record(principal, {
    actionType: "DELETED",
    objectType: "USER",
    objectId: String(user.id),
    objectName: user.doc.name
  })
  return empty(204)
})

/**
 * The `users` route family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "users",
  migrate: People.migrate,
  router: HttpRouter.empty.pipe(
    HttpRouter.get("/v1/users", list),
    HttpRouter.post("/v1/users", create),
    HttpRouter.get("/v1/users/:id", get),
    HttpRouter.put("/v1/users/:id", update),
    HttpRouter.del("/v1/users/:id", remove)
  )
})
