import { ProjectModels } from "@effect-domo/client"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Emulator } from "../src/Emulator.js"
import { call, callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const conforms = (method: string, path: string, status: number, body: unknown) =>
  expect(validate("Projects-And-Tasks-API.yaml", method, path, status, body)).toEqual([])

const ok = <A, I>(schema: Schema.Schema<A, I>) => (r: { status: number; body: unknown }) => {
  expect(r.status).toBe(200)
  return Schema.decodeUnknownSync(schema)(r.body)
}

const upload = (path: string, fileName: string, type: string, bytes: Uint8Array) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const client = yield* HttpClient.HttpClient
    const form = new FormData()
    form.append("file", new Blob([new Uint8Array(bytes)], { type }), fileName)
    // encode the multipart body with the platform's own encoder (what SDKs send over the wire)
    const encoded = new Response(form)
    const contentType = encoded.headers.get("content-type")!
    const body = new Uint8Array(yield* Effect.promise(() => encoded.arrayBuffer()))
    const response = yield* client.execute(
      HttpClientRequest.post(new URL(path, emulator.url).toString()).pipe(
        HttpClientRequest.setHeader("authorization", `bearer ${yield* token()}`),
        HttpClientRequest.bodyUint8Array(body, contentType)
      )
    )
    return { status: response.status, body: yield* response.json }
  })

