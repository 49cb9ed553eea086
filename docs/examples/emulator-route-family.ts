import { Activity, Auth, DomoError, RouteFamily } from "@effect-domo/emulator"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

// src/routes/widgets.ts: one file per API family.
const Widget = Schema.Struct({ name: Schema.String })

const create = Effect.gen(function*() {
  // 401/406 for a bad token, 403 without the scope: answered by requireScope.
  const principal = yield* Auth.requireScope("dashboard")
  // Malformed JSON or a body that does not match: a Domo 400.
  const body = yield* RouteFamily.jsonBody(Widget)
  const sql = yield* RouteFamily.Sql
  const rows = yield* sql<{ id: number }>`INSERT INTO widgets (name) VALUES (${body.name}) RETURNING id`
  const id = rows[0]!.id
  yield* Activity.record(principal, { actionType: "CREATED", objectType: "WIDGET", objectId: String(id) })
  return HttpServerResponse.unsafeJson({ id, name: body.name }, { status: 201 })
})

const get = Effect.gen(function*() {
  yield* Auth.requireScope("dashboard")
  const params = yield* HttpRouter.params
  const id = yield* RouteFamily.param(params, "id")
  const sql = yield* RouteFamily.Sql
  const rows = yield* sql<{ id: number; name: string }>`SELECT id, name FROM widgets WHERE id = ${id}`
  if (rows.length === 0) return yield* DomoError.notFound(`Widget ${id} not found`)
  return HttpServerResponse.unsafeJson(rows[0])
})

export const family = RouteFamily.make({
  name: "widgets",
  // runs on every start, also on an existing data file: keep it idempotent
  migrate: Effect.flatMap(
    RouteFamily.Sql,
    (sql) => Effect.asVoid(sql`CREATE TABLE IF NOT EXISTS widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
  ),
  router: HttpRouter.empty.pipe(
    HttpRouter.post("/v1/widgets", create),
    HttpRouter.get("/v1/widgets/:id", get)
  )
})
