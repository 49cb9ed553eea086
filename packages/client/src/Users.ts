/**
 * Domo's User API (`/v1/users`): list, get, create (with or without an invitation e-mail),
 * update and delete the people of an instance. Every call needs a token with the `user` scope;
 * without it Domo answers 403, which fails as `DomoError.ForbiddenError`.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type * as DomoError from "./DomoError.js"
import { DomoHttpClient } from "./DomoHttpClient.js"
import * as Call from "./internal/call.js"
import * as Paging from "./internal/paging.js"
import * as UserModels from "./UserModels.js"

/**
 * The most users one request may ask for (`limit`); Domo's default is 50.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 500

/**
 * How a list is paged. Every list is a lazy `Stream`: a page is requested only when the
 * consumer pulls past the previous one.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** items per request, clamped to `1..maxPageSize` (default `maxPageSize`: fewest round trips) */
  readonly pageSize?: number | undefined
  /** item offset to start at (default 0) */
  readonly offset?: number | undefined
}

/**
 * Options of `create`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateOptions {
  /**
   * Whether Domo e-mails the new user an invitation (`sendInvite` query parameter). Default
   * `false`: creating users from code should not e-mail anyone unless asked to.
   */
  readonly sendInvite?: boolean | undefined
}

/**
 * The `Users` service. Scope: `user`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Users extends Context.Tag("@effect-domo/client/Users")<Users, Users.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Users {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** every user of the instance, paged lazily (`GET /v1/users`; list items carry a subset of fields) */
    readonly list: (options?: ListOptions) => Stream.Stream<UserModels.User, DomoError.DomoError>
    /** one user (`GET /v1/users/{id}`); a deleted user answers a subset with `deleted: true` */
    readonly get: (id: number) => Effect.Effect<UserModels.User, DomoError.DomoError>
    /** creates a user (`POST /v1/users?sendInvite=`); `name`, `email` and `role` are required */
    readonly create: (
      user: UserModels.CreateUser,
      options?: CreateOptions
    ) => Effect.Effect<UserModels.User, DomoError.DomoError>
    /**
     * updates a user (`PUT /v1/users/{id}`). Domo's docs ask for the whole user (`name`,
     * `email`, `role` at least): send what `get` returned with your changes.
     */
    readonly update: (id: number, user: UserModels.UpdateUser) => Effect.Effect<UserModels.User, DomoError.DomoError>
    /** deletes a user (`DELETE /v1/users/{id}`); users owning DataSets or DataFlows cannot be deleted */
    readonly delete: (id: number) => Effect.Effect<void, DomoError.DomoError>
  }
}

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Users.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const get = Effect.fn("Users.get")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.user.id", id)
    const userId = yield* Call.intId("GET", "/v1/users/{id}", "user id", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(`/v1/users/${userId}`), UserModels.User)
  })

  const list = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
      (page) =>
        Call.executeJson(
          client,
          HttpClientRequest.get("/v1/users", { urlParams: Paging.pageParams(page) }),
          UserModels.UserList
        )
    ).pipe(Stream.withSpan("Users.list"))

  const create = Effect.fn("Users.create")(function*(user: UserModels.CreateUser, options?: CreateOptions) {
    const request = yield* HttpClientRequest.post("/v1/users", {
      urlParams: { sendInvite: options?.sendInvite === true ? "true" : "false" }
    }).pipe(Call.jsonBody(UserModels.CreateUser, user))
    return yield* Call.executeJson(client, request, UserModels.User)
  })

  const update = Effect.fn("Users.update")(function*(id: number, user: UserModels.UpdateUser) {
    yield* Effect.annotateCurrentSpan("domo.user.id", id)
    const userId = yield* Call.intId("PUT", "/v1/users/{id}", "user id", id)
    const request = yield* HttpClientRequest.put(`/v1/users/${userId}`).pipe(
      Call.jsonBody(UserModels.UpdateUser, user)
    )
    return yield* Call.executeOrRead(client, request, UserModels.User, get(userId))
  })

  const del = Effect.fn("Users.delete")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.user.id", id)
    const userId = yield* Call.intId("DELETE", "/v1/users/{id}", "user id", id)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/users/${userId}`))
  })

  return Users.of({ list, get, create, update, delete: del })
})

/**
 * The `Users` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Users, never, DomoHttpClient> = Layer.effect(Users, make)
