/**
 * Domo's Projects and Tasks API (`/v1/projects`): projects and their members, the lists of a
 * project (its board columns), the tasks on them, and task attachments (metadata, upload,
 * download). Every call needs a token with the `workflow` scope; without it Domo answers 403,
 * which fails as `DomoError.ForbiddenError`.
 *
 * Project, list and task ids are digit strings (`"me"` is the caller's personal project);
 * attachment ids are integers. Where Domo's docs and its SDKs disagree the client sends what the
 * SDKs send: `POST` to create a task, `/v1/projects/{p}/tasks/{t}/attachments/{a}` to delete an
 * attachment.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Stream from "effect/Stream"
import type * as DomoError from "./DomoError.js"
import { DomoHttpClient } from "./DomoHttpClient.js"
import * as Call from "./internal/call.js"
import * as ProjectTasks from "./internal/projectTasks.js"
import * as ProjectModels from "./ProjectModels.js"

/**
 * The most tasks one request may ask for (`limit`); Domo's default is 10.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxTaskPageSize = 50

/**
 * How a task list is paged (lazily: a page is requested only when the consumer pulls past the last).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** tasks per request, clamped to `1..maxTaskPageSize` (default `maxTaskPageSize`) */
  readonly pageSize?: number | undefined
  /** offset of the first task (default 0) */
  readonly offset?: number | undefined
}

/**
 * A file to attach to a task.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewAttachment {
  readonly fileName: string
  /** default `application/octet-stream` */
  readonly mimeType?: string | undefined
  readonly data: Uint8Array
}

