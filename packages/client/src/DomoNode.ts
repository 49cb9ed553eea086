/**
 * Node convenience: the Domo client over undici (`NodeHttpClient.layerUndici`, pooled
 * keep-alive connections) with its configuration from the environment. Needs the optional peer
 * dependency `@effect/platform-node`.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Domo from "./Domo.js"
import type * as DomoAuth from "./DomoAuth.js"
import * as DomoConfig from "./DomoConfig.js"
import type * as DomoHttpClient from "./DomoHttpClient.js"

/**
 * `Domo.layer` + undici + `DomoConfig.layerConfig` (`DOMO_CLIENT_ID`, `DOMO_CLIENT_SECRET`,
 * `DOMO_API_HOST`, `DOMO_SCOPES`). Also provides `DomoConfig`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  DomoAuth.DomoAuth | DomoHttpClient.DomoHttpClient | DomoConfig.DomoConfig,
  ConfigError.ConfigError
> = Domo.layer.pipe(
  Layer.provideMerge(DomoConfig.layerConfig),
  Layer.provide(NodeHttpClient.layerUndici)
)
