import { Datasets, DomoDirectory, Groups, Users } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Needs a client with the `user` scope (DOMO_CLIENT_ID / DOMO_CLIENT_SECRET from the environment).
const program = Effect.gen(function*() {
  const users = yield* Users.Users
  const directory = yield* DomoDirectory.DomoDirectory

  // sendInvite defaults to false: nobody gets an e-mail unless you ask for it
  const ada = yield* users.create(
    { name: "Ada Lovelace", email: "ada@example.com", role: "Participant", title: "Analyst" },
    { sendInvite: true }
  )
  // Domo's docs ask for the whole user on update: start from what get returns
  const current = yield* users.get(ada.id)
  yield* users.update(ada.id, { ...current, title: "Lead analyst" })

  // every user, 500 per request, fetched only as the stream is pulled
  yield* users.list().pipe(
    Stream.filter((user) => user.role === "Admin"),
    Stream.runForEach((user) => Console.log(`${user.id}  ${user.name}  ${user.email}`))
  )

  // Domo looks users up by id only; the directory finds them by e-mail in one pass
  const found = yield* directory.usersByEmail(["ADA@example.com", "nobody@example.com"])
  yield* Console.log(`found ${found.size} of 2`)

  yield* users.delete(ada.id)
}).pipe(
  Effect.catchTags({
    ForbiddenError: () => Console.error("this client lacks the `user` scope"),
    ConflictError: (e) => Console.error(`already exists: ${e.message}`)
  })
)

// Users + the directory (which also needs Groups and Datasets), over undici, configured from the environment
const UsersLive = DomoDirectory.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(Users.layer, Groups.layer, Datasets.layer)),
  Layer.provide(DomoNode.layer)
)

program.pipe(Effect.provide(UsersLive), NodeRuntime.runMain)
