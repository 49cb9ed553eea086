/**
 * Storage of the Projects and Tasks family: projects (with members), lists, tasks and task
 * attachments (bytes included), and the ordering rules (`index` of lists, `priority` of tasks:
 * an omitted one means 1 and the others shift).
 *
 * @internal
 */
import type { ProjectModels } from "@effect-domo/client"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import type { Principal } from "../Auth.js"
import { notFound } from "../DomoError.js"
import { nextId, nowIso, parseDoc } from "./kit.js"

/** @internal */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY, personal_of INTEGER, deleted INTEGER NOT NULL DEFAULT 0, doc TEXT NOT NULL)`
  yield* sql`CREATE TABLE IF NOT EXISTS project_lists (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, idx INTEGER NOT NULL, doc TEXT NOT NULL)`
  yield* sql`CREATE TABLE IF NOT EXISTS project_tasks (
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, list_id TEXT NOT NULL, priority INTEGER NOT NULL,
    doc TEXT NOT NULL)`
  yield* sql`CREATE TABLE IF NOT EXISTS project_attachments (
    id INTEGER PRIMARY KEY, task_id TEXT NOT NULL, doc TEXT NOT NULL, bytes BLOB NOT NULL)`
})

/** @internal */
export type ProjectDoc = Omit<ProjectModels.Project, "id">
/** @internal */
export type ListDoc = Omit<ProjectModels.ProjectList, "id" | "index">
/** @internal */
export type TaskDoc = Omit<ProjectModels.Task, "id" | "projectId" | "projectListId" | "priority">

/** Ids: digit strings, each kind in its own range. @internal */
export const ID_BASE = { projects: 2_000_000, project_lists: 3_000_000, project_tasks: 4_000_000 } as const

/** @internal */
export const newId = (table: keyof typeof ID_BASE) => Effect.map(nextId(table, ID_BASE[table]), String)

/**
 * Whether the caller may see a project: public, a member, or its creator.
 *
 * @internal
 */
export const canSee = (project: ProjectModels.Project, principal: Principal): boolean =>
  project.public === true || project.createdBy === principal.userId ||
  (project.members ?? []).includes(principal.userId)

/**
 * A project by id (`me`: the caller's personal project, made on first use); 404 when missing,
 * deleted or not visible.
 *
 * @internal
 */
export const requireProject = (id: string, principal: Principal) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    if (id === "me") {
      const rows = yield* sql<{ id: string; doc: string }>`SELECT id, doc FROM projects
        WHERE personal_of = ${principal.userId} AND deleted = 0`
      if (rows[0] !== undefined) return { id: rows[0].id, ...parseDoc<ProjectDoc>(rows[0].doc) }
      const newIdValue = yield* newId("projects")
      const doc: ProjectDoc = {
        name: "My Tasks",
        description: "",
        members: [principal.userId],
        createdBy: principal.userId,
        createdDate: yield* nowIso,
        dueDate: null,
        public: false
      }
      yield* sql`INSERT INTO projects (id, personal_of, doc) VALUES (${newIdValue}, ${principal.userId},
        ${JSON.stringify(doc)})`
      return { id: newIdValue, ...doc }
    }
    const rows = yield* sql<{ id: string; doc: string }>`SELECT id, doc FROM projects WHERE id = ${id} AND deleted = 0`
    const row = rows[0]
    const project: ProjectModels.Project | undefined = row === undefined
      ? undefined
      : { id: row.id, ...parseDoc<ProjectDoc>(row.doc) }
    if (project === undefined || !canSee(project, principal)) return yield* notFound(`Project ${id} not found`)
    return project
  })

/** @internal */
export const saveProject = (project: ProjectModels.Project) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const { id, ...doc } = project
    return sql`UPDATE projects SET doc = ${JSON.stringify(doc)} WHERE id = ${id}`
  })

/** @internal */
export const listsOf = (projectId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ id: string; idx: number; doc: string }>`SELECT id, idx, doc FROM project_lists
        WHERE project_id = ${projectId} ORDER BY idx, CAST(id AS INTEGER)`,
      (rows): Array<ProjectModels.ProjectList> =>
        rows.map((r) => ({ id: r.id, ...parseDoc<ListDoc>(r.doc), index: r.idx }))
    ))

/** @internal */
export const requireList = (projectId: string, listId: string) =>
  Effect.flatMap(listsOf(projectId), (lists) => {
    const list = lists.find((l) => l.id === listId)
    return list === undefined
      ? Effect.fail(notFound(`List ${listId} not found in project ${projectId}`))
      : Effect.succeed(list)
  })

/**
 * Put `item` at 1-based `position` among `ids` (ordered), clamped to the ends.
 *
 * @internal
 */
export const placeAt = (ids: ReadonlyArray<string>, item: string, position: number): Array<string> => {
  const rest = ids.filter((id) => id !== item)
  const at = Math.min(Math.max(position, 1), rest.length + 1) - 1
  return [...rest.slice(0, at), item, ...rest.slice(at)]
}

/** Re-number a project's lists 1..n in the given order. @internal */
export const renumberLists = (order: ReadonlyArray<string>) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.forEach(order, (id, i) => sql`UPDATE project_lists SET idx = ${i + 1} WHERE id = ${id}`, { discard: true })
  )

interface TaskRow {
  readonly id: string
  readonly project_id: string
  readonly list_id: string
  readonly priority: number
  readonly doc: string
}

const attachmentCount = (taskId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM project_attachments WHERE task_id = ${taskId}`, (rows) =>
        rows[0]!.n)
  )

/** @internal */
export const toTask = (row: TaskRow) =>
  Effect.map(attachmentCount(row.id), (count): ProjectModels.Task => ({
    id: row.id,
    projectId: row.project_id,
    projectListId: row.list_id,
    priority: row.priority,
    ...parseDoc<TaskDoc>(row.doc),
    attachmentCount: count
  }))

/** Tasks of a project (or of one list), by list then priority. @internal */
export const tasksOf = (
  projectId: string,
  listId: string | undefined,
  page: { readonly limit: number; readonly offset: number }
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<TaskRow>`SELECT t.* FROM project_tasks t JOIN project_lists l ON l.id = t.list_id
      WHERE t.project_id = ${projectId} ${listId === undefined ? sql`` : sql`AND t.list_id = ${listId}`}
      ORDER BY l.idx, t.priority, CAST(t.id AS INTEGER) LIMIT ${page.limit} OFFSET ${page.offset}`
    return yield* Effect.forEach(rows, toTask)
  })

/** @internal */
export const requireTask = (projectId: string, listId: string | undefined, taskId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<TaskRow>`SELECT * FROM project_tasks WHERE id = ${taskId} AND project_id = ${projectId}
      ${listId === undefined ? sql`` : sql`AND list_id = ${listId}`}`
    if (rows[0] === undefined) return yield* notFound(`Task ${taskId} not found`)
    return rows[0]
  })

/** Ids of a list's tasks by priority. @internal */
export const taskOrder = (listId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ id: string }>`SELECT id FROM project_tasks WHERE list_id = ${listId}
        ORDER BY priority, CAST(id AS INTEGER)`,
      (rows) => rows.map((r) => r.id)
    ))

/** Re-number a list's tasks' priorities 1..n in the given order. @internal */
export const renumberTasks = (order: ReadonlyArray<string>) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      Effect.forEach(order, (id, i) => sql`UPDATE project_tasks SET priority = ${i + 1} WHERE id = ${id}`, {
        discard: true
      })
  )
