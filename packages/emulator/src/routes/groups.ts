/**
 * The Group API (`/v1/groups`, scope `user`): CRUD, list members, add and remove members.
 *
 * Group names are unique among live groups (case-insensitive); a deleted group answers a subset
 * with `deleted: true`; members must be live users.
 *
 * @since 0.1.0
 */
import { GroupModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Activity from "../Activity.js"
import { requireScope } from "../Auth.js"
import { badRequest, conflict, notFound } from "../DomoError.js"
import { atomically, empty, intPathParam, json, nextId, paging } from "../internal/kit.js"
import * as People from "../internal/people.js"
import * as RouteFamily from "../RouteFamily.js"

const GROUP_ID_BASE = 1_100_000_000

interface GroupRow {
  readonly id: number
  readonly name: string
  readonly is_default: number
  readonly active: number
  readonly creator_id: number
  readonly deleted: number
  readonly member_count: number
}

const selectGroups = (sql: SqlClient.SqlClient) =>
  sql`SELECT g.*, (SELECT COUNT(*) FROM group_members m JOIN users u ON u.id = m.user_id
        WHERE m.group_id = g.id AND u.deleted = 0) AS member_count FROM groups_ g`

const findGroup = (id: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql<GroupRow>`${selectGroups(sql)} WHERE g.id = ${id}`, (rows) => rows[0])
  )

const requireGroup = (options: { readonly live: boolean }) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const id = yield* intPathParam(params, "id", "Group")
    const group = yield* findGroup(id)
    if (group === undefined || (options.live && group.deleted === 1)) return yield* notFound(`Group ${id} not found`)
    return group
  })

const toGroup = (row: GroupRow): GroupModels.Group =>
  row.deleted === 1
    ? { id: row.id, name: row.name, deleted: true }
    : {
      id: row.id,
      name: row.name,
      active: row.active === 1,
      default: row.is_default === 1,
      creatorId: String(row.creator_id),
      memberCount: row.member_count
    }

const nameTaken = (name: string, except: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM groups_ WHERE lower(name) = ${name.toLowerCase()}
        AND deleted = 0 AND id != ${except}`,
      (rows) => rows[0]!.n > 0
    ))

const list = Effect.gen(function*() {
  yield* requireScope("user")
  const { limit, offset } = yield* paging(50, 500)
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<GroupRow>`${selectGroups(sql)} WHERE g.deleted = 0 ORDER BY g.id
    LIMIT ${limit} OFFSET ${offset}`
  return yield* json(
    GroupModels.GroupList,
    rows.map((row) => ({ id: row.id, name: row.name, default: row.is_default === 1, memberCount: row.member_count }))
  )
})

const get = Effect.gen(function*() {
  yield* requireScope("user")
  const group = yield* requireGroup({ live: false })
  return yield* json(GroupModels.Group, toGroup(group))
})

const create = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("user")
  const body = yield* RouteFamily.jsonBody(GroupModels.CreateGroup)
  if (body.name.trim() === "") return yield* badRequest("Group name is required")
  if (yield* nameTaken(body.name, -1)) return yield* conflict(`A group named '${body.name}' already exists`)
  const sql = yield* SqlClient.SqlClient
  const id = yield* nextId("groups_", GROUP_ID_BASE)
  yield* sql`INSERT INTO groups_ (id, name, is_default, active, creator_id) VALUES (${id}, ${body.name},
    ${body.default === true ? 1 : 0}, ${body.active === false ? 0 : 1}, ${principal.userId})`
  yield* Activity.record(principal, {
    actionType: "CREATED",
    objectType: "GROUP",
    objectId: String(id),
    objectName: body.name
  })
  // Domo's create answer: {id, name, active, creatorId, default}
  return yield* json(GroupModels.Group, {
    id,
    name: body.name,
    active: body.active !== false,
    creatorId: String(principal.userId),
    default: body.default === true
  })
}))

const update = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("user")
  const group = yield* requireGroup({ live: true })
  const body = yield* RouteFamily.jsonBody(GroupModels.UpdateGroup)
  const name = body.name ?? group.name
  if (name.trim() === "") return yield* badRequest("Group name is required")
  if (yield* nameTaken(name, group.id)) return yield* conflict(`A group named '${name}' already exists`)
  const sql = yield* SqlClient.SqlClient
  const active = body.active ?? group.active === 1
  const isDefault = body.default ?? group.is_default === 1
  yield* sql`UPDATE groups_ SET name = ${name}, active = ${active ? 1 : 0}, is_default = ${isDefault ? 1 : 0}
    WHERE id = ${group.id}`
  yield* Activity.record(principal, {
    actionType: "UPDATED",
    objectType: "GROUP",
    objectId: String(group.id),
    objectName: name
  })
  const updated = yield* findGroup(group.id)
  return yield* json(GroupModels.Group, toGroup(updated!))
}))

const remove = Effect.gen(function*() {
  const principal = yield* requireScope("user")
  const group = yield* requireGroup({ live: true })
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE groups_ SET deleted = 1 WHERE id = ${group.id}`
  yield* sql`DELETE FROM group_members WHERE group_id = ${group.id}`
  yield* Activity.record(principal, {
    actionType: "DELETED",
    objectType: "GROUP",
    objectId: String(group.id),
    objectName: group.name
  })
  return empty(204)
})

const members = Effect.gen(function*() {
  yield* requireScope("user")
  const group = yield* requireGroup({ live: true })
  const { limit, offset } = yield* paging(50, 500)
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ user_id: number }>`SELECT m.user_id FROM group_members m JOIN users u ON u.id = m.user_id
    WHERE m.group_id = ${group.id} AND u.deleted = 0 ORDER BY m.user_id LIMIT ${limit} OFFSET ${offset}`
  return yield* json(GroupModels.GroupMembers, rows.map((r) => r.user_id))
})

const memberChange = (action: "add" | "remove") =>
  Effect.gen(function*() {
    const principal = yield* requireScope("user")
    const group = yield* requireGroup({ live: true })
    const params = yield* HttpRouter.params
    const userId = yield* intPathParam(params, "userId", "User")
    if (!(yield* People.userExists(userId))) return yield* notFound(`User ${userId} not found`)
    const sql = yield* SqlClient.SqlClient
    if (action === "add") {
      yield* sql`INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (${group.id}, ${userId})`
    } else {
      yield* sql`DELETE FROM group_members WHERE group_id = ${group.id} AND user_id = ${userId}`
    }
    yield* Activity.record(principal, {
      actionType: action === "add" ? "ADDED_USER" : "REMOVED_USER",
      objectType: "GROUP",
      objectId: String(group.id),
      objectName: group.name,
      additionalComment: `user ${userId}`
    })
    return empty(204)
  })

/**
 * The `groups` route family (its tables are created by the users family's store).
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "groups",
  migrate: People.migrate,
  router: HttpRouter.empty.pipe(
    HttpRouter.get("/v1/groups", list),
    HttpRouter.post("/v1/groups", create),
    HttpRouter.get("/v1/groups/:id", get),
    HttpRouter.put("/v1/groups/:id", update),
    HttpRouter.del("/v1/groups/:id", remove),
    HttpRouter.get("/v1/groups/:id/users", members),
    HttpRouter.put("/v1/groups/:id/users/:userId", memberChange("add")),
    HttpRouter.del("/v1/groups/:id/users/:userId", memberChange("remove"))
  )
})
