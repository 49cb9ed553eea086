/**
 * The Account API (`/v1/accounts`, `/v1/account-types`, scope `account`): accounts CRUD,
 * sharing, account types list and get.
 *
 * An account's `type.id` must name a known account type and its `properties` must carry the
 * type's required properties (matching their `regex`); properties are stored but never
 * echoed. Only accounts owned by or shared with the caller are visible (others are 404s).
 * Status codes follow the SDKs: create 200, update (`PATCH`) 202 with the account, delete 204;
 * sharing accepts `POST` (SDKs) and `GET` (docs), with `{user:{id}}` as the body or `user` as
 * a query parameter, and answers 200 with the account.
 *
 * @since 0.1.0
 */
import { AccountModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import * as Activity from "../Activity.js"
import type { Principal } from "../Auth.js"
import { requireScope } from "../Auth.js"
import { badRequest, notFound } from "../DomoError.js"
import { accountTypes } from "../internal/accountTypes.js"
import { atomically, empty, json, nextId, optionalJsonBody, paging } from "../internal/kit.js"
import * as People from "../internal/people.js"
import * as RouteFamily from "../RouteFamily.js"

const ACCOUNT_ID_BASE = 100

interface AccountRow {
  readonly id: string
  readonly name: string
  readonly type_id: string
  readonly valid: number
  readonly owner_id: number
}

const toAccount = (row: AccountRow): AccountModels.Account => ({
  id: row.id,
  name: row.name,
  valid: row.valid === 1,
  // Domo never echoes the properties (credentials)
  type: { id: row.type_id, properties: {} }
})

const visibleTo = (sql: SqlClient.SqlClient, principal: Principal) =>
  sql`(a.owner_id = ${principal.userId} OR EXISTS (SELECT 1 FROM account_shares s
    WHERE s.account_id = a.id AND s.user_id = ${principal.userId}))`

const requireAccount = (principal: Principal) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    const id = yield* RouteFamily.param(params, "id")
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<AccountRow>`SELECT a.* FROM accounts a WHERE a.id = ${id} AND ${visibleTo(sql, principal)}`
    if (rows.length === 0) return yield* notFound(`Account ${id} not found`)
    return rows[0]!
  })

const checkProperties = (typeId: string, properties: Readonly<Record<string, unknown>>) =>
  Effect.gen(function*() {
    const type = accountTypes.find((t) => t.id === typeId)
    if (type === undefined) return yield* badRequest(`Unknown account type '${typeId}'`)
    for (const property of type._templates?.["default"]?.properties ?? []) {
      const value = properties[property.name]
      if (value === undefined || value === null || value === "") {
        if (property.required === true) {
          return yield* badRequest(`Account type '${typeId}' requires the property '${property.name}'`)
        }
        continue
      }
      if (property.regex !== undefined && !new RegExp(property.regex).test(String(value))) {
        return yield* badRequest(`Property '${property.name}' does not match ${property.regex}`)
      }
    }
  })

const record = (principal: Principal, actionType: string, row: { id: string; name: string }, comment?: string) =>
  Activity.record(principal, {
    actionType,
    objectType: "ACCOUNT",
    objectId: row.id,
    objectName: row.name,
    additionalComment: comment
  })

const list = Effect.gen(function*() {
  const principal = yield* requireScope("account")
  const { limit, offset } = yield* paging(50, 500)
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<AccountRow>`SELECT a.* FROM accounts a WHERE ${visibleTo(sql, principal)}
    ORDER BY CAST(a.id AS INTEGER) LIMIT ${limit} OFFSET ${offset}`
  return yield* json(AccountModels.AccountList, rows.map(toAccount))
})

const get = Effect.gen(function*() {
  const principal = yield* requireScope("account")
  return yield* json(AccountModels.Account, toAccount(yield* requireAccount(principal)))
})

const create = atomically(Effect.gen(function*() {
  const principal = yield* requireScope("account")
  const body = yield* RouteFamily.jsonBody(AccountModels.CreateAccount)
  if (body.name.trim() === "") return yield* badRequest("Account name is required")
  yield* checkProperties(body.type.id, body.type.properties)
  const sql = yield* SqlClient.SqlClient
  const id = String(yield* nextId("accounts", ACCOUNT_ID_BASE))
  yield* sql`INSERT INTO accounts (id, name, type_id, properties, valid, owner_id) VALUES (${id}, ${body.name},
    ${body.type.id}, ${JSON.stringify(body.type.properties)}, 1, ${principal.userId})`
  const row: AccountRow = { id, name: body.name, type_id: body.type.id, valid: 1, owner_id: principal.userId }
  yield* record(principal, "CREATED", row)
  return yield* json(AccountModels.Account, toAccount(row))
}))

