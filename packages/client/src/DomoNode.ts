/**
 * Node convenience: the Domo client over undici (`UndiciTransport`, pooled keep-alive
 * connections, a lean `HttpClient`) with its configuration from the environment. Needs the
 * optional peer dependency `@effect/platform-node` (for undici).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as Domo from "./Domo.js"
import type * as DomoAuth from "./DomoAuth.js"
import * as DomoConfig from "./DomoConfig.js"
import type * as DomoHttpClient from "./DomoHttpClient.js"
import * as UndiciTransport from "./UndiciTransport.js"

/**
 * The transport `layer` uses: `UndiciTransport.layer` (an undici `Agent` for the layer's
 * lifetime). Any other `HttpClient` (e.g. `NodeHttpClient.layerUndici`) works with `Domo.layer`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTransport: Layer.Layer<HttpClient.HttpClient> = UndiciTransport.layer

/**
 * `Domo.layer` + `layerTransport` (undici) + `DomoConfig.layerConfig` (`DOMO_CLIENT_ID`, `DOMO_CLIENT_SECRET`,
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
  Layer.provide(layerTransport)
)
