/**
 * The Projects and Tasks API (`/v1/projects`, scope `workflow`): projects (`me` is the caller's
 * personal project), members, lists, tasks and attachments (metadata, multipart upload of the
 * form field `file`, download of the bytes).
 *
 * Shapes and rules from Domo's docs: ids are digit strings (attachment ids integers); a list's
 * `index` and a task's `priority` are 1-based, an omitted one means 1 and the others shift;
 * task pages default to 10, at most 50. Both the docs' `PUT` and the SDKs' `POST` create a
 * task; attachment delete answers on the docs' singular `/v1/project/…` path and the Java SDK's
 * `/v1/projects/…` one. Creates and updates answer 200 with the object, deletes 200 empty (the
 * documented codes; the SDKs accept any 2xx). Projects are visible when public, or to their
 * creator and members (others are 404s).
 *
 * @since 0.1.0
 */
import { ProjectModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Activity from "../Activity.js"
import type { Principal } from "../Auth.js"
import { requireScope } from "../Auth.js"
import { badRequest, notFound } from "../DomoError.js"
import { atomically, compact, empty, json, nextId, nowIso, paging, parseDoc } from "../internal/kit.js"
import * as People from "../internal/people.js"
import * as Store from "../internal/projectStore.js"
import * as RouteFamily from "../RouteFamily.js"

const ATTACHMENT_ID_BASE = 5_000_000

const record = (principal: Principal, actionType: string, objectType: string, id: string, name?: string) =>
  Activity.record(principal, { actionType, objectType, objectId: id, objectName: name })

const pathParam = (name: string) => Effect.flatMap(HttpRouter.params, (params) => RouteFamily.param(params, name))

const project = Effect.gen(function*() {
  const principal = yield* requireScope("workflow")
  const found = yield* Store.requireProject(yield* pathParam("projectId"), principal)
  return { principal, project: found }
})

// Projects, lists and attachments have no documented paging; the Java SDK still sends
// `limit`/`offset`, which are honoured when present.
const sliced = <A>(items: ReadonlyArray<A>) =>
  Effect.gen(function*() {
    const query = yield* RouteFamily.query
    const offset = yield* RouteFamily.intParam(query, "offset", { default: 0, min: 0 })
    const limit = yield* RouteFamily.intParam(query, "limit", { default: items.length, min: 0 })
    return items.slice(offset, offset + limit)
  })

const checkUsers = (ids: ReadonlyArray<number>) =>
  Effect.forEach(
    ids,
    (id) =>
      Effect.flatMap(People.userExists(id), (exists) =>
        exists ? Effect.void : Effect.fail(badRequest(`User ${id} not found`))),
    { discard: true }
  )

// ---- projects ----

const listProjects = Effect.gen(function*() {
  const principal = yield* requireScope("workflow")
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ id: string; doc: string }>`SELECT id, doc FROM projects WHERE deleted = 0
    ORDER BY CAST(id AS INTEGER)`
  const visible = rows.map((r): ProjectModels.Project => ({ id: r.id, ...parseDoc<Store.ProjectDoc>(r.doc) }))
    .filter((p) => Store.canSee(p, principal))
  return yield* json(ProjectModels.Projects, yield* sliced(visible))
})

const createProject = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("workflow")
  const body = yield* RouteFamily.jsonBody(ProjectModels.CreateProject)
  if (body.name.trim() === "") return yield* badRequest("Project name is required")
  const members = [...new Set([principal.userId, ...(body.members ?? [])])]
  yield* checkUsers(members)
  const id = yield* Store.newId("projects")
  const doc: Store.ProjectDoc = {
    name: body.name,
    description: body.description ?? "",
    members,
    createdBy: principal.userId,
    createdDate: yield* nowIso,
    dueDate: body.dueDate ?? null,
    public: body.public ?? false
  }
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO projects (id, doc) VALUES (${id}, ${JSON.stringify(doc)})`
  yield* record(principal, "CREATED", "PROJECT", id, body.name)
  return yield* json(ProjectModels.Project, { id, ...doc })
}))

const getProject = Effect.flatMap(project, ({ project }) => json(ProjectModels.Project, project))

const updateProject = Effect.gen(function*() {
  const { principal, project: current } = yield* project
  const body = yield* RouteFamily.jsonBody(ProjectModels.UpdateProject)
  if (body.name !== undefined && body.name.trim() === "") return yield* badRequest("Project name is required")
  // id, members, createdBy and createdDate are read-only
  const updated: ProjectModels.Project = compact({ ...current, ...body })
  yield* Store.saveProject(updated)
  yield* record(principal, "UPDATED", "PROJECT", current.id, updated.name)
  return yield* json(ProjectModels.Project, updated)
})

const deleteProject = Effect.gen(function*() {
  const { principal, project: current } = yield* project
  const sql = yield* SqlClient.SqlClient
  const personal = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM projects WHERE id = ${current.id}
    AND personal_of IS NOT NULL`
  if (personal[0]!.n > 0) return yield* badRequest("A personal project cannot be deleted")
  yield* sql`UPDATE projects SET deleted = 1 WHERE id = ${current.id}`
  yield* sql`DELETE FROM project_attachments WHERE task_id IN (SELECT id FROM project_tasks
    WHERE project_id = ${current.id})`
  yield* sql`DELETE FROM project_tasks WHERE project_id = ${current.id}`
  yield* sql`DELETE FROM project_lists WHERE project_id = ${current.id}`
  yield* record(principal, "DELETED", "PROJECT", current.id, current.name)
  return empty(200)
})

