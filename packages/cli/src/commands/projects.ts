/**
 * `domo projects …`: projects, their members and lists, tasks and task attachments (the
 * Projects and Tasks API, scope `workflow`). Attachments download streamed to a file or stdout.
 *
 * @since 0.1.0
 */
import { Projects } from "@effect-domo/client"
import type { ProjectModels } from "@effect-domo/client"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Path from "node:path"
import * as Connection from "../Connection.js"
import * as Fields from "../internal/fields.js"
import * as Io from "../internal/io.js"
import * as Output from "../Output.js"

const json = Output.json
const projectId = Args.text({ name: "project-id" }).pipe(Args.withDescription("the project id (`me`: your own)"))
const listId = Args.text({ name: "list-id" }).pipe(Args.withDescription("the list id"))
const taskId = Args.text({ name: "task-id" }).pipe(Args.withDescription("the task id"))
const taskRef = { projectId, listId, taskId }
const limit = Options.integer("limit").pipe(Options.withDescription("at most this many"), Options.optional)
const listType = Options.choice("type", ["TODO", "WORKING_ON", "COMPLETED"] as const)
const index = Options.integer("index").pipe(Options.withDescription("its position (1 = first)"), Options.optional)

const projectRow = (p: ProjectModels.Project) => ({
  id: p.id,
  name: p.name,
  public: p.public,
  members: p.members?.length,
  due: p.dueDate ?? ""
})
const taskRow = (t: ProjectModels.Task) => ({
  id: t.id,
  list: t.projectListId,
  name: t.taskName,
  priority: t.priority,
  owner: t.ownedBy,
  due: t.dueDate ?? "",
  archived: t.archived
})

const deleted = (what: string, id: string, json: boolean) =>
  Output.print(json, { deleted: id }, () => `deleted ${what} ${id}`)

const projectFields = {
  description: Fields.optionalText("description", "what the project is for"),
  dueDate: Fields.optionalText("due-date", "ISO date, e.g. 2026-12-31")
}

const projectCommands = [
  Command.make(
    "list",
    { json },
    (args) =>
      Effect.flatMap(Projects.Projects, (s) => s.list).pipe(
        Effect.flatMap((xs) => Output.print(args.json, xs, (ps) => Output.table(ps.map(projectRow)))),
        Connection.provide
      )
  ).pipe(Command.withDescription("List the projects you can see.")),
  Command.make(
    "get",
    { json, id: projectId },
    (args) =>
      Effect.flatMap(Projects.Projects, (s) => s.get(args.id)).pipe(
        Effect.flatMap((p) => Output.print(args.json, p, Output.record)),
        Connection.provide
      )
  ).pipe(Command.withDescription("Show one project.")),
  Command.make(
    "create",
    {
      json,
      name: Options.text("name"),
      ...projectFields,
      public: Options.boolean("public").pipe(Options.withDescription("everyone can see it")),
      members: Fields.idListOption("members", "its members' user ids")
    },
    (args) =>
      Effect.gen(function*() {
        const members = yield* Fields.parseIds("members", args.members)
        const project = yield* (yield* Projects.Projects).create({
          name: args.name,
          description: Fields.opt(args.description),
          dueDate: Fields.opt(args.dueDate),
          public: args.public,
          members
        })
        yield* Output.print(args.json, project, (p) => `created project ${p.id}\n${Output.record(p)}`)
      }).pipe(Connection.provide)
  ).pipe(Command.withDescription("Create a project.")),
  Command.make(
    "update",
    {
      json,
      id: projectId,
      name: Fields.optionalText("name", "the new name"),
      ...projectFields,
      public: Fields.optionalFlag("public", "everyone can see it")
    },
    (args) =>
      Effect.gen(function*() {
        const changes = yield* Fields.requireSome("projects update", {
          name: Fields.opt(args.name),
          description: Fields.opt(args.description),
          dueDate: Fields.opt(args.dueDate),
          public: Fields.opt(args.public)
        })
        const project = yield* (yield* Projects.Projects).update(args.id, changes)
        yield* Output.print(args.json, project, Output.record)
      }).pipe(Connection.provide)
  ).pipe(Command.withDescription("Update a project: only the fields given change.")),
  Command.make(
    "delete",
    { json, id: projectId },
    (args) =>
      Effect.flatMap(Projects.Projects, (s) => s.delete(args.id)).pipe(
        Effect.zipRight(deleted("project", args.id, args.json)),
        Connection.provide
      )
  ).pipe(Command.withDescription("Delete a project."))
] as const

