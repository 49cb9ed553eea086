/**
 * The task and attachment half of the `Projects` service.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Stream from "effect/Stream"
import * as DomoError from "../DomoError.js"
import * as ProjectModels from "../ProjectModels.js"
import type { ListOptions, NewAttachment, TaskRef } from "../Projects.js"
import * as Call from "./call.js"
import * as Paging from "./paging.js"

const quote = (value: string) => value.replace(/["\\\r\n]/g, (c) => encodeURIComponent(c))

/**
 * A `multipart/form-data` body with one field, `file`, built by hand: the same bytes on every
 * transport (undici 7 cannot send Node 20's global `FormData` blobs), and replayable.
 *
 * @internal
 */
export const multipart = (boundary: string, file: NewAttachment): Uint8Array => {
  const encoder = new TextEncoder()
  const head = encoder.encode(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="${quote(file.fileName)}"\r\n` +
      `Content-Type: ${file.mimeType ?? "application/octet-stream"}\r\n\r\n`
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const body = new Uint8Array(head.length + file.data.length + tail.length)
  body.set(head, 0)
  body.set(file.data, head.length)
  body.set(tail, head.length + file.data.length)
  return body
}

/** @internal */
export interface Options {
  readonly client: Call.Client
  readonly projectPath: (method: string, projectId: string) => Effect.Effect<string, DomoError.BadRequestError>
  readonly listPath: (
    method: string,
    projectId: string,
    listId: string
  ) => Effect.Effect<string, DomoError.BadRequestError>
  readonly maxPageSize: number
}

/** @internal */
export const make = ({ client, listPath, maxPageSize, projectPath }: Options) => {
  const taskPath = (method: string, task: TaskRef) =>
    Effect.zipWith(
      listPath(method, task.projectId, task.listId),
      Call.stringId(method, "/v1/projects", "task id", task.taskId),
      (l, t) => `${l}/tasks/${t}`
    )
  const annotate = (task: TaskRef) =>
    Effect.annotateCurrentSpan({
      "domo.project.id": task.projectId,
      "domo.list.id": task.listId,
      "domo.task.id": task.taskId
    })

  const paged = (path: Effect.Effect<string, DomoError.BadRequestError>, options?: ListOptions) =>
    Stream.unwrap(Effect.map(path, (p) =>
      Paging.offsetPaged(
        { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
        (page) =>
          Call.executeJson(
            client,
            HttpClientRequest.get(p, { urlParams: Paging.pageParams(page) }),
            ProjectModels.Tasks
          )
      )))

  const tasks = (projectId: string, options?: ListOptions) =>
    paged(Effect.map(projectPath("GET", projectId), (p) => `${p}/tasks`), options).pipe(
      Stream.withSpan("Projects.tasks", { attributes: { "domo.project.id": projectId } })
    )

  const listTasks = (
    projectId: string,
    listId: string,
    options?: ListOptions
  ) =>
    paged(Effect.map(listPath("GET", projectId, listId), (p) => `${p}/tasks`), options).pipe(
      Stream.withSpan("Projects.listTasks", { attributes: { "domo.project.id": projectId, "domo.list.id": listId } })
    )

  const getTask = Effect.fn("Projects.getTask")(function*(task: TaskRef) {
    yield* annotate(task)
    const path = yield* taskPath("GET", task)
    return yield* Call.executeJson(client, HttpClientRequest.get(path), ProjectModels.Task)
  })

  const createTask = Effect.fn("Projects.createTask")(
    function*(projectId: string, listId: string, task: ProjectModels.CreateTask) {
      yield* Effect.annotateCurrentSpan({ "domo.project.id": projectId, "domo.list.id": listId })
      const path = yield* listPath("POST", projectId, listId)
      const request = yield* HttpClientRequest.post(`${path}/tasks`).pipe(
        Call.jsonBody(ProjectModels.CreateTask, task)
      )
      return yield* Call.executeJson(client, request, ProjectModels.Task)
    }
  )

  const updateTask = Effect.fn("Projects.updateTask")(function*(task: TaskRef, changes: ProjectModels.UpdateTask) {
    yield* annotate(task)
    const path = yield* taskPath("PUT", task)
    const request = yield* HttpClientRequest.put(path).pipe(Call.jsonBody(ProjectModels.UpdateTask, changes))
    // a task moved to another list lives under the new list's path
    const readBack = getTask({ ...task, listId: changes.projectListId ?? task.listId })
    return yield* Call.executeOrRead(client, request, ProjectModels.Task, readBack)
  })

  const attachments = Effect.fn("Projects.attachments")(function*(task: TaskRef) {
    yield* annotate(task)
    const path = yield* taskPath("GET", task)
    return yield* Call.executeJson(client, HttpClientRequest.get(`${path}/attachments`), ProjectModels.Attachments)
  })

  const addAttachment = Effect.fn("Projects.addAttachment")(function*(task: TaskRef, file: NewAttachment) {
    yield* annotate(task)
    const path = yield* taskPath("POST", task)
    if (file.fileName.trim() === "") {
      return yield* Call.invalidInput("POST", `${path}/attachments`, "fileName must not be empty")
    }
    if (file.mimeType !== undefined && /[\r\n]/.test(file.mimeType)) {
      return yield* Call.invalidInput("POST", `${path}/attachments`, "mimeType must be a single line")
    }
    const boundary = `----effect-domo-${(yield* Random.nextInt).toString(16)}${(yield* Random.nextInt).toString(16)}`
    const body = multipart(boundary, file)
    const request = HttpClientRequest.post(`${path}/attachments`).pipe(
      HttpClientRequest.bodyUint8Array(body, `multipart/form-data; boundary=${boundary}`)
    )
    return yield* Call.executeJson(client, request, ProjectModels.Attachment)
  })

  const downloadAttachment = (task: TaskRef, attachmentId: number) =>
    Stream.unwrap(Effect.gen(function*() {
      const path = yield* taskPath("GET", task)
      const aid = yield* Call.intId("GET", `${path}/attachments/{id}`, "attachment id", attachmentId)
      const full = `${path}/attachments/${aid}`
      const response = yield* client.execute(HttpClientRequest.get(full))
      return Stream.mapError(
        response.stream,
        () => new DomoError.TransportError({ method: "GET", path: full, sent: true })
      )
    })).pipe(Stream.withSpan("Projects.downloadAttachment", { attributes: { "domo.attachment.id": attachmentId } }))

  const deleteAttachment = Effect.fn("Projects.deleteAttachment")(function*(task: TaskRef, attachmentId: number) {
    yield* annotate(task)
    const project = yield* projectPath("DELETE", task.projectId)
    const tid = yield* Call.stringId("DELETE", "/v1/projects", "task id", task.taskId)
    const aid = yield* Call.intId("DELETE", `${project}/tasks/{id}/attachments`, "attachment id", attachmentId)
    // Domo's Java SDK path (its docs write a singular `/v1/project/…`)
    yield* Call.executeVoid(client, HttpClientRequest.del(`${project}/tasks/${tid}/attachments/${aid}`))
  })

  return {
    tasks,
    listTasks,
    getTask,
    createTask,
    updateTask,
    attachments,
    addAttachment,
    downloadAttachment,
    deleteAttachment
  }
}