const getMembers = Effect.flatMap(project, ({ project }) => json(ProjectModels.ProjectMembers, project.members ?? []))

const putMembers = Effect.gen(function*() {
  const { principal, project: current } = yield* project
  const members = [...new Set(yield* RouteFamily.jsonBody(ProjectModels.ProjectMembers))]
  yield* checkUsers(members)
  yield* Store.saveProject({ ...current, members })
  yield* record(principal, "UPDATED_MEMBERS", "PROJECT", current.id, current.name)
  return empty(200)
})

// ---- lists ----

const getLists = Effect.gen(function*() {
  const { project: current } = yield* project
  return yield* json(ProjectModels.ProjectLists, yield* sliced(yield* Store.listsOf(current.id)))
})

const createList = atomically(Effect.gen(function*() {
  const { principal, project: current } = yield* project
  const body = yield* RouteFamily.jsonBody(ProjectModels.CreateProjectList)
  if (body.name.trim() === "") return yield* badRequest("List name is required")
  const id = yield* Store.newId("project_lists")
  const sql = yield* SqlClient.SqlClient
  const doc: Store.ListDoc = { name: body.name, type: body.type }
  yield* sql`INSERT INTO project_lists (id, project_id, idx, doc) VALUES (${id}, ${current.id}, 0,
    ${JSON.stringify(doc)})`
  const order = (yield* Store.listsOf(current.id)).map((l) => l.id)
  yield* Store.renumberLists(Store.placeAt(order, id, body.index ?? 1))
  yield* record(principal, "CREATED", "PROJECT_LIST", id, body.name)
  return yield* json(ProjectModels.ProjectList, yield* Store.requireList(current.id, id))
}))

const list = Effect.gen(function*() {
  const { principal, project: current } = yield* project
  const found = yield* Store.requireList(current.id, yield* pathParam("listId"))
  return { principal, project: current, list: found }
})

const getList = Effect.flatMap(list, ({ list }) => json(ProjectModels.ProjectList, list))

const updateList = atomically(Effect.gen(function*() {
  const { list: current, principal, project: p } = yield* list
  const body = yield* RouteFamily.jsonBody(ProjectModels.UpdateProjectList)
  if (body.name !== undefined && body.name.trim() === "") return yield* badRequest("List name is required")
  const doc: Store.ListDoc = { name: body.name ?? current.name, type: body.type ?? current.type }
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE project_lists SET doc = ${JSON.stringify(doc)} WHERE id = ${current.id}`
  if (body.index !== undefined) {
    const order = (yield* Store.listsOf(p.id)).map((l) => l.id)
    yield* Store.renumberLists(Store.placeAt(order, current.id, body.index))
  }
  yield* record(principal, "UPDATED", "PROJECT_LIST", current.id, doc.name)
  return yield* json(ProjectModels.ProjectList, yield* Store.requireList(p.id, current.id))
}))

const deleteList = atomically(Effect.gen(function*() {
  const { list: current, principal, project: p } = yield* list
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM project_attachments WHERE task_id IN (SELECT id FROM project_tasks
    WHERE list_id = ${current.id})`
  yield* sql`DELETE FROM project_tasks WHERE list_id = ${current.id}`
  yield* sql`DELETE FROM project_lists WHERE id = ${current.id}`
  yield* Store.renumberLists((yield* Store.listsOf(p.id)).map((l) => l.id))
  yield* record(principal, "DELETED", "PROJECT_LIST", current.id, current.name)
  return empty(200)
}))

// ---- tasks ----

const projectTasks = Effect.gen(function*() {
  const { project: p } = yield* project
  const page = yield* paging(10, 50)
  return yield* json(ProjectModels.Tasks, yield* Store.tasksOf(p.id, undefined, page))
})

const listTasks = Effect.gen(function*() {
  const { list: l, project: p } = yield* list
  const page = yield* paging(10, 50)
  return yield* json(ProjectModels.Tasks, yield* Store.tasksOf(p.id, l.id, page))
})

