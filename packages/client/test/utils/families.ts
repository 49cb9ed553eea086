/**
 * The family services (Users, Groups, Pages, Accounts, ActivityLog, Projects, Embed,
 * DomoDirectory, and Datasets which the directory uses) on `Domo.layer`, pointed at an `Emulator.layer` over loopback with undici.
 */
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Accounts from "../../src/Accounts.js"
import * as ActivityLog from "../../src/ActivityLog.js"
import * as Datasets from "../../src/Datasets.js"
import * as Domo from "../../src/Domo.js"
import * as DomoConfig from "../../src/DomoConfig.js"
import * as DomoDirectory from "../../src/DomoDirectory.js"
import type * as DomoHttpClient from "../../src/DomoHttpClient.js"
import type * as DomoScope from "../../src/DomoScope.js"
import * as Embed from "../../src/Embed.js"
import * as Groups from "../../src/Groups.js"
import * as Pages from "../../src/Pages.js"
import * as Projects from "../../src/Projects.js"
import * as Users from "../../src/Users.js"
import { setup } from "./setup.js"

/** every family service, needing `DomoHttpClient` */
export const services = Layer.mergeAll(
  Accounts.layer,
  ActivityLog.layer,
  Embed.layer,
  Pages.layer,
  Projects.layer,
  DomoDirectory.layer.pipe(Layer.provideMerge(Layer.mergeAll(Users.layer, Groups.layer, Datasets.layer)))
)

/** another OAuth client of the emulator (a different user) */
export interface Credentials {
  readonly clientId: string
  readonly clientSecret: string
}

/** a `DomoConfig` for the emulator's demo client (or `as`), asking for `scopes` (default: all the client has) */
export const configFor = (scopes?: ReadonlyArray<DomoScope.DomoScope>, as?: Credentials) =>
  Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
    DomoConfig.layer({
      apiHost: emulator.url,
      clientId: as?.clientId ?? emulator.clientId,
      clientSecret: as === undefined ? emulator.clientSecret : Redacted.make(as.clientSecret),
      scopes
    })))

/** the client (services + Domo.layer), needing the `Emulator` */
export const clientFor = (scopes?: ReadonlyArray<DomoScope.DomoScope>, as?: Credentials) =>
  services.pipe(
    Layer.provideMerge(Domo.layer),
    Layer.provide(configFor(scopes, as)),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** registers another client of the emulator, with its own user, granted every scope */
export const registerClient = (userId: number, userName: string) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const credentials: Credentials = { clientId: `client-${userId}`, clientSecret: `secret-${userId}-0123456789abcdef` }
    yield* Effect.orDie(emulator.registerClient({
      ...credentials,
      scopes: ["data", "user", "dashboard", "account", "audit", "workflow"],
      userId,
      userName,
      role: "Admin",
      customer: emulator.customer
    }))
    return credentials
  })

/** runs `effect` as another client of the same emulator */
export const as = (credentials: Credentials) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provide(effect, clientFor(undefined, credentials))

/** an emulator and a client of its demo client with every scope */
export const testLayer = (options?: Emulator.EmulatorOptions) =>
  clientFor().pipe(Layer.provideMerge(Emulator.layer(options)))

/** runs `effect` with a second client of the same emulator whose token only has `scopes` */
export const withScopes = (scopes: ReadonlyArray<DomoScope.DomoScope>) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provide(effect, clientFor(scopes))

/** how many calls the emulator has seen for a route, e.g. `GET /v1/users` */
export const routeCount = (route: string) =>
  Effect.map(
    Effect.flatMap(Emulator.Emulator, (emulator) => emulator.requestLog.counters),
    (counters) => counters.perRoute[route] ?? 0
  )

/** every call the emulator has seen (token requests included): proves that nothing was sent */
export const requestTotal = Effect.map(
  Effect.flatMap(Emulator.Emulator, (emulator) => emulator.requestLog.counters),
  (counters) => counters.total
)

/**
 * A family service on the auth tests' scriptable server (`setup()`), for answers the emulator
 * never gives: malformed bodies, the shapes of Domo's docs where its SDKs differ.
 */
export const scripted = <I>(service: Layer.Layer<I, never, DomoHttpClient.DomoHttpClient>) =>
  Effect.gen(function*() {
    const { context, server } = yield* setup()
    const built = yield* Layer.build(Layer.provide(service, Layer.succeedContext(context)))
    return { server, context: built }
  })
