import { describe, expect, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Projects } from "../src/Projects.js"
import { Users } from "../src/Users.js"
import { requestTotal, routeCount, testLayer, withScopes } from "./utils/families.js"

let n = 0
const unique = (prefix: string) => `${prefix} ${Date.now()} ${++n}`

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

const concat = (chunks: ReadonlyArray<Uint8Array>) => {
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

describe("Projects against the emulator", () => {
  layer(testLayer({ seed: 18 }))((it) => {
    it.effect("projects: create, get (also `me`), update, list, members, delete", () =>
      Effect.gen(function*() {
        const projects = yield* Projects
        const users = yield* Users
        const name = unique("Launch")
        const created = yield* projects.create({ name, description: "Q3 launch", public: false })
        expect(created.id).toMatch(/^\d+$/)
        expect(created).toMatchObject({ name, description: "Q3 launch" })
        expect((yield* projects.get(created.id)).name).toBe(name)
        expect((yield* projects.get("me")).id).toMatch(/^\d+$/)

        const updated = yield* projects.update(created.id, { name: `${name} v2`, dueDate: "2026-12-31T00:00:00Z" })
        expect(updated.name).toBe(`${name} v2`)
        expect((yield* projects.list).some((p) => p.id === created.id)).toBe(true)

        const member = yield* users.create({
          name: "Project member",
          email: `pm.${Date.now()}.${++n}@example.com`,
          role: "Participant"
        })
        yield* projects.setMembers(created.id, [1, member.id])
        expect([...(yield* projects.members(created.id))].sort()).toEqual([1, member.id].sort())

        yield* projects.delete(created.id)
        expect((yield* Effect.flip(projects.get(created.id)))._tag).toBe("NotFoundError")
      }))

    it.effect("lists and tasks: CRUD, task pages of at most 50, moving a task between lists", () =>
      Effect.gen(function*() {
        const projects = yield* Projects
        const project = yield* projects.create({ name: unique("Board") })
        const todo = yield* projects.createList(project.id, { name: "To do", type: "TODO" })
        const doing = yield* projects.createList(project.id, { name: "Doing", type: "WORKING_ON", index: 2 })
        expect((yield* projects.lists(project.id)).map((l) => l.id)).toEqual(
          expect.arrayContaining([todo.id, doing.id])
        )
        expect((yield* projects.getList(project.id, todo.id)).name).toBe("To do")
        const renamed = yield* projects.updateList(project.id, todo.id, { name: "Backlog" })
        expect(renamed).toMatchObject({ id: todo.id, name: "Backlog" })

        const created = []
        for (let i = 0; i < 5; i++) {
          created.push(yield* projects.createTask(project.id, todo.id, { taskName: `Task ${i}`, priority: 1 }))
        }
        expect(created[0]).toMatchObject({ taskName: "Task 0", projectId: project.id, projectListId: todo.id })

        const before = yield* routeCount("GET /v1/projects/:id/lists/:id/tasks")
        const listed = yield* collect(projects.listTasks(project.id, todo.id, { pageSize: 2 }))
        expect(listed.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort())
        expect((yield* routeCount("GET /v1/projects/:id/lists/:id/tasks")) - before).toBe(3)
        // the default page is Domo's maximum, 50: one page, confirmed by one empty page
        const beforeAll = yield* routeCount("GET /v1/projects/:id/tasks")
        expect((yield* collect(projects.tasks(project.id))).length).toBe(5)
        expect((yield* routeCount("GET /v1/projects/:id/tasks")) - beforeAll).toBe(2)

        const ref = { projectId: project.id, listId: todo.id, taskId: created[0]!.id }
        expect((yield* projects.getTask(ref)).taskName).toBe("Task 0")
        const moved = yield* projects.updateTask(ref, { taskName: "Task 0 (started)", projectListId: doing.id })
        expect(moved).toMatchObject({ id: created[0]!.id, taskName: "Task 0 (started)", projectListId: doing.id })
        expect((yield* collect(projects.listTasks(project.id, doing.id))).map((t) => t.id)).toEqual([created[0]!.id])

        yield* projects.deleteList(project.id, doing.id)
        expect((yield* Effect.flip(projects.getList(project.id, doing.id)))._tag).toBe("NotFoundError")
      }))

    it.effect("attachments: upload (multipart), metadata, download the same bytes, delete", () =>
      Effect.gen(function*() {
        const projects = yield* Projects
        const project = yield* projects.create({ name: unique("Files") })
        const list = yield* projects.createList(project.id, { name: "Inbox", type: "TODO" })
        const task = yield* projects.createTask(project.id, list.id, { taskName: "Review" })
        const ref = { projectId: project.id, listId: list.id, taskId: task.id }
        const data = new Uint8Array(70_000).map((_, i) => (i * 31) % 256)

        const attachment = yield* projects.addAttachment(ref, {
          fileName: "report.bin",
          mimeType: "application/pdf",
          data
        })
        expect(attachment).toMatchObject({ fileName: "report.bin", mimeType: "application/pdf" })
        expect((yield* projects.attachments(ref)).map((a) => a.id)).toEqual([attachment.id])
        expect((yield* projects.getTask(ref)).attachmentCount).toBe(1)

        const downloaded = concat(yield* collect(projects.downloadAttachment(ref, attachment.id)))
        expect(downloaded).toEqual(data)

        yield* projects.deleteAttachment(ref, attachment.id)
        expect(yield* projects.attachments(ref)).toEqual([])
        const gone = yield* Effect.flip(collect(projects.downloadAttachment(ref, attachment.id)))
        expect(gone._tag).toBe("NotFoundError")
      }))

    it.effect("bad input: typed errors, before sending when the client can tell", () =>
      Effect.gen(function*() {
        const projects = yield* Projects
        const before = yield* requestTotal
        expect((yield* Effect.flip(projects.get("")))._tag).toBe("BadRequestError")
        expect((yield* Effect.flip(projects.getList("1", " ")))._tag).toBe("BadRequestError")
        const ref = { projectId: "1", listId: "2", taskId: "3" }
        expect((yield* Effect.flip(projects.deleteAttachment(ref, -1)))._tag).toBe("BadRequestError")
        expect((yield* Effect.flip(projects.addAttachment(ref, { fileName: " ", data: new Uint8Array(1) })))._tag)
          .toBe("BadRequestError")
        expect((yield* Effect.flip(collect(projects.listTasks("", "1"))))._tag).toBe("BadRequestError")
        expect(yield* requestTotal).toBe(before)

        const empty = yield* Effect.flip(projects.create({ name: " " }))
        expect(empty._tag === "BadRequestError" && empty.status).toBe(400)
        expect((yield* Effect.flip(projects.get("424242")))._tag).toBe("NotFoundError")
      }))

    it.effect("a token without the workflow scope gets ForbiddenError", () =>
      Effect.gen(function*() {
        const name = unique("Forbidden")
        const errors = yield* Effect.gen(function*() {
          const projects = yield* Projects
          return [
            yield* Effect.flip(projects.list),
            yield* Effect.flip(projects.create({ name })),
            yield* Effect.flip(projects.get("me")),
            yield* Effect.flip(collect(projects.tasks("me")))
          ]
        }).pipe(withScopes(["data", "user", "dashboard", "account", "audit"]))
        for (const error of errors) expect(error._tag).toBe("ForbiddenError")
        expect((yield* (yield* Projects).list).some((p) => p.name === name)).toBe(false)
      }))
  })
})