const update = Effect.gen(function*() {
  const principal = yield* requireScope("account")
  const account = yield* requireAccount(principal)
  const body = yield* RouteFamily.jsonBody(AccountModels.UpdateAccount)
  if (body.name !== undefined && body.name.trim() === "") return yield* badRequest("Account name is required")
  const sql = yield* SqlClient.SqlClient
  const name = body.name ?? account.name
  let typeId = account.type_id
  if (body.type !== undefined) {
    if (body.type.id !== account.type_id) {
      return yield* badRequest(`The type of account ${account.id} cannot change from '${account.type_id}'`)
    }
    if (body.type.properties !== undefined) {
      const stored = yield* sql<{ properties: string }>`SELECT properties FROM accounts WHERE id = ${account.id}`
      const merged = { ...JSON.parse(stored[0]!.properties) as Record<string, unknown>, ...body.type.properties }
      yield* checkProperties(body.type.id, merged)
      // new credentials make the account valid again
      yield* sql`UPDATE accounts SET properties = ${JSON.stringify(merged)}, valid = 1 WHERE id = ${account.id}`
    }
    typeId = body.type.id
  }
  yield* sql`UPDATE accounts SET name = ${name} WHERE id = ${account.id}`
  const rows = yield* sql<AccountRow>`SELECT * FROM accounts WHERE id = ${account.id}`
  yield* record(principal, "UPDATED", { id: account.id, name })
  return yield* json(AccountModels.Account, toAccount({ ...rows[0]!, type_id: typeId }), 202)
})

const remove = Effect.gen(function*() {
  const principal = yield* requireScope("account")
  const account = yield* requireAccount(principal)
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM account_shares WHERE account_id = ${account.id}`
  yield* sql`DELETE FROM accounts WHERE id = ${account.id}`
  yield* record(principal, "DELETED", account)
  return empty(204)
})

const share = Effect.gen(function*() {
  const principal = yield* requireScope("account")
  const account = yield* requireAccount(principal)
  const body = yield* optionalJsonBody(AccountModels.AccountShare)
  let userId = body?.user.id
  if (userId === undefined) {
    // the docs' form: `user` as a query parameter (an id, or `{"id":…}`)
    const raw = (yield* RouteFamily.query).get("user")
    const match = raw === null ? null : /^\s*(?:\{\s*"id"\s*:\s*)?(\d+)/.exec(raw)
    if (match === null) return yield* badRequest("Required: the user to share with, as {\"user\":{\"id\":…}}")
    userId = Number(match[1])
  }
  if (!(yield* People.userExists(userId))) return yield* notFound(`User ${userId} not found`)
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT OR IGNORE INTO account_shares (account_id, user_id) VALUES (${account.id}, ${userId})`
  yield* record(principal, "SHARED", account, `with user ${userId}`)
  return yield* json(AccountModels.Account, toAccount(account))
})

const listTypes = Effect.gen(function*() {
  yield* requireScope("account")
  const { limit, offset } = yield* paging(50, 500)
  return yield* json(
    AccountModels.AccountTypeList,
    accountTypes.slice(offset, offset + limit).map((t) => ({ id: t.id, name: t.name }))
  )
})

const getType = Effect.gen(function*() {
  yield* requireScope("account")
  const params = yield* HttpRouter.params
  const id = yield* RouteFamily.param(params, "id")
  const type = accountTypes.find((t) => t.id === id)
  if (type === undefined) return yield* notFound(`Account type ${id} not found`)
  return yield* json(AccountModels.AccountType, type)
})

/**
 * The `accounts` route family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "accounts",
  migrate: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS accounts (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, type_id TEXT NOT NULL, properties TEXT NOT NULL,
      valid INTEGER NOT NULL DEFAULT 1, owner_id INTEGER NOT NULL)`
    yield* sql`CREATE TABLE IF NOT EXISTS account_shares (
      account_id TEXT NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (account_id, user_id))`
  }),
  router: HttpRouter.empty.pipe(
    HttpRouter.get("/v1/accounts", list),
    HttpRouter.post("/v1/accounts", create),
    HttpRouter.get("/v1/accounts/:id", get),
    HttpRouter.patch("/v1/accounts/:id", update),
    HttpRouter.del("/v1/accounts/:id", remove),
    HttpRouter.post("/v1/accounts/:id/shares", share),
    HttpRouter.get("/v1/accounts/:id/shares", share),
    HttpRouter.get("/v1/account-types", listTypes),
    HttpRouter.get("/v1/account-types/:id", getType)
  )
})