const createTask = atomically(Effect.gen(function*() {
  const { list: l, principal, project: p } = yield* list
  const body = yield* RouteFamily.jsonBody(ProjectModels.CreateTask)
  if (body.taskName.trim() === "") return yield* badRequest("taskName is required")
  yield* checkUsers([body.ownedBy ?? principal.userId, ...(body.contributors ?? [])])
  const id = yield* Store.newId("project_tasks")
  const now = yield* nowIso
  const doc: Store.TaskDoc = {
    taskName: body.taskName,
    description: body.description ?? "",
    createdDate: now,
    updatedDate: now,
    dueDate: body.dueDate ?? null,
    createdBy: principal.userId,
    ownedBy: body.ownedBy ?? principal.userId,
    contributors: body.contributors ?? [],
    tags: body.tags ?? [],
    archived: false
  }
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO project_tasks (id, project_id, list_id, priority, doc) VALUES (${id}, ${p.id}, ${l.id}, 0,
    ${JSON.stringify(doc)})`
  yield* Store.renumberTasks(Store.placeAt(yield* Store.taskOrder(l.id), id, body.priority ?? 1))
  yield* record(principal, "CREATED", "TASK", id, body.taskName)
  return yield* json(ProjectModels.Task, yield* Store.toTask(yield* Store.requireTask(p.id, l.id, id)))
}))

const task = Effect.gen(function*() {
  const { list: l, principal, project: p } = yield* list
  const row = yield* Store.requireTask(p.id, l.id, yield* pathParam("taskId"))
  return { principal, project: p, list: l, row }
})

const getTask = Effect.flatMap(task, ({ row }) => Effect.flatMap(Store.toTask(row), (t) => json(ProjectModels.Task, t)))

const updateTask = atomically(Effect.gen(function*() {
  const { principal, project: p, row } = yield* task
  const body = yield* RouteFamily.jsonBody(ProjectModels.UpdateTask)
  if (body.taskName !== undefined && body.taskName.trim() === "") return yield* badRequest("taskName is required")
  if (body.projectId !== undefined && body.projectId !== p.id) {
    return yield* badRequest("A task cannot move to another project")
  }
  yield* checkUsers([...(body.ownedBy === undefined ? [] : [body.ownedBy]), ...(body.contributors ?? [])])
  const targetList = body.projectListId ?? row.list_id
  if (targetList !== row.list_id) yield* Store.requireList(p.id, targetList)
  const current = parseDoc<Store.TaskDoc>(row.doc)
  const { id: _id, priority, projectId: _p, projectListId: _l, ...changes } = body
  const doc: Store.TaskDoc = compact({ ...current, ...changes, updatedDate: yield* nowIso })
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE project_tasks SET list_id = ${targetList}, doc = ${JSON.stringify(doc)} WHERE id = ${row.id}`
  if (targetList !== row.list_id) yield* Store.renumberTasks(yield* Store.taskOrder(row.list_id))
  const order = yield* Store.taskOrder(targetList)
  const position = priority ?? (targetList !== row.list_id ? 1 : order.indexOf(row.id) + 1)
  yield* Store.renumberTasks(Store.placeAt(order, row.id, position))
  yield* record(principal, "UPDATED", "TASK", row.id, doc.taskName)
  return yield* json(ProjectModels.Task, yield* Store.toTask(yield* Store.requireTask(p.id, targetList, row.id)))
}))

