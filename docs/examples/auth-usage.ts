import { DomoHttpClient } from "@effect-domo/client"
// the Node convenience layer lives in its own module (it needs the optional peer @effect/platform-node)
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

const DataSet = Schema.Struct({ id: Schema.String, name: Schema.String, rows: Schema.optional(Schema.Number) })

// DOMO_CLIENT_ID, DOMO_CLIENT_SECRET (and optionally DOMO_API_HOST, DOMO_SCOPES) come from the environment.
const program = Effect.gen(function*() {
  const domo = yield* DomoHttpClient.DomoHttpClient
  // any endpoint, by relative path: the token is fetched, renewed and attached for you
  const datasets = yield* domo.get("/v1/datasets", { urlParams: { limit: 5 } }).pipe(
    Effect.flatMap(DomoHttpClient.schemaBodyJson(Schema.Array(DataSet)))
  )
  for (const ds of datasets) yield* Console.log(`${ds.id}  ${ds.name}  ${ds.rows ?? 0} rows`)
}).pipe(
  Effect.catchTags({
    InvalidClientError: (e) => Console.error(`check DOMO_CLIENT_ID / DOMO_CLIENT_SECRET: ${e.message}`),
    RateLimitedError: (e) => Console.error(`throttled, retry after ${e.retryAfterMillis ?? "?"} ms`)
  })
)

program.pipe(Effect.provide(DomoNode.layer), NodeRuntime.runMain)
