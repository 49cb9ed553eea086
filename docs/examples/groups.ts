import { Datasets, DomoDirectory, Groups, Users } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Needs the `user` scope; giving a PDP policy also needs `data`.
const program = Effect.gen(function*() {
  const groups = yield* Groups.Groups
  const directory = yield* DomoDirectory.DomoDirectory

  const sales = yield* groups.create({ name: "Sales West" })
  const ada = yield* directory.userByEmail("ada@example.com")
  yield* groups.addMember(sales.id, ada.id)

  // member ids, 500 per request, lazily
  const members = yield* Stream.runCollect(groups.members(sales.id))
  yield* Console.log(`${sales.name}: ${members.length} member(s)`)

  // give the DataSet's "West rows" policy to the group, creating the policy if it is missing
  const policy = yield* directory.grantPolicy({
    datasetId: "5e1b6c1e-0000-4000-8000-000000000000",
    groupName: "Sales West",
    policyName: "West rows",
    filters: [{ column: "Region", operator: "EQUALS", values: ["West"], not: false }]
  })
  yield* Console.log(`policy ${policy.id} now covers groups ${policy.groups.join(", ")}`)

  yield* groups.removeMember(sales.id, ada.id)
}).pipe(
  Effect.catchTags({
    NameNotFoundError: (e) => Console.error(e.message),
    AmbiguousNameError: (e) => Console.error(e.message)
  })
)

const GroupsLive = DomoDirectory.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(Users.layer, Groups.layer, Datasets.layer)),
  Layer.provide(DomoNode.layer)
)

program.pipe(Effect.provide(GroupsLive), NodeRuntime.runMain)