layer(testLayer({ seed: 15 }))("projects", (it) => {
  it.effect("projects: create, get, list, update, members, delete; `me`", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const created = yield* callJson("POST", "/v1/projects", {
        json: { name: "Launch", description: "Q3 launch", public: false, dueDate: "2026-12-01T00:00:00Z" }
      })
      conforms("POST", "/v1/projects", 200, created.body)
      const project = ok(ProjectModels.Project)(created)
      expect(project).toMatchObject({
        name: "Launch",
        description: "Q3 launch",
        members: [emulator.userId],
        createdBy: emulator.userId,
        public: false
      })
      expect(project.id).toMatch(/^\d+$/)
      const got = yield* callJson("GET", `/v1/projects/${project.id}`)
      conforms("GET", `/v1/projects/${project.id}`, 200, got.body)
      expect(got.body).toEqual(created.body)
      const list = yield* callJson("GET", "/v1/projects")
      conforms("GET", "/v1/projects", 200, list.body)
      expect(list.body).toContainEqual(created.body)

      const updated = ok(ProjectModels.Project)(
        yield* callJson("PUT", `/v1/projects/${project.id}`, { json: { name: "Launch 2", public: true } })
      )
      expect(updated).toMatchObject({ id: project.id, name: "Launch 2", public: true, createdBy: emulator.userId })

      const user = (yield* callJson("POST", "/v1/users", {
        json: { name: "Member", email: "member@example.com", role: "Participant" }
      })).body as { id: number }
      expect(
        (yield* callJson("PUT", `/v1/projects/${project.id}/members`, { json: [emulator.userId, user.id] })).status
      )
        .toBe(200)
      const members = yield* callJson("GET", `/v1/projects/${project.id}/members`)
      conforms("GET", `/v1/projects/${project.id}/members`, 200, members.body)
      expect(members.body).toEqual([emulator.userId, user.id])
      expect((yield* callJson("PUT", `/v1/projects/${project.id}/members`, { json: [4242] })).status).toBe(400)

      const me = ok(ProjectModels.Project)(yield* callJson("GET", "/v1/projects/me"))
      expect(me).toMatchObject({ createdBy: emulator.userId })
      expect(ok(ProjectModels.Project)(yield* callJson("GET", "/v1/projects/me")).id).toBe(me.id)
      expect((yield* callJson("DELETE", "/v1/projects/me")).status).toBe(400)

      expect((yield* callJson("DELETE", `/v1/projects/${project.id}`)).status).toBe(200)
      expect((yield* callJson("GET", `/v1/projects/${project.id}`)).status).toBe(404)
    }))

  it.effect("lists: index 1 by default and the others shift", () =>
    Effect.gen(function*() {
      const p = ok(ProjectModels.Project)(yield* callJson("POST", "/v1/projects", { json: { name: "Board" } }))
      const todo = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "To do", type: "TODO" } })
      )
      expect(todo.index).toBe(1)
      const done = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "Done", type: "COMPLETED", index: 2 } })
      )
      const doing = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "Doing", type: "WORKING_ON" } })
      )
      const lists = yield* callJson("GET", `/v1/projects/${p.id}/lists`)
      conforms("GET", `/v1/projects/${p.id}/lists`, 200, lists.body)
      expect((lists.body as Array<{ id: string; index: number }>).map((l) => [l.id, l.index])).toEqual([
        [doing.id, 1],
        [todo.id, 2],
        [done.id, 3]
      ])
      const moved = ok(ProjectModels.ProjectList)(
        yield* callJson("PUT", `/v1/projects/${p.id}/lists/${doing.id}`, { json: { name: "In progress", index: 3 } })
      )
      expect(moved).toMatchObject({ name: "In progress", type: "WORKING_ON", index: 3 })
      const got = yield* callJson("GET", `/v1/projects/${p.id}/lists/${todo.id}`)
      conforms("GET", `/v1/projects/${p.id}/lists/${todo.id}`, 200, got.body)
      expect(got.body).toEqual({ id: todo.id, name: "To do", type: "TODO", index: 1 })
      // the Java SDK pages lists (and projects, attachments) with limit/offset
      const paged = (yield* callJson("GET", `/v1/projects/${p.id}/lists?limit=1&offset=1`)).body as Array<
        { id: string }
      >
      const full = (yield* callJson("GET", `/v1/projects/${p.id}/lists`)).body as Array<{ id: string }>
      expect(paged.map((l) => l.id)).toEqual([full[1]!.id])
      const projects = (yield* callJson("GET", "/v1/projects?limit=1&offset=0")).body as Array<unknown>
      expect(projects.length).toBe(1)
      expect((yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "x", type: "LATER" } })).status)
        .toBe(400)
      expect((yield* callJson("DELETE", `/v1/projects/${p.id}/lists/${done.id}`)).status).toBe(200)
      expect(((yield* callJson("GET", `/v1/projects/${p.id}/lists`)).body as Array<unknown>).length).toBe(2)
    }))

  it.effect("tasks: create (POST and PUT), get, update, move, paging 10/50", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const p = ok(ProjectModels.Project)(yield* callJson("POST", "/v1/projects", { json: { name: "Tasks" } }))
      const l1 = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "A", type: "TODO" } })
      )
      const l2 = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "B", type: "COMPLETED", index: 2 } })
      )
      const base = `/v1/projects/${p.id}/lists/${l1.id}/tasks`
      const t1r = yield* callJson("POST", base, { json: { taskName: "First", tags: ["x"], contributors: [] } })
      conforms("PUT", base, 200, { ...(t1r.body as object), tags: [] })
      const t1 = ok(ProjectModels.Task)(t1r)
      expect(t1).toMatchObject({
        projectId: p.id,
        projectListId: l1.id,
        taskName: "First",
        priority: 1,
        createdBy: emulator.userId,
        ownedBy: emulator.userId,
        attachmentCount: 0,
        archived: false,
        tags: ["x"]
      })
      // the docs' PUT creates too; no priority ⇒ 1, the others shift
      const t2 = ok(ProjectModels.Task)(yield* callJson("PUT", base, { json: { taskName: "Second" } }))
      expect(t2.priority).toBe(1)
      expect(ok(ProjectModels.Task)(yield* callJson("GET", `${base}/${t1.id}`)).priority).toBe(2)

      const t3 = ok(ProjectModels.Task)(yield* callJson("POST", base, { json: { taskName: "Third", priority: 9 } }))
      expect(t3.priority).toBe(3)

      const updated = ok(ProjectModels.Task)(
        yield* callJson("PUT", `${base}/${t1.id}`, { json: { taskName: "First!", archived: true, priority: 1 } })
      )
      expect(updated).toMatchObject({ taskName: "First!", archived: true, priority: 1 })
      const got = yield* callJson("GET", `${base}/${t1.id}`)
      conforms("GET", `${base}/${t1.id}`, 200, { ...(got.body as object), tags: [] })

      // moving to another list
      const moved = ok(ProjectModels.Task)(
        yield* callJson("PUT", `${base}/${t3.id}`, { json: { projectListId: l2.id } })
      )
      expect(moved).toMatchObject({ projectListId: l2.id, priority: 1 })
      expect((yield* callJson("GET", `${base}/${t3.id}`)).status).toBe(404)

      const listTasks = yield* callJson("GET", `${base}?offset=0&limit=50`)
      expect((listTasks.body as Array<{ id: string }>).map((t) => t.id)).toEqual([t1.id, t2.id])
      const all = yield* callJson("GET", `/v1/projects/${p.id}/tasks`)
      expect((all.body as Array<{ id: string }>).map((t) => t.id)).toEqual([t1.id, t2.id, t3.id])

      for (let i = 0; i < 11; i++) yield* callJson("POST", base, { json: { taskName: `bulk ${i}` } })
      expect(((yield* callJson("GET", base)).body as Array<unknown>).length).toBe(10)
      expect(((yield* callJson("GET", `${base}?limit=50&offset=10`)).body as Array<unknown>).length).toBe(3)
      expect((yield* callJson("GET", `${base}?limit=51`)).status).toBe(400)
      expect((yield* callJson("POST", base, { json: { description: "no name" } })).status).toBe(400)
    }))

  it.effect("attachments: multipart upload, metadata, bytes back, delete on both paths", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const p = ok(ProjectModels.Project)(yield* callJson("POST", "/v1/projects", { json: { name: "Files" } }))
      const l = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { name: "A", type: "TODO" } })
      )
      const t = ok(ProjectModels.Task)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists/${l.id}/tasks`, { json: { taskName: "With files" } })
      )
      const base = `/v1/projects/${p.id}/lists/${l.id}/tasks/${t.id}/attachments`
      const bytes = new Uint8Array([0, 1, 2, 250, 255, 10, 13])
      const up = yield* upload(base, "data.bin", "application/octet-stream", bytes)
      conforms("POST", base, 200, up.body)
      const a = ok(ProjectModels.Attachment)(up)
      expect(a).toMatchObject({
        taskId: Number(t.id),
        createdBy: emulator.userId,
        fileName: "data.bin",
        mimeType: "application/octet-stream"
      })
      const second = ok(ProjectModels.Attachment)(
        yield* upload(base, "notes.txt", "text/plain", new TextEncoder().encode("hi"))
      )
      const list = yield* callJson("GET", base)
      conforms("GET", base, 200, list.body)
      expect((list.body as Array<{ id: number }>).map((x) => x.id)).toEqual([a.id, second.id])
      expect(ok(ProjectModels.Task)(yield* callJson("GET", `/v1/projects/${p.id}/lists/${l.id}/tasks/${t.id}`)))
        .toMatchObject({ attachmentCount: 2 })

      const download = yield* call("GET", `${base}/${a.id}`)
      expect(download.status).toBe(200)
      expect(new Uint8Array(yield* download.arrayBuffer)).toEqual(bytes)
      expect(download.headers["content-disposition"]).toContain("data.bin")

      expect((yield* callJson("DELETE", `/v1/project/${p.id}/tasks/${t.id}/attachments/${a.id}`)).status).toBe(200)
      expect((yield* callJson("DELETE", `/v1/projects/${p.id}/tasks/${t.id}/attachments/${second.id}`)).status).toBe(
        200
      )
      expect((yield* callJson("GET", base)).body).toEqual([])
      expect((yield* callJson("GET", `${base}/${a.id}`)).status).toBe(404)
      // not multipart, or no `file` field: 400
      expect((yield* callJson("POST", base, { json: { file: "x" } })).status).toBe(400)
    }))

  it.effect("bodies with every unset field as null (as Domo's Rust SDK sends them) are accepted", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const p = ok(ProjectModels.Project)(
        yield* callJson("POST", "/v1/projects", {
          json: {
            id: null,
            name: "Rusty",
            description: null,
            createdBy: null,
            createdDate: null,
            dueDate: null,
            public: true,
            members: [emulator.userId]
          }
        })
      )
      const l = ok(ProjectModels.ProjectList)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists`, { json: { id: null, name: "L", type: "TODO", index: 0 } })
      )
      expect(l.index).toBe(1)
      const t = ok(ProjectModels.Task)(
        yield* callJson("POST", `/v1/projects/${p.id}/lists/${l.id}/tasks`, {
          json: {
            id: null,
            projectId: null,
            projectListId: null,
            taskName: "T",
            description: null,
            createdDate: null,
            dueDate: null,
            priority: null,
            createdBy: null,
            ownedBy: emulator.userId,
            contributors: [],
            attachmentCount: null,
            tags: ["A", "B"],
            archived: false
          }
        })
      )
      expect(t).toMatchObject({ taskName: "T", priority: 1, tags: ["A", "B"], projectListId: l.id })
      // the Rust SDK also deletes tasks (not in Domo's docs)
      expect((yield* callJson("DELETE", `/v1/projects/${p.id}/lists/${l.id}/tasks/${t.id}`)).status).toBe(200)
      expect((yield* callJson("GET", `/v1/projects/${p.id}/lists/${l.id}/tasks/${t.id}`)).status).toBe(404)
    }))

  it.effect("scope: a token without `workflow` gets Domo's 403", () =>
    Effect.gen(function*() {
      const t = yield* token("data user dashboard account audit")
      for (
        const [method, path] of [
          ["GET", "/v1/projects"],
          ["POST", "/v1/projects"],
          ["GET", "/v1/projects/me"],
          ["PUT", "/v1/projects/1"],
          ["DELETE", "/v1/projects/1"],
          ["GET", "/v1/projects/1/members"],
          ["PUT", "/v1/projects/1/members"],
          ["GET", "/v1/projects/1/lists"],
          ["POST", "/v1/projects/1/lists"],
          ["GET", "/v1/projects/1/tasks"],
          ["POST", "/v1/projects/1/lists/2/tasks"],
          ["GET", "/v1/projects/1/lists/2/tasks/3/attachments"],
          ["DELETE", "/v1/project/1/tasks/3/attachments/4"]
        ] as const
      ) {
        expect((yield* callJson(method, path, { token: t })).status).toBe(403)
      }
    }))
})