/**
 * Where a task is: its project, its list, its id.
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskRef {
  readonly projectId: string
  readonly listId: string
  readonly taskId: string
}

/**
 * The `Projects` service. Scope: `workflow`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Projects extends Context.Tag("@effect-domo/client/Projects")<Projects, Projects.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Projects {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** every project the caller can see (`GET /v1/projects`) */
    readonly list: Effect.Effect<ReadonlyArray<ProjectModels.Project>, DomoError.DomoError>
    /** one project (`GET /v1/projects/{id}`; `"me"` = the personal project) */
    readonly get: (projectId: string) => Effect.Effect<ProjectModels.Project, DomoError.DomoError>
    /** creates a project (`POST /v1/projects`) */
    readonly create: (project: ProjectModels.CreateProject) => Effect.Effect<ProjectModels.Project, DomoError.DomoError>
    /** updates name, description, due date, visibility (`PUT /v1/projects/{id}`); returns the project */
    readonly update: (
      projectId: string,
      project: ProjectModels.UpdateProject
    ) => Effect.Effect<ProjectModels.Project, DomoError.DomoError>
    /** deletes a project (`DELETE /v1/projects/{id}`) */
    readonly delete: (projectId: string) => Effect.Effect<void, DomoError.DomoError>
    /** the user ids of a project's members (`GET /v1/projects/{id}/members`) */
    readonly members: (projectId: string) => Effect.Effect<ReadonlyArray<number>, DomoError.DomoError>
    /** replaces a project's members (`PUT /v1/projects/{id}/members` with the id array) */
    readonly setMembers: (projectId: string, userIds: ReadonlyArray<number>) => Effect.Effect<void, DomoError.DomoError>
    /** the lists of a project (`GET /v1/projects/{id}/lists`) */
    readonly lists: (projectId: string) => Effect.Effect<ReadonlyArray<ProjectModels.ProjectList>, DomoError.DomoError>
    /** one list (`GET /v1/projects/{id}/lists/{listId}`) */
    readonly getList: (
      projectId: string,
      listId: string
    ) => Effect.Effect<ProjectModels.ProjectList, DomoError.DomoError>
    /** creates a list (`POST /v1/projects/{id}/lists`); without `index` it goes first and the others shift */
    readonly createList: (
      projectId: string,
      list: ProjectModels.CreateProjectList
    ) => Effect.Effect<ProjectModels.ProjectList, DomoError.DomoError>
    /** updates a list (`PUT /v1/projects/{id}/lists/{listId}`); returns the list */
    readonly updateList: (
      projectId: string,
      listId: string,
      list: ProjectModels.UpdateProjectList
    ) => Effect.Effect<ProjectModels.ProjectList, DomoError.DomoError>
    /** deletes a list (`DELETE /v1/projects/{id}/lists/{listId}`) */
    readonly deleteList: (projectId: string, listId: string) => Effect.Effect<void, DomoError.DomoError>
    /** every task of a project, paged lazily (`GET /v1/projects/{id}/tasks`, at most 50 a page) */
    readonly tasks: (projectId: string, options?: ListOptions) => Stream.Stream<ProjectModels.Task, DomoError.DomoError>
    /** every task of one list, paged lazily (`GET /v1/projects/{id}/lists/{listId}/tasks`) */
    readonly listTasks: (
      projectId: string,
      listId: string,
      options?: ListOptions
    ) => Stream.Stream<ProjectModels.Task, DomoError.DomoError>
    /** one task (`GET /v1/projects/{id}/lists/{listId}/tasks/{taskId}`) */
    readonly getTask: (task: TaskRef) => Effect.Effect<ProjectModels.Task, DomoError.DomoError>
    /** creates a task on a list (`POST /v1/projects/{id}/lists/{listId}/tasks`, as Domo's SDKs send it) */
    readonly createTask: (
      projectId: string,
      listId: string,
      task: ProjectModels.CreateTask
    ) => Effect.Effect<ProjectModels.Task, DomoError.DomoError>
    /** updates a task (`PUT …/tasks/{taskId}`); moving it: set `projectListId`. Returns the task */
    readonly updateTask: (
      task: TaskRef,
      changes: ProjectModels.UpdateTask
    ) => Effect.Effect<ProjectModels.Task, DomoError.DomoError>
    /** the attachments' metadata of a task (`GET …/tasks/{taskId}/attachments`) */
    readonly attachments: (task: TaskRef) => Effect.Effect<ReadonlyArray<ProjectModels.Attachment>, DomoError.DomoError>
    /** uploads a file to a task (`POST …/tasks/{taskId}/attachments`, multipart field `file`) */
    readonly addAttachment: (
      task: TaskRef,
      file: NewAttachment
    ) => Effect.Effect<ProjectModels.Attachment, DomoError.DomoError>
    /** the bytes of an attachment, streamed (`GET …/tasks/{taskId}/attachments/{attachmentId}`) */
    readonly downloadAttachment: (
      task: TaskRef,
      attachmentId: number
    ) => Stream.Stream<Uint8Array, DomoError.DomoError>
    /** deletes an attachment (`DELETE /v1/projects/{id}/tasks/{taskId}/attachments/{attachmentId}`) */
    readonly deleteAttachment: (task: TaskRef, attachmentId: number) => Effect.Effect<void, DomoError.DomoError>
  }
}

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Projects.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient
  const segment = (method: string, name: string, id: string) => Call.stringId(method, "/v1/projects", name, id)
  const projectPath = (method: string, projectId: string) =>
    Effect.map(segment(method, "project id", projectId), (p) => `/v1/projects/${p}`)
  const listPath = (method: string, projectId: string, listId: string) =>
    Effect.zipWith(
      projectPath(method, projectId),
      segment(method, "list id", listId),
      (p, l) => `${p}/lists/${l}`
    )

  const list = Effect.withSpan(
    Call.executeJson(client, HttpClientRequest.get("/v1/projects"), ProjectModels.Projects),
    "Projects.list"
  )

  const get = Effect.fn("Projects.get")(function*(projectId: string) {
    yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
    const path = yield* projectPath("GET", projectId)
    return yield* Call.executeJson(client, HttpClientRequest.get(path), ProjectModels.Project)
  })

  const create = Effect.fn("Projects.create")(function*(project: ProjectModels.CreateProject) {
    const request = yield* HttpClientRequest.post("/v1/projects").pipe(
      Call.jsonBody(ProjectModels.CreateProject, project)
    )
    return yield* Call.executeJson(client, request, ProjectModels.Project)
  })

  const update = Effect.fn("Projects.update")(function*(projectId: string, project: ProjectModels.UpdateProject) {
    yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
    const path = yield* projectPath("PUT", projectId)
    const request = yield* HttpClientRequest.put(path).pipe(Call.jsonBody(ProjectModels.UpdateProject, project))
    return yield* Call.executeOrRead(client, request, ProjectModels.Project, get(projectId))
  })

  const del = Effect.fn("Projects.delete")(function*(projectId: string) {
    yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
    const path = yield* projectPath("DELETE", projectId)
    yield* Call.executeVoid(client, HttpClientRequest.del(path))
  })

  const members = Effect.fn("Projects.members")(function*(projectId: string) {
    yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
    const path = yield* projectPath("GET", projectId)
    return yield* Call.executeJson(client, HttpClientRequest.get(`${path}/members`), ProjectModels.ProjectMembers)
  })

  const setMembers = Effect.fn("Projects.setMembers")(function*(projectId: string, userIds: ReadonlyArray<number>) {
    yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
    const path = yield* projectPath("PUT", projectId)
    const request = yield* HttpClientRequest.put(`${path}/members`).pipe(
      Call.jsonBody(ProjectModels.ProjectMembers, userIds)
    )
    yield* Call.executeVoid(client, request)
  })

  const lists = Effect.fn("Projects.lists")(function*(projectId: string) {
    yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
    const path = yield* projectPath("GET", projectId)
    return yield* Call.executeJson(client, HttpClientRequest.get(`${path}/lists`), ProjectModels.ProjectLists)
  })

  const getList = Effect.fn("Projects.getList")(function*(projectId: string, listId: string) {
    yield* Effect.annotateCurrentSpan({ "domo.project.id": projectId, "domo.list.id": listId })
    const path = yield* listPath("GET", projectId, listId)
    return yield* Call.executeJson(client, HttpClientRequest.get(path), ProjectModels.ProjectList)
  })

  const createList = Effect.fn("Projects.createList")(
    function*(projectId: string, projectList: ProjectModels.CreateProjectList) {
      yield* Effect.annotateCurrentSpan("domo.project.id", projectId)
      const path = yield* projectPath("POST", projectId)
      const request = yield* HttpClientRequest.post(`${path}/lists`).pipe(
        Call.jsonBody(ProjectModels.CreateProjectList, projectList)
      )
      return yield* Call.executeJson(client, request, ProjectModels.ProjectList)
    }
  )

  const updateList = Effect.fn("Projects.updateList")(
    function*(projectId: string, listId: string, projectList: ProjectModels.UpdateProjectList) {
      yield* Effect.annotateCurrentSpan({ "domo.project.id": projectId, "domo.list.id": listId })
      const path = yield* listPath("PUT", projectId, listId)
      const request = yield* HttpClientRequest.put(path).pipe(
        Call.jsonBody(ProjectModels.UpdateProjectList, projectList)
      )
      return yield* Call.executeOrRead(client, request, ProjectModels.ProjectList, getList(projectId, listId))
    }
  )

  const deleteList = Effect.fn("Projects.deleteList")(function*(projectId: string, listId: string) {
    yield* Effect.annotateCurrentSpan({ "domo.project.id": projectId, "domo.list.id": listId })
    const path = yield* listPath("DELETE", projectId, listId)
    yield* Call.executeVoid(client, HttpClientRequest.del(path))
  })

  const tasks = ProjectTasks.make({ client, projectPath, listPath, maxPageSize: maxTaskPageSize })

  return Projects.of({
    list,
    get,
    create,
    update,
    delete: del,
    members,
    setMembers,
    lists,
    getList,
    createList,
    updateList,
    deleteList,
    ...tasks
  })
})

/**
 * The `Projects` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Projects, never, DomoHttpClient> = Layer.effect(Projects, make)
