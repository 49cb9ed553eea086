/**
 * Domo's Account API (`/v1/accounts`, `/v1/account-types`): the credentials Domo keeps for its
 * connectors — create, read, update, delete, share with a user — and the account types that
 * describe which properties each connector needs. Every call needs a token with the `account`
 * scope; without it Domo answers 403, which fails as `DomoError.ForbiddenError`.
 *
 * Account properties (passwords, keys) are write-only on Domo's side: it never echoes them back.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as AccountModels from "./AccountModels.js"
import type * as DomoError from "./DomoError.js"
import { DomoHttpClient } from "./DomoHttpClient.js"
import * as DomoHttpClientModule from "./DomoHttpClient.js"
import * as Call from "./internal/call.js"
import * as Paging from "./internal/paging.js"

/**
 * The most accounts (or account types) one request may ask for (`limit`); Domo's default is 50.
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
 * The `Accounts` service. Scope: `account`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Accounts extends Context.Tag("@effect-domo/client/Accounts")<Accounts, Accounts.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Accounts {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** the accounts owned by or shared with the caller, paged lazily (`GET /v1/accounts`) */
    readonly list: (options?: ListOptions) => Stream.Stream<AccountModels.Account, DomoError.DomoError>
    /** one account (`GET /v1/accounts/{id}`); ids are digit strings */
    readonly get: (id: string) => Effect.Effect<AccountModels.Account, DomoError.DomoError>
    /** creates an account of a type with that type's properties (`POST /v1/accounts`) */
    readonly create: (account: AccountModels.CreateAccount) => Effect.Effect<AccountModels.Account, DomoError.DomoError>
    /** updates the name and/or the type's properties (`PATCH /v1/accounts/{id}`); returns the account */
    readonly update: (
      id: string,
      account: AccountModels.UpdateAccount
    ) => Effect.Effect<AccountModels.Account, DomoError.DomoError>
    /** deletes an account (`DELETE /v1/accounts/{id}`); cannot be undone */
    readonly delete: (id: string) => Effect.Effect<void, DomoError.DomoError>
    /** shares an account with a user (`POST /v1/accounts/{id}/shares` `{"user":{"id":…}}`, as Domo's SDKs send it) */
    readonly share: (id: string, userId: number) => Effect.Effect<void, DomoError.DomoError>
    /** every account type, paged lazily (`GET /v1/account-types`) */
    readonly listTypes: (options?: ListOptions) => Stream.Stream<AccountModels.AccountType, DomoError.DomoError>
    /** one account type with its property templates (`GET /v1/account-types/{id}`); ids are slugs like `domo-csv` */
    readonly getType: (id: string) => Effect.Effect<AccountModels.AccountType, DomoError.DomoError>
  }
}

/**
 * Builds the service on a `DomoHttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Accounts.Service, never, DomoHttpClient> = Effect.gen(function*() {
  const client = yield* DomoHttpClient

  const accountId = (method: string, id: string) => Call.stringId(method, "/v1/accounts/{id}", "account id", id)

  const get = Effect.fn("Accounts.get")(function*(id: string) {
    yield* Effect.annotateCurrentSpan("domo.account.id", id)
    const aid = yield* accountId("GET", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(`/v1/accounts/${aid}`), AccountModels.Account)
  })

  const list = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
      (page) =>
        Call.executeJson(
          client,
          HttpClientRequest.get("/v1/accounts", { urlParams: Paging.pageParams(page) }),
          AccountModels.AccountList
        )
    ).pipe(Stream.withSpan("Accounts.list"))

  const create = Effect.fn("Accounts.create")(function*(account: AccountModels.CreateAccount) {
    const request = yield* HttpClientRequest.post("/v1/accounts").pipe(
      Call.jsonBody(AccountModels.CreateAccount, account)
    )
    return yield* Call.executeJson(client, request, AccountModels.Account)
  })

  const update = Effect.fn("Accounts.update")(function*(id: string, account: AccountModels.UpdateAccount) {
    yield* Effect.annotateCurrentSpan("domo.account.id", id)
    const aid = yield* accountId("PATCH", id)
    const request = yield* HttpClientRequest.patch(`/v1/accounts/${aid}`).pipe(
      Call.jsonBody(AccountModels.UpdateAccount, account)
    )
    // Domo's docs answer 200 with the account, pydomo expects 202: read it back when there is no body.
    // Setting the same fields twice gives the same account, so a replay is harmless.
    return yield* Call.executeOrRead(client, request, AccountModels.Account, get(id)).pipe(
      DomoHttpClientModule.withRequestOptions({ idempotent: true })
    )
  })

  const del = Effect.fn("Accounts.delete")(function*(id: string) {
    yield* Effect.annotateCurrentSpan("domo.account.id", id)
    const aid = yield* accountId("DELETE", id)
    yield* Call.executeVoid(client, HttpClientRequest.del(`/v1/accounts/${aid}`))
  })

  const share = Effect.fn("Accounts.share")(function*(id: string, userId: number) {
    yield* Effect.annotateCurrentSpan({ "domo.account.id": id, "domo.user.id": userId })
    const aid = yield* accountId("POST", id)
    const uid = yield* Call.intId("POST", "/v1/accounts/{id}/shares", "user id", userId)
    const request = yield* HttpClientRequest.post(`/v1/accounts/${aid}/shares`).pipe(
      Call.jsonBody(AccountModels.AccountShare, { user: { id: uid } })
    )
    // sharing with the same user twice changes nothing: safe to replay
    yield* Call.executeVoid(client, request).pipe(DomoHttpClientModule.withRequestOptions({ idempotent: true }))
  })

  const listTypes = (options?: ListOptions) =>
    Paging.offsetPaged(
      { max: maxPageSize, pageSize: options?.pageSize, offset: options?.offset, clampSafe: true },
      (page) =>
        Call.executeJson(
          client,
          HttpClientRequest.get("/v1/account-types", { urlParams: Paging.pageParams(page) }),
          AccountModels.AccountTypeList
        )
    ).pipe(Stream.withSpan("Accounts.listTypes"))

  const getType = Effect.fn("Accounts.getType")(function*(id: string) {
    yield* Effect.annotateCurrentSpan("domo.accountType.id", id)
    const tid = yield* Call.stringId("GET", "/v1/account-types/{id}", "account type id", id)
    return yield* Call.executeJson(client, HttpClientRequest.get(`/v1/account-types/${tid}`), AccountModels.AccountType)
  })

  return Accounts.of({ list, get, create, update, delete: del, share, listTypes, getType })
})

/**
 * The `Accounts` service, needing a `DomoHttpClient` (`Domo.layer` provides one).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Accounts, never, DomoHttpClient> = Layer.effect(Accounts, make)
