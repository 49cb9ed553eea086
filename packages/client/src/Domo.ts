/**
 * The Domo client wired together: every API service on one `DomoHttpClient` and one token
 * manager, needing only `DomoConfig` and an `HttpClient` (the transport stays yours to choose).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Layer from "effect/Layer"
import * as Accounts from "./Accounts.js"
import * as ActivityLog from "./ActivityLog.js"
import * as Datasets from "./Datasets.js"
import * as DomoAuth from "./DomoAuth.js"
import type * as DomoConfig from "./DomoConfig.js"
import * as DomoDirectory from "./DomoDirectory.js"
import * as DomoHttpClient from "./DomoHttpClient.js"
import * as Embed from "./Embed.js"
import * as Groups from "./Groups.js"
import * as Pages from "./Pages.js"
import * as Projects from "./Projects.js"
import * as Streams from "./Streams.js"
import * as Users from "./Users.js"

/**
 * `DomoAuth` and `DomoHttpClient` sharing one token manager: enough to call any endpoint with
 * `DomoHttpClient`, and what every service needs.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerCore: Layer.Layer<
  DomoAuth.DomoAuth | DomoHttpClient.DomoHttpClient,
  never,
  DomoConfig.DomoConfig | HttpClient.HttpClient
> = DomoHttpClient.layer.pipe(Layer.provideMerge(DomoAuth.layer))

/**
 * Every schema-decoded API service, needing a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Datasets.Datasets
  | Streams.Streams
  | Users.Users
  | Groups.Groups
  | Pages.Pages
  | Accounts.Accounts
  | ActivityLog.ActivityLog
  | Projects.Projects
  | Embed.Embed
  | DomoDirectory.DomoDirectory

/**
 * Every API service on a `DomoHttpClient` you provide (for example one built with your own
 * middleware, or the services' own test layers around it).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServices: Layer.Layer<Services, never, DomoHttpClient.DomoHttpClient> = Layer.mergeAll(
  Streams.layer,
  Pages.layer,
  Accounts.layer,
  ActivityLog.layer,
  Projects.layer,
  Embed.layer,
  DomoDirectory.layer.pipe(Layer.provideMerge(Layer.mergeAll(Users.layer, Groups.layer, Datasets.layer)))
)

/**
 * The whole client: every API service, `DomoHttpClient` and `DomoAuth`, needing `DomoConfig`
 * and an `HttpClient` (e.g. `NodeHttpClient.layerUndici`, or `DomoNode.layer` for both from env).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Services | DomoAuth.DomoAuth | DomoHttpClient.DomoHttpClient,
  never,
  DomoConfig.DomoConfig | HttpClient.HttpClient
> = layerServices.pipe(Layer.provideMerge(layerCore))
