/**
 * Wire schemas of Domo's Projects and Tasks API (`/v1/projects`, scope `workflow`): projects,
 * members, lists, tasks and attachments, shared by the client's `Projects` service and the
 * emulator.
 *
 * Decoding is lenient: project, list and task ids are digit strings (numbers accepted),
 * attachment ids integers (digit strings accepted); task `tags` are strings in the SDKs and
 * objects in the OpenAPI file, both decode.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { IntId, optional, StringId } from "./internal/wireIds.js"

/**
 * A project, list or task id: a digit string. `me` names the caller's personal project.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectId = StringId

/**
 * A project.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Project = Schema.Struct({
  id: ProjectId,
  name: optional(Schema.String),
  description: optional(Schema.NullOr(Schema.String)),
  members: optional(Schema.Array(IntId)),
  createdBy: optional(IntId),
  createdDate: optional(Schema.String),
  dueDate: optional(Schema.NullOr(Schema.String)),
  public: optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Project = typeof Project.Type

/**
 * The response of `GET /v1/projects`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Projects = Schema.Array(Project)

/**
 * The body of `POST /v1/projects`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateProject = Schema.Struct({
  name: Schema.String,
  members: optional(Schema.Array(IntId)),
  public: optional(Schema.Boolean),
  description: optional(Schema.String),
  dueDate: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateProject = typeof CreateProject.Type

/**
 * The body of `PUT /v1/projects/{id}` (`id`, `members`, `createdBy`, `createdDate` are
 * read-only and ignored).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateProject = Schema.Struct({
  name: optional(Schema.String),
  public: optional(Schema.Boolean),
  description: optional(Schema.String),
  dueDate: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateProject = typeof UpdateProject.Type

/**
 * The members of a project (`GET|PUT /v1/projects/{id}/members`): user ids.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectMembers = Schema.Array(IntId)

/**
 * The kind of a project list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectListType = Schema.Literal("TODO", "WORKING_ON", "COMPLETED")

/**
 * @since 0.1.0
 * @category models
 */
export type ProjectListType = typeof ProjectListType.Type

/**
 * A list (column) of a project. `index` is 1-based.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectList = Schema.Struct({
  id: ProjectId,
  name: optional(Schema.String),
  type: optional(Schema.String),
  index: optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ProjectList = typeof ProjectList.Type

/**
 * The response of `GET /v1/projects/{id}/lists`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectLists = Schema.Array(ProjectList)

/**
 * The body of `POST /v1/projects/{id}/lists`: an omitted `index` means 1 (others shift).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateProjectList = Schema.Struct({
  name: Schema.String,
  type: ProjectListType,
  index: optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateProjectList = typeof CreateProjectList.Type

/**
 * The body of `PUT /v1/projects/{id}/lists/{listId}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateProjectList = Schema.Struct({
  name: optional(Schema.String),
  type: optional(ProjectListType),
  index: optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateProjectList = typeof UpdateProjectList.Type

/**
 * A task tag: a string in the SDKs, an object in Domo's OpenAPI file.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TaskTag = Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * A task.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Task = Schema.Struct({
  id: ProjectId,
  projectId: optional(ProjectId),
  projectListId: optional(ProjectId),
  taskName: optional(Schema.String),
  description: optional(Schema.NullOr(Schema.String)),
  createdDate: optional(Schema.String),
  updatedDate: optional(Schema.String),
  dueDate: optional(Schema.NullOr(Schema.String)),
  priority: optional(Schema.Int),
  createdBy: optional(IntId),
  ownedBy: optional(IntId),
  contributors: optional(Schema.Array(IntId)),
  attachmentCount: optional(Schema.Int),
  tags: optional(Schema.Array(TaskTag)),
  archived: optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Task = typeof Task.Type

/**
 * A page of tasks (`…/tasks?offset=&limit=`; limit default 10, max 50).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Tasks = Schema.Array(Task)

/**
 * The body creating a task (`POST`, as the SDKs send, or `PUT`, as the docs say,
 * `/v1/projects/{id}/lists/{listId}/tasks`): an omitted `priority` means 1 (others shift).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateTask = Schema.Struct({
  taskName: Schema.String,
  description: optional(Schema.String),
  dueDate: optional(Schema.String),
  priority: optional(Schema.Int),
  ownedBy: optional(IntId),
  contributors: optional(Schema.Array(IntId)),
  tags: optional(Schema.Array(TaskTag)),
  projectId: optional(ProjectId),
  projectListId: optional(ProjectId)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateTask = typeof CreateTask.Type

/**
 * The body of `PUT /v1/projects/{id}/lists/{listId}/tasks/{taskId}`. A different
 * `projectListId` moves the task.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateTask = Schema.Struct({
  taskName: optional(Schema.String),
  description: optional(Schema.String),
  dueDate: optional(Schema.String),
  priority: optional(Schema.Int),
  ownedBy: optional(IntId),
  contributors: optional(Schema.Array(IntId)),
  tags: optional(Schema.Array(TaskTag)),
  archived: optional(Schema.Boolean),
  projectId: optional(ProjectId),
  projectListId: optional(ProjectId),
  id: optional(ProjectId)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateTask = typeof UpdateTask.Type

/**
 * The metadata of a task attachment (its bytes are `GET …/attachments/{id}`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Attachment = Schema.Struct({
  id: IntId,
  taskId: optional(IntId),
  createdDate: optional(Schema.String),
  createdBy: optional(IntId),
  fileName: optional(Schema.String),
  mimeType: optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Attachment = typeof Attachment.Type

/**
 * The response of `GET …/tasks/{taskId}/attachments`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Attachments = Schema.Array(Attachment)
