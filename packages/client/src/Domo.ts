/**
 * The Domo client wired together: so far `DomoHttpClient` + `DomoAuth`, needing `DomoConfig`
 * and an `HttpClient` (the transport stays yours to choose).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Layer from "effect/Layer"
import * as DomoAuth from "./DomoAuth.js"
import type * as DomoConfig from "./DomoConfig.js"
import * as DomoHttpClient from "./DomoHttpClient.js"

/**
 * `DomoAuth` and `DomoHttpClient` sharing one token manager.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  DomoAuth.DomoAuth | DomoHttpClient.DomoHttpClient,
  never,
  DomoConfig.DomoConfig | HttpClient.HttpClient
> = DomoHttpClient.layer.pipe(Layer.provideMerge(DomoAuth.layer))