const members = Command.make("members").pipe(
  Command.withDescription("A project's members: list, set."),
  Command.withSubcommands([
    Command.make(
      "list",
      { json, id: projectId },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.members(args.id)).pipe(
          Effect.flatMap((ids) => Output.print(args.json, ids, (xs) => Output.table(xs.map((userId) => ({ userId }))))),
          Connection.provide
        )
    ).pipe(Command.withDescription("List the user ids of a project's members.")),
    Command.make(
      "set",
      {
        json,
        id: projectId,
        users: Args.integer({ name: "user-id" }).pipe(Args.withDescription("the members, all of them"), Args.repeated)
      },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.setMembers(args.id, args.users)).pipe(
          Effect.zipRight(
            Output.print(
              args.json,
              { project: args.id, members: args.users },
              () => `project ${args.id} members: ${args.users.join(", ")}`
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("Replace a project's members with the users given."))
  ])
)

const lists = Command.make("lists").pipe(
  Command.withDescription("A project's lists (columns of tasks): list, get, create, update, delete."),
  Command.withSubcommands([
    Command.make(
      "list",
      { json, id: projectId },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.lists(args.id)).pipe(
          Effect.flatMap((xs) =>
            Output.print(args.json, xs, (ls) => Output.table(ls, ["id", "name", "type", "index"]))
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List a project's lists.")),
    Command.make(
      "get",
      { json, id: projectId, list: listId },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.getList(args.id, args.list)).pipe(
          Effect.flatMap((l) => Output.print(args.json, l, Output.record)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show one list.")),
    Command.make(
      "create",
      { json, id: projectId, name: Options.text("name"), type: listType.pipe(Options.withDefault("TODO")), index },
      (args) =>
        Effect.flatMap(
          Projects.Projects,
          (s) => s.createList(args.id, { name: args.name, type: args.type, index: Fields.opt(args.index) })
        ).pipe(
          Effect.flatMap((l) => Output.print(args.json, l, (x) => `created list ${x.id}\n${Output.record(x)}`)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Create a list (first, unless --index).")),
    Command.make(
      "update",
      {
        json,
        id: projectId,
        list: listId,
        name: Fields.optionalText("name", "the new name"),
        type: listType.pipe(Options.optional),
        index
      },
      (args) =>
        Effect.gen(function*() {
          const changes = yield* Fields.requireSome("projects lists update", {
            name: Fields.opt(args.name),
            type: Fields.opt(args.type),
            index: Fields.opt(args.index)
          })
          const list = yield* (yield* Projects.Projects).updateList(args.id, args.list, changes)
          yield* Output.print(args.json, list, Output.record)
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("Update a list: only the fields given change.")),
    Command.make(
      "delete",
      { json, id: projectId, list: listId },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.deleteList(args.id, args.list)).pipe(
          Effect.zipRight(deleted("list", args.list, args.json)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Delete a list and its tasks."))
  ])
)

const taskFields = {
  description: Fields.optionalText("description", "the task's details"),
  dueDate: Fields.optionalText("due-date", "ISO date"),
  priority: Options.integer("priority").pipe(
    Options.withDescription("its position in the list (1 = top)"),
    Options.optional
  ),
  owner: Options.integer("owner").pipe(Options.withDescription("the user who owns it"), Options.optional),
  contributors: Fields.idListOption("contributors", "user ids"),
  tags: Options.text("tags").pipe(Options.withDescription("comma-separated tags"), Options.optional)
}

const tagsOf = (tags: Option.Option<string>) =>
  Option.getOrUndefined(Option.map(tags, (t) => t.split(",").map((s) => s.trim()).filter((s) => s !== "")))

const tasks = Command.make("tasks").pipe(
  Command.withDescription("A project's tasks: list, get, create, update."),
  Command.withSubcommands([
    Command.make(
      "list",
      {
        json,
        id: projectId,
        list: Options.text("list").pipe(Options.withDescription("only this list's tasks"), Options.optional),
        limit
      },
      (args) =>
        Effect.gen(function*() {
          const s = yield* Projects.Projects
          const all = Option.match(args.list, {
            onNone: () => s.tasks(args.id),
            onSome: (list) => s.listTasks(args.id, list)
          })
          const chunk = yield* Stream.runCollect(
            Option.match(args.limit, { onNone: () => all, onSome: (n) => Stream.take(all, n) })
          )
          yield* Output.print(args.json, Chunk.toReadonlyArray(chunk), (ts) => Output.table(ts.map(taskRow)))
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("List a project's tasks (or one list's, with --list).")),
    Command.make(
      "get",
      { json, ...taskRef },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.getTask(args)).pipe(
          Effect.flatMap((t) => Output.print(args.json, t, Output.record)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show one task.")),
    Command.make(
      "create",
      { json, id: projectId, list: listId, name: Options.text("name"), ...taskFields },
      (args) =>
        Effect.gen(function*() {
          const contributors = yield* Fields.parseIds("contributors", args.contributors)
          const task = yield* (yield* Projects.Projects).createTask(args.id, args.list, {
            taskName: args.name,
            description: Fields.opt(args.description),
            dueDate: Fields.opt(args.dueDate),
            priority: Fields.opt(args.priority),
            ownedBy: Fields.opt(args.owner),
            contributors,
            tags: tagsOf(args.tags)
          })
          yield* Output.print(args.json, task, (t) => `created task ${t.id}\n${Output.record(t)}`)
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("Create a task on a list.")),
    Command.make(
      "update",
      {
        json,
        ...taskRef,
        name: Fields.optionalText("name", "the new name"),
        ...taskFields,
        archived: Fields.optionalFlag("archived", "archive it (or bring it back)"),
        moveTo: Fields.optionalText("move-to-list", "move it to this list")
      },
      (args) =>
        Effect.gen(function*() {
          const changes = yield* Fields.requireSome("projects tasks update", {
            taskName: Fields.opt(args.name),
            description: Fields.opt(args.description),
            dueDate: Fields.opt(args.dueDate),
            priority: Fields.opt(args.priority),
            ownedBy: Fields.opt(args.owner),
            contributors: yield* Fields.parseIds("contributors", args.contributors),
            tags: tagsOf(args.tags),
            archived: Fields.opt(args.archived),
            projectListId: Fields.opt(args.moveTo)
          })
          const task = yield* (yield* Projects.Projects).updateTask(args, changes)
          yield* Output.print(args.json, task, Output.record)
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("Update a task: only the fields given change; --move-to-list moves it."))
  ])
)

const attachmentId = Args.integer({ name: "attachment-id" }).pipe(Args.withDescription("the attachment id"))

const attachments = Command.make("attachments").pipe(
  Command.withDescription("A task's attachments: list, download, upload."),
  Command.withSubcommands([
    Command.make(
      "list",
      { json, ...taskRef },
      (args) =>
        Effect.flatMap(Projects.Projects, (s) => s.attachments(args)).pipe(
          Effect.flatMap((xs) =>
            Output.print(args.json, xs, (as) => Output.table(as, ["id", "fileName", "mimeType", "createdDate"]))
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List a task's attachments.")),
    Command.make(
      "download",
      {
        ...taskRef,
        attachment: attachmentId,
        output: Options.file("output").pipe(
          Options.withAlias("o"),
          Options.withDescription("write to this file (default: stdout)"),
          Options.optional
        )
      },
      (args) =>
        Effect.flatMap(
          Projects.Projects,
          (s) => Stream.run(s.downloadAttachment(args, args.attachment), Io.output(args.output))
        ).pipe(Connection.provide)
    ).pipe(Command.withDescription("Download an attachment's bytes to a file or stdout, streamed.")),
    Command.make(
      "upload",
      {
        json,
        ...taskRef,
        file: Args.file({ name: "file", exists: "either" }).pipe(Args.withDescription("the file to attach")),
        name: Fields.optionalText("name", "its file name in Domo (default: the file's)"),
        mimeType: Options.text("mime-type").pipe(
          Options.withDescription("its content type (default application/octet-stream)"),
          Options.optional
        )
      },
      (args) =>
        Effect.gen(function*() {
          const source = yield* Io.input(Option.some(args.file))
          // the client's upload takes the whole file (one multipart body): read it once, in chunks
          const chunks = yield* Stream.runCollect(source.bytes)
          const data = new Uint8Array(Chunk.reduce(chunks, 0, (n, c) => n + c.length))
          let at = 0
          for (const c of chunks) {
            data.set(c, at)
            at += c.length
          }
          const attachment = yield* (yield* Projects.Projects).addAttachment(args, {
            fileName: Option.getOrElse(args.name, () => Path.basename(args.file)),
            mimeType: Fields.opt(args.mimeType),
            data
          })
          yield* Output.print(args.json, attachment, (a) => `uploaded attachment ${a.id}\n${Output.record(a)}`)
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("Attach a file to a task."))
  ])
)

/**
 * `domo projects …`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("projects").pipe(
  Command.withDescription("Projects and tasks: projects, members, lists, tasks, attachments."),
  Command.withSubcommands([...projectCommands, members, lists, tasks, attachments])
)
