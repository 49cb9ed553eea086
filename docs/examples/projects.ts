import { Projects } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs/promises"

// Needs the `workflow` scope.
const program = Effect.gen(function*() {
  const projects = yield* Projects.Projects

  const launch = yield* projects.create({ name: "Q3 launch", description: "Everything for the launch" })
  yield* projects.setMembers(launch.id, [1234567, 7654321])
  const todo = yield* projects.createList(launch.id, { name: "To do", type: "TODO" })
  const doing = yield* projects.createList(launch.id, { name: "Doing", type: "WORKING_ON", index: 2 })

  const task = yield* projects.createTask(launch.id, todo.id, { taskName: "Write the release notes", priority: 1 })
  const ref = { projectId: launch.id, listId: todo.id, taskId: task.id }

  // attach a file (multipart upload), then read its metadata
  const data = yield* Effect.promise(() => Fs.readFile("notes.pdf"))
  yield* projects.addAttachment(ref, { fileName: "notes.pdf", mimeType: "application/pdf", data })
  const attachments = yield* projects.attachments(ref)
  yield* Console.log(attachments.map((a) => `${a.id} ${a.fileName}`).join("\n"))

  // move the task: the updated task is returned from its new list
  yield* projects.updateTask(ref, { projectListId: doing.id })

  // every task of the project, 50 per request (Domo's maximum), lazily
  yield* projects.tasks(launch.id).pipe(
    Stream.runForEach((t) => Console.log(`${t.id}  ${t.taskName}  in list ${t.projectListId}`))
  )
})

program.pipe(Effect.provide(Projects.layer.pipe(Layer.provide(DomoNode.layer))), NodeRuntime.runMain)
