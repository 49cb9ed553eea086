/**
 * The family services (Users, Groups, Pages, Accounts, ActivityLog, Projects, Embed,
 * DomoDirectory) on `Domo.layer`, pointed at an `Emulator.layer` over loopback with undici.
 */
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Accounts from "../../src/Accounts.js"
import * as ActivityLog from "../../src/ActivityLog.js"
import * as Domo from "../../src/Domo.js"
import * as DomoConfig from "../../src/DomoConfig.js"
import * as DomoDirectory from "../../src/DomoDirectory.js"
import type * as DomoScope from "../../src/DomoScope.js"
import * as Embed from "../../src/Embed.js"
import * as Groups from "../../src/Groups.js"
import * as Pages from "../../src/Pages.js"
import * as Projects from "../../src/Projects.js"
import * as Users from "../../src/Users.js"

/** every family service, needing `DomoHttpClient` */
export const services = Layer.mergeAll(
  Accounts.layer,
  ActivityLog.layer,
  Embed.layer,
  Pages.layer,
  Projects.layer,
  DomoDirectory.layer.pipe(Layer.provideMerge(Layer.merge(Users.layer, Groups.layer)))
)

/** a `DomoConfig` for the emulator's demo client, asking for `scopes` (default: all the client has) */
export const configFor = (scopes?: ReadonlyArray<DomoScope.DomoScope>) =>
  Layer.unwrapEffect(Effect.map(Emulator.Emulator, (emulator) =>
    DomoConfig.layer({
      apiHost: emulator.url,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      scopes
    })))

/** the client (services + Domo.layer), needing the `Emulator` */
export const clientFor = (scopes?: ReadonlyArray<DomoScope.DomoScope>) =>
  services.pipe(
    Layer.provideMerge(Domo.layer),
    Layer.provide(configFor(scopes)),
    Layer.provide(NodeHttpClient.layerUndici)
  )

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