// Not in Domo's docs; Domo's Rust SDK calls it.
const deleteTask = atomically(Effect.gen(function*() {
  const { principal, row } = yield* task
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM project_attachments WHERE task_id = ${row.id}`
  yield* sql`DELETE FROM project_tasks WHERE id = ${row.id}`
  yield* Store.renumberTasks(yield* Store.taskOrder(row.list_id))
  yield* record(principal, "DELETED", "TASK", row.id, parseDoc<Store.TaskDoc>(row.doc).taskName)
  return empty(200)
}))

// ---- attachments ----

interface AttachmentRow {
  readonly id: number
  readonly task_id: string
  readonly doc: string
}

const toAttachment = (row: AttachmentRow): ProjectModels.Attachment => ({
  id: row.id,
  ...parseDoc<Omit<ProjectModels.Attachment, "id">>(row.doc)
})

const listAttachments = Effect.gen(function*() {
  const { row } = yield* task
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<AttachmentRow>`SELECT id, task_id, doc FROM project_attachments WHERE task_id = ${row.id}
    ORDER BY id`
  return yield* json(ProjectModels.Attachments, yield* sliced(rows.map(toAttachment)))
})

const upload = Effect.gen(function*() {
  const { principal, row } = yield* task
  const request = yield* HttpServerRequest.HttpServerRequest
  const contentType = request.headers["content-type"] ?? ""
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    return yield* badRequest("Expected a multipart/form-data body with a 'file' field")
  }
  const bytes = yield* Effect.mapError(request.arrayBuffer, () => badRequest("Could not read the request body"))
  const form = yield* Effect.tryPromise({
    try: () => new Response(bytes, { headers: { "content-type": contentType } }).formData(),
    catch: () => badRequest("Malformed multipart/form-data body")
  })
  const file = form.get("file")
  if (file === null || typeof file === "string") {
    return yield* badRequest("Expected a multipart/form-data body with a 'file' field")
  }
  const content = Buffer.from(yield* Effect.promise(() => file.arrayBuffer()))
  const meta: Omit<ProjectModels.Attachment, "id"> = {
    taskId: Number(row.id),
    createdDate: yield* nowIso,
    createdBy: principal.userId,
    fileName: file.name === "" ? "attachment" : file.name,
    mimeType: file.type === "" ? "application/octet-stream" : file.type
  }
  const sql = yield* SqlClient.SqlClient
  const id = yield* atomically(Effect.gen(function*() {
    const next = yield* nextId("project_attachments", ATTACHMENT_ID_BASE)
    yield* sql`INSERT INTO project_attachments (id, task_id, doc, bytes) VALUES (${next}, ${row.id},
      ${JSON.stringify(meta)}, ${content})`
    return next
  }))
  yield* record(principal, "UPLOADED", "TASK_ATTACHMENT", String(id), meta.fileName)
  return yield* json(ProjectModels.Attachment, { id, ...meta })
})

const attachment = (taskId: string) =>
  Effect.gen(function*() {
    const raw = yield* pathParam("attachmentId")
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<AttachmentRow & { bytes: Uint8Array }>`SELECT * FROM project_attachments
      WHERE id = ${/^\d+$/.test(raw) ? Number(raw) : -1} AND task_id = ${taskId}`
    if (rows[0] === undefined) return yield* notFound(`Attachment ${raw} not found`)
    return rows[0]
  })

const download = Effect.gen(function*() {
  const { row } = yield* task
  const found = yield* attachment(row.id)
  const meta = toAttachment(found)
  return HttpServerResponse.uint8Array(new Uint8Array(found.bytes), {
    contentType: meta.mimeType ?? "application/octet-stream",
    headers: { "content-disposition": `attachment; filename="${(meta.fileName ?? "attachment").replace(/"/g, "")}"` }
  })
})

const deleteAttachment = Effect.gen(function*() {
  const { principal, project: p } = yield* project
  const row = yield* Store.requireTask(p.id, undefined, yield* pathParam("taskId"))
  const found = yield* attachment(row.id)
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM project_attachments WHERE id = ${found.id}`
  yield* record(principal, "DELETED", "TASK_ATTACHMENT", String(found.id), toAttachment(found).fileName)
  return empty(200)
})

const base = "/v1/projects/:projectId"
const taskPath = `${base}/lists/:listId/tasks/:taskId`

/**
 * The `projects` route family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "projects",
  migrate: Store.migrate,
  router: HttpRouter.empty.pipe(
    HttpRouter.get("/v1/projects", listProjects),
    HttpRouter.post("/v1/projects", createProject),
    HttpRouter.get(base, getProject),
    HttpRouter.put(base, updateProject),
    HttpRouter.del(base, deleteProject),
    HttpRouter.get(`${base}/members`, getMembers),
    HttpRouter.put(`${base}/members`, putMembers),
    HttpRouter.get(`${base}/lists`, getLists),
    HttpRouter.post(`${base}/lists`, createList),
    HttpRouter.get(`${base}/lists/:listId`, getList),
    HttpRouter.put(`${base}/lists/:listId`, updateList),
    HttpRouter.del(`${base}/lists/:listId`, deleteList),
    HttpRouter.get(`${base}/tasks`, projectTasks)
  ).pipe(
    HttpRouter.get(`${base}/lists/:listId/tasks`, listTasks),
    HttpRouter.post(`${base}/lists/:listId/tasks`, createTask),
    HttpRouter.put(`${base}/lists/:listId/tasks`, createTask),
    HttpRouter.get(taskPath, getTask),
    HttpRouter.put(taskPath, updateTask),
    HttpRouter.del(taskPath, deleteTask),
    HttpRouter.get(`${taskPath}/attachments`, listAttachments),
    HttpRouter.post(`${taskPath}/attachments`, upload),
    HttpRouter.get(`${taskPath}/attachments/:attachmentId`, download),
    HttpRouter.del(`${taskPath}/attachments/:attachmentId`, deleteAttachment),
    HttpRouter.del(`${base}/tasks/:taskId/attachments/:attachmentId`, deleteAttachment),
    HttpRouter.del("/v1/project/:projectId/tasks/:taskId/attachments/:attachmentId", deleteAttachment)
  )
})
