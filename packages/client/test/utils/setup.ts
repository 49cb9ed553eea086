/** Starts a test server and builds the Domo layers against it in the current scope. */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Domo from "../../src/Domo.js"
import { DomoAuth } from "../../src/DomoAuth.js"
import * as DomoConfig from "../../src/DomoConfig.js"
import { DomoHttpClient } from "../../src/DomoHttpClient.js"
import type * as DomoScope from "../../src/DomoScope.js"
import * as UndiciTransport from "../../src/UndiciTransport.js"
import * as LeakScanner from "./LeakScanner.js"
import * as TestDomoServer from "./TestDomoServer.js"

export interface SetupOptions extends TestDomoServer.Options {
  readonly auth?: DomoConfig.AuthPolicyInput | undefined
  readonly retry?: DomoConfig.RetryPolicyInput | undefined
  readonly scopes?: ReadonlyArray<DomoScope.DomoScope> | undefined
  /** use this secret in the config instead of the server's (bad credentials) */
  readonly configSecret?: string | undefined
  /** the transport under DomoHttpClient (default: `UndiciTransport.layer`, what `DomoNode.layer`
   * uses; `NodeHttpClient.layerUndici` when `DOMO_TEST_TRANSPORT=platform`) */
  readonly transport?: Layer.Layer<HttpClient.HttpClient> | undefined
}

const defaultTransport = process.env.DOMO_TEST_TRANSPORT === "platform"
  ? NodeHttpClient.layerUndici
  : UndiciTransport.layer

export const configFor = (server: TestDomoServer.TestDomoServer, options: SetupOptions = {}) =>
  DomoConfig.layer({
    apiHost: server.url,
    clientId: server.state.clientId,
    clientSecret: Redacted.make(options.configSecret ?? server.state.clientSecret),
    scopes: options.scopes,
    auth: options.auth,
    retry: options.retry
  })

export const layerFor = (server: TestDomoServer.TestDomoServer, options: SetupOptions = {}) =>
  Domo.layer.pipe(
    Layer.provideMerge(configFor(server, options)),
    Layer.provide(options.transport ?? defaultTransport)
  )

export const setup = (options: SetupOptions = {}) =>
  Effect.gen(function*() {
    yield* LeakScanner.observe
    const server = yield* TestDomoServer.make(options)
    if (options.configSecret !== undefined) LeakScanner.registerSecret(options.configSecret)
    const context = yield* Layer.build(layerFor(server, options))
    return {
      server,
      state: server.state,
      auth: Context.get(context, DomoAuth),
      client: Context.get(context, DomoHttpClient),
      context
    }
  })

export type Setup = Effect.Effect.Success<ReturnType<typeof setup>>

export type { Scope }
