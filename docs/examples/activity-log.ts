import { ActivityLog } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Needs the `audit` scope.
const program = Effect.gen(function*() {
  const log = yield* ActivityLog.ActivityLog
  const end = yield* DateTime.now
  const start = DateTime.subtract(end, { days: 7 })

  // every entry of the last week for one user, 1000 per request, in constant memory
  const deletions = yield* log.entries({ start, end, userId: 1234567 }).pipe(
    Stream.filter((entry) => entry.actionType === "DELETED"),
    Stream.tap((entry) =>
      Console.log(`${DateTime.formatIso(entry.time)}  ${entry.objectType} ${entry.objectName ?? entry.objectId}`)
    ),
    Stream.runCount
  )
  yield* Console.log(`${deletions} deletion(s) this week`)
})

program.pipe(Effect.provide(ActivityLog.layer.pipe(Layer.provide(DomoNode.layer))), NodeRuntime.runMain)
