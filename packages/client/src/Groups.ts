/**
 * Domo's Group API (`/v1/groups`): create, read, update, delete groups, list their members, add
 * and remove members. Every call needs a token with the `user` scope; without it Domo answers
 * 403, which fails as `DomoError.ForbiddenError`.
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
import * as GroupModels from "./GroupModels.js"
import * as Call from "./internal/call.js"
import * as Paging from "./internal/paging.js"

/**
 * The most groups (or member ids) one request may ask for (`limit`); Domo's default is 50.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 500

/**
 * How a list is paged (lazily: a page is requested only when the consumer pulls past the last).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** items per request, clamped to `1..maxPageSize` (default `maxPageSize`) */
  readonly pageSize?: number | undefined
  /** item offset to start at (default 0) */
  readonly offset?: number | undefined
}

/**
 * The `Groups` service. Scope: `user`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Groups extends Context.Tag("@effect-domo/client/Groups")<Groups, Groups.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Groups {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** every group, paged lazily (`GET /v1/groups`) */
    readonly list: (options?: ListOptions) => Stream.Stream<GroupModels.Group, DomoError.DomoError>
    /** one group (`GET /v1/groups/{id}`) */
    readonly get: (id: number) => Effect.Effect<GroupModels.Group, DomoError.DomoError>
    /** creates a group (`POST /v1/groups`) */
    readonly create: (group: GroupModels.CreateGroup) => Effect.Effect<GroupModels.Group, DomoError.DomoError>
    /** updates a group's name / active / default flags (`PUT /v1/groups/{id}`) */
    readonly update: (
      id: number,
      group: GroupModels.UpdateGroup
    ) => Effect.Effect<GroupModels.Group, DomoError.DomoError>
    /** deletes a group (`DELETE /v1/groups/{id}`) */
    readonly delete: (id: number) => Effect.Effect<void, DomoError.DomoError>
    /** the ids of a group's members, paged lazily (`GET /v1/groups/{id}/users`) */
    readonly members: (id: number, options?: ListOptions) => Stream.Stream<number, DomoError.DomoError>
    /** adds a user to a group (`PUT /v1/groups/{id}/users/{userId}`); adding a member twice is harmless */
    readonly addMember: (id: number, userId: number) => Effect.Effect<void, DomoError.DomoError>
    /** removes a user from a group (`DELETE /v1/groups/{id}/users/{userId}`) */
    readonly removeMember: (id: number, userId: number) => Effect.Effect<void, DomoError.DomoError>
  }
}

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Groups.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const groupId = (method: string, id: number) => Call.intId(method, "/v1/groups/{id}", "group id", id)

  const get = Effect.fn("Groups.get")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.group.id", id)
    const gid = yield* groupId("GET", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(`/v1/groups/${gid}`), GroupModels.Group)
  })

  const list = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
      (page) =>
        Call.executeJson(
          client,
          HttpClientRequest.get("/v1/groups", { urlParams: Paging.pageParams(page) }),
          GroupModels.GroupList
        )
    ).pipe(Stream.withSpan("Groups.list"))

  const create = Effect.fn("Groups.create")(function*(group: GroupModels.CreateGroup) {
    const request = yield* HttpClientRequest.post("/v1/groups").pipe(Call.jsonBody(GroupModels.CreateGroup, group))
    return yield* Call.executeJson(client, request, GroupModels.Group)
  })

  const update = Effect.fn("Groups.update")(function*(id: number, group: GroupModels.UpdateGroup) {
    yield* Effect.annotateCurrentSpan("domo.group.id", id)
    const gid = yield* groupId("PUT", id)
    const request = yield* HttpClientRequest.put(`/v1/groups/${gid}`).pipe(
      Call.jsonBody(GroupModels.UpdateGroup, group)
    )
    return yield* Call.executeOrRead(client, request, GroupModels.Group, get(gid))
  })

  const del = Effect.fn("Groups.delete")(function*(id: number) {
    yield* Effect.annotateCurrentSpan("domo.group.id", id)
    const gid = yield* groupId("DELETE", id)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/groups/${gid}`))
  })

  const members = (id: number, options?: ListOptions) =>
    Stream.unwrap(Effect.map(groupId("GET", id), (gid) =>
      Paging.offsetPaged(
        { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
        (page) =>
          Call.executeJson(
            client,
            HttpClientRequest.get(`/v1/groups/${gid}/users`, { urlParams: Paging.pageParams(page) }),
            GroupModels.GroupMembers
          )
      ))).pipe(Stream.withSpan("Groups.members", { attributes: { "domo.group.id": id } }))

  const memberCall = (method: "PUT" | "DELETE", span: string) =>
    Effect.fn(span)(function*(id: number, userId: number) {
      yield* Effect.annotateCurrentSpan({ "domo.group.id": id, "domo.user.id": userId })
      const gid = yield* groupId(method, id)
      const uid = yield* Call.intId(method, "/v1/groups/{id}/users/{userId}", "user id", userId)
      const path = `/v1/groups/${gid}/users/${uid}`
      yield* Call.executeVoid(client, method === "PUT" ? HttpClientRequest.put(path) : HttpClientRequest.del(path))
    })

  return Groups.of({
    list,
    get,
    create,
    update,
    delete: del,
    members,
    addMember: memberCall("PUT", "Groups.addMember"),
    removeMember: memberCall("DELETE", "Groups.removeMember")
  })
})

/**
 * The `Groups` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Groups, never, DomoHttpClient> = Layer.effect(Groups, make)
