/**
 * The admin routes under `/__emulator/` (a prefix no Domo route uses): faults, the request log,
 * clients and tokens. They need no token and are never faulted or logged.
 *
 * | method + path | body | answer |
 * |---|---|---|
 * | `GET /__emulator/health` | | `{ ok: true }` |
 * | `GET /__emulator/faults` | | the fault state |
 * | `PUT /__emulator/faults` | `FaultSettings` | `204` |
 * | `POST /__emulator/faults/scripts` | `FaultScript` | `204` |
 * | `DELETE /__emulator/faults` | | `204` (all faults and scripts removed) |
 * | `GET /__emulator/requests` | | `{ counters, entries }` |
 * | `DELETE /__emulator/requests` | | `204` (log and counters reset) |
 * | `GET /__emulator/clients` | | registered clients (no secrets) |
 * | `POST /__emulator/clients` | a client (`clientId`, `clientSecret`, `scopes`, …) | `204` |
 * | `POST /__emulator/tokens/revoke` | `{ token }`, `{ jti }`, `{ clientId }` or `{}` (all) | `{ revoked }` |
 * | `POST /__emulator/tokens/expire` | `{ clientId? }` | `{ expired }` |
 *
 * @since 0.1.0
 */
import { DomoScope } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Tokens } from "./Auth.js"
import { Faults, FaultScript, FaultSettings } from "./Faults.js"
import * as RequestLog from "./RequestLog.js"
import * as RouteFamily from "./RouteFamily.js"

/**
 * A client to register through `POST /__emulator/clients`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClientRegistration = Schema.Struct({
  clientId: Schema.String,
  clientSecret: Schema.String,
  scopes: Schema.optionalWith(Schema.Array(DomoScope.DomoScope), { default: () => DomoScope.all }),
  userId: Schema.optionalWith(Schema.Int, { default: () => 1 }),
  userName: Schema.optionalWith(Schema.String, { default: () => "Emulator Admin" }),
  role: Schema.optionalWith(Schema.String, { default: () => "Admin" }),
  customer: Schema.optionalWith(Schema.String, { default: () => "emulator" })
})

const Revoke = Schema.Struct({
  token: Schema.optional(Schema.String),
  jti: Schema.optional(Schema.String),
  clientId: Schema.optional(Schema.String)
})

const Expire = Schema.Struct({ clientId: Schema.optional(Schema.String) })

const noContent = HttpServerResponse.empty({ status: 204 })

/**
 * The admin router.
 *
 * @since 0.1.0
 * @category routers
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/__emulator/health", Effect.succeed(HttpServerResponse.unsafeJson({ ok: true }))),
  HttpRouter.get(
    "/__emulator/faults",
    Effect.map(Effect.flatMap(Faults, (f) => f.state), (state) => HttpServerResponse.unsafeJson(state))
  ),
  HttpRouter.put(
    "/__emulator/faults",
    Effect.gen(function*() {
      const settings = yield* RouteFamily.jsonBody(FaultSettings)
      yield* Effect.flatMap(Faults, (f) => f.set(settings))
      return noContent
    })
  ),
  HttpRouter.del("/__emulator/faults", Effect.as(Effect.flatMap(Faults, (f) => f.clear), noContent)),
  HttpRouter.post(
    "/__emulator/faults/scripts",
    Effect.gen(function*() {
      const script = yield* RouteFamily.jsonBody(FaultScript)
      yield* Effect.flatMap(Faults, (f) => f.script(script))
      return noContent
    })
  ),
  HttpRouter.get(
    "/__emulator/requests",
    Effect.gen(function*() {
      const log = yield* RequestLog.RequestLog
      const counters = yield* log.counters
      const entries = yield* log.entries
      return HttpServerResponse.unsafeJson({ counters, entries: entries.map(RequestLog.toJson) })
    })
  ),
  HttpRouter.del(
    "/__emulator/requests",
    Effect.as(Effect.flatMap(RequestLog.RequestLog, (log) => log.reset), noContent)
  ),
  HttpRouter.get(
    "/__emulator/clients",
    Effect.map(Effect.flatMap(Tokens, (t) => t.clients), (clients) => HttpServerResponse.unsafeJson(clients))
  ),
  HttpRouter.post(
    "/__emulator/clients",
    Effect.gen(function*() {
      const client = yield* RouteFamily.jsonBody(ClientRegistration)
      yield* Effect.flatMap(Tokens, (t) => t.register(client))
      return noContent
    })
  ),
  HttpRouter.post(
    "/__emulator/tokens/revoke",
    Effect.gen(function*() {
      const body = yield* RouteFamily.jsonBody(Revoke)
      const tokens = yield* Tokens
      const revoked = yield* tokens.revoke(
        body.token !== undefined
          ? { token: body.token }
          : body.jti !== undefined
          ? { jti: body.jti }
          : body.clientId !== undefined
          ? { clientId: body.clientId }
          : "all"
      )
      return HttpServerResponse.unsafeJson({ revoked })
    })
  ),
  HttpRouter.post(
    "/__emulator/tokens/expire",
    Effect.gen(function*() {
      const body = yield* RouteFamily.jsonBody(Expire)
      const expired = yield* Effect.flatMap(Tokens, (t) => t.expire(body.clientId))
      return HttpServerResponse.unsafeJson({ expired })
    })
  )
)
