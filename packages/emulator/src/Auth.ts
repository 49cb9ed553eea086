/**
 * OAuth for the emulator: registered clients, the JWT-shaped access tokens `/oauth/token`
 * issues, and {@link requireScope}, the one check every route makes.
 *
 * Tokens are `header.payload.signature` (HS256 over a key kept in the database, so tokens
 * survive a restart on a data file) with an `exp` claim, as pydomo reads it. Each issued token
 * has a row (its `jti`), so tokens can be revoked or expired early.
 *
 * @since 0.1.0
 */
import type { DomoScope } from "@effect-domo/client"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as Crypto from "node:crypto"
import { DomoFailure } from "./DomoError.js"

/**
 * A registered OAuth client: what `/oauth/token` checks and what its tokens carry.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientSpec {
  readonly clientId: string
  readonly clientSecret: string
  readonly scopes: ReadonlyArray<DomoScope.DomoScope>
  readonly userId: number
  readonly userName: string
  readonly role: string
  readonly customer: string
}

/**
 * A client as stored (its secret only as a hash).
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientInfo {
  readonly clientId: string
  readonly scopes: ReadonlyArray<DomoScope.DomoScope>
  readonly userId: number
  readonly userName: string
  readonly role: string
  readonly customer: string
}

/**
 * Who made an authenticated call.
 *
 * @since 0.1.0
 * @category models
 */
export interface Principal extends ClientInfo {
  /** the scopes of the token (a subset of the client's) */
  readonly tokenScopes: ReadonlyArray<DomoScope.DomoScope>
  readonly jti: string
}

/**
 * The body `/oauth/token` answers with, field for field as Domo's.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenResponse {
  readonly access_token: string
  readonly customer: string
  readonly expires_in: number
  readonly jti: string
  readonly role: string
  readonly scope: string
  readonly token_type: "bearer"
  readonly userId: number
}

/**
 * Why a bearer token was refused.
 *
 * @since 0.1.0
 * @category models
 */
export type TokenRejection = "missing" | "malformed" | "invalid" | "expired" | "revoked"

/**
 * The token authority of one emulator.
 *
 * @since 0.1.0
 * @category services
 */
export class Tokens extends Context.Tag("@effect-domo/emulator/Auth/Tokens")<Tokens, {
  /** add or replace a client */
  readonly register: (client: ClientSpec) => Effect.Effect<void, SqlError.SqlError>
  readonly clients: Effect.Effect<ReadonlyArray<ClientInfo>, SqlError.SqlError>
  /** check a client id and secret */
  readonly authenticateClient: (
    clientId: string,
    clientSecret: string
  ) => Effect.Effect<Option.Option<ClientInfo>, SqlError.SqlError>
  readonly issue: (
    client: ClientInfo,
    scopes: ReadonlyArray<DomoScope.DomoScope>
  ) => Effect.Effect<TokenResponse, SqlError.SqlError>
  readonly verify: (token: string) => Effect.Effect<Principal | TokenRejection, SqlError.SqlError>
  /** revoke one token (by its value or its jti), or every token of a client, or all tokens */
  readonly revoke: (
    which: { readonly token: string } | { readonly jti: string } | { readonly clientId: string } | "all"
  ) => Effect.Effect<number, SqlError.SqlError>
  /** make tokens expire now (all, or a client's) */
  readonly expire: (clientId?: string | undefined) => Effect.Effect<number, SqlError.SqlError>
  /** lifetime in seconds of tokens issued from now on */
  readonly lifetime: Ref.Ref<number>
}>() {}

/**
 * The tables of the token authority (idempotent).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS emulator_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`
  yield* sql`CREATE TABLE IF NOT EXISTS oauth_clients (
    client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, scopes TEXT NOT NULL,
    user_id INTEGER NOT NULL, user_name TEXT NOT NULL, role TEXT NOT NULL, customer TEXT NOT NULL)`
  yield* sql`CREATE TABLE IF NOT EXISTS oauth_tokens (
    jti TEXT PRIMARY KEY, client_id TEXT NOT NULL, scopes TEXT NOT NULL,
    issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)`
})

const sha256 = (value: string): string => Crypto.createHash("sha256").update(value).digest("hex")

const base64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url")

const uuid = Effect.map(
  Effect.all(Array.from({ length: 16 }, () => Random.nextIntBetween(0, 256))),
  (bytes) => {
    bytes[6] = (bytes[6]! & 0x0f) | 0x40
    bytes[8] = (bytes[8]! & 0x3f) | 0x80
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("")
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
)

/**
 * A random UUID v4 drawn from Effect's `Random` (reproducible under a seed).
 *
 * @since 0.1.0
 * @category constructors
 */
export const randomUuid: Effect.Effect<string> = uuid

interface ClientRow {
  readonly client_id: string
  readonly secret_hash: string
  readonly scopes: string
  readonly user_id: number
  readonly user_name: string
  readonly role: string
  readonly customer: string
}

const toInfo = (row: ClientRow): ClientInfo => ({
  clientId: row.client_id,
  scopes: row.scopes === "" ? [] : row.scopes.split(" ") as Array<DomoScope.DomoScope>,
  userId: row.user_id,
  userName: row.user_name,
  role: row.role,
  customer: row.customer
})

/**
 * Build the token authority over the database (runs {@link migrate}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: { readonly tokenLifetimeSeconds: number }) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* migrate
    const existing = yield* sql<{ value: string }>`SELECT value FROM emulator_meta WHERE key = 'signing_key'`
    let key = existing[0]?.value
    if (key === undefined) {
      key = Crypto.randomBytes(32).toString("hex")
      yield* sql`INSERT INTO emulator_meta (key, value) VALUES ('signing_key', ${key})`
    }
    const signingKey = key
    const sign = (data: string) => Crypto.createHmac("sha256", signingKey).update(data).digest("base64url")
    const lifetime = yield* Ref.make(options.tokenLifetimeSeconds)

    const clientRow = (clientId: string) =>
      Effect.map(
        sql<ClientRow>`SELECT * FROM oauth_clients WHERE client_id = ${clientId}`,
        (rows) => Option.fromNullable(rows[0])
      )

    const service: Tokens["Type"] = {
      lifetime,
      register: (client) =>
        sql`INSERT INTO oauth_clients (client_id, secret_hash, scopes, user_id, user_name, role, customer)
            VALUES (${client.clientId}, ${sha256(client.clientSecret)}, ${client.scopes.join(" ")},
                    ${client.userId}, ${client.userName}, ${client.role}, ${client.customer})
            ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash, scopes = excluded.scopes,
              user_id = excluded.user_id, user_name = excluded.user_name, role = excluded.role,
              customer = excluded.customer`.pipe(Effect.asVoid),
      clients: Effect.map(sql<ClientRow>`SELECT * FROM oauth_clients ORDER BY client_id`, (rows) => rows.map(toInfo)),
      authenticateClient: (clientId, clientSecret) =>
        Effect.map(clientRow(clientId), (row) =>
          Option.flatMap(row, (r) => {
            const a = Buffer.from(r.secret_hash)
            const b = Buffer.from(sha256(clientSecret))
            return a.length === b.length && Crypto.timingSafeEqual(a, b) ? Option.some(toInfo(r)) : Option.none()
          })),
      issue: (client, scopes) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const seconds = yield* Ref.get(lifetime)
          const jti = yield* uuid
          const expiresAt = now + seconds * 1000
          const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))
          const payload = base64url(JSON.stringify({
            role: client.role,
            customer: client.customer,
            userId: client.userId,
            client_id: client.clientId,
            scope: scopes,
            iat: Math.floor(now / 1000),
            exp: Math.floor(expiresAt / 1000),
            jti
          }))
          const token = `${header}.${payload}.${sign(`${header}.${payload}`)}`
          yield* sql`INSERT INTO oauth_tokens (jti, client_id, scopes, issued_at, expires_at)
                     VALUES (${jti}, ${client.clientId}, ${scopes.join(" ")}, ${now}, ${expiresAt})`
          return {
            access_token: token,
            customer: client.customer,
            expires_in: seconds,
            jti,
            role: client.role,
            scope: scopes.join(" "),
            token_type: "bearer" as const,
            userId: client.userId
          }
        }),
      verify: (token) =>
        Effect.gen(function*() {
          const jti = jtiOf(token, sign)
          if (jti === "malformed" || jti === "invalid") return jti
          const rows = yield* sql<
            { client_id: string; scopes: string; expires_at: number; revoked: number }
          >`SELECT client_id, scopes, expires_at, revoked FROM oauth_tokens WHERE jti = ${jti}`
          const row = rows[0]
          if (row === undefined) return "invalid" as const
          if (row.revoked !== 0) return "revoked" as const
          const now = yield* Clock.currentTimeMillis
          if (row.expires_at <= now) return "expired" as const
          const client = yield* clientRow(row.client_id)
          if (Option.isNone(client)) return "revoked" as const
          return {
            ...toInfo(client.value),
            tokenScopes: row.scopes === "" ? [] : row.scopes.split(" ") as Array<DomoScope.DomoScope>,
            jti
          }
        }),
      revoke: (which) => {
        const run = which === "all"
          ? sql`UPDATE oauth_tokens SET revoked = 1 WHERE revoked = 0`.raw
          : "clientId" in which
          ? sql`UPDATE oauth_tokens SET revoked = 1 WHERE client_id = ${which.clientId} AND revoked = 0`.raw
          : sql`UPDATE oauth_tokens SET revoked = 1 WHERE jti = ${
            "jti" in which ? which.jti : String(jtiOf(which.token, sign))
          } AND revoked = 0`.raw
        return Effect.map(run, changes)
      },
      expire: (clientId) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.map(
            clientId === undefined
              ? sql`UPDATE oauth_tokens SET expires_at = ${now} WHERE expires_at > ${now}`.raw
              : sql`UPDATE oauth_tokens SET expires_at = ${now} WHERE client_id = ${clientId} AND expires_at > ${now}`
                .raw,
            changes
          ))
    }
    return service
  })

const changes = (result: unknown): number =>
  typeof result === "object" && result !== null && "changes" in result && typeof result.changes === "number"
    ? result.changes
    : 0

const jtiOf = (token: string, sign: (data: string) => string): string | "malformed" | "invalid" => {
  const parts = token.split(".")
  if (parts.length !== 3) return "malformed"
  const [header, payload, signature] = parts as [string, string, string]
  let claims: unknown
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))
  } catch {
    return "malformed"
  }
  if (typeof claims !== "object" || claims === null || !("jti" in claims) || typeof claims.jti !== "string") {
    return "malformed"
  }
  const expected = Buffer.from(sign(`${header}.${payload}`))
  const actual = Buffer.from(signature)
  if (expected.length !== actual.length || !Crypto.timingSafeEqual(expected, actual)) return "invalid"
  return claims.jti
}

/**
 * The bearer token a request carries (`Authorization: bearer …`, any case), if any.
 *
 * @since 0.1.0
 * @category auth
 */
export const bearerToken = (request: HttpServerRequest.HttpServerRequest): Option.Option<string> => {
  const header = request.headers["authorization"]
  if (header === undefined) return Option.none()
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header)
  return match === null ? Option.none() : Option.some(match[1]!)
}

const requestPath = (request: HttpServerRequest.HttpServerRequest): string => {
  const q = request.url.indexOf("?")
  return q === -1 ? request.url : request.url.slice(0, q)
}

const jettyPage = (path: string): string =>
  `<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>
<title>Error 406 Not Acceptable</title>
</head>
<body><h2>HTTP ERROR 406</h2>
<p>Problem accessing ${path.replace(/[<>&"]/g, "")}. Reason:
<pre>    com.domo.bedrock.service.exception.UnauthorizedException: Full authentication is required to access this resource</pre></p>
</body>
</html>
`

/**
 * The failure Domo answers with for a refused token: 401 with its JSON body (Spring's
 * `invalid_token` body for a token that is not a token at all), or — when the request asked
 * for `text/csv` — the 406 HTML page the Java SDK knows to treat as "renew the token".
 *
 * @since 0.1.0
 * @category auth
 */
export const unauthorized = (
  request: HttpServerRequest.HttpServerRequest,
  rejection: TokenRejection
): DomoFailure => {
  const path = requestPath(request)
  const accept = request.headers["accept"] ?? ""
  if (accept.toLowerCase().includes("text/csv")) {
    return new DomoFailure({ status: 406, message: jettyPage(path), body: "html" })
  }
  if (rejection === "malformed") {
    return new DomoFailure({
      status: 401,
      message: "Cannot convert access token to JSON",
      body: "raw",
      extra: { error: "invalid_token", error_description: "Cannot convert access token to JSON" },
      headers: {
        "www-authenticate": `Bearer error="invalid_token", error_description="Cannot convert access token to JSON"`
      }
    })
  }
  // Domo's observed body carries a mismatched statusReason; kept as observed.
  return new DomoFailure({
    status: 401,
    statusReason: "Internal Server Error",
    path,
    message:
      "com.domo.bedrock.service.exception.UnauthorizedException: Full authentication is required to access this resource"
  })
}

/**
 * Authenticate the current request: the {@link Principal} behind its bearer token, or the
 * failure Domo answers with (see {@link unauthorized}).
 *
 * @since 0.1.0
 * @category auth
 */
export const authenticate: Effect.Effect<
  Principal,
  DomoFailure | SqlError.SqlError,
  Tokens | HttpServerRequest.HttpServerRequest
> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const tokens = yield* Tokens
  const token = bearerToken(request)
  if (Option.isNone(token)) return yield* unauthorized(request, "missing")
  const result = yield* tokens.verify(token.value)
  if (typeof result === "string") return yield* unauthorized(request, result)
  return result
})

/**
 * The check every route makes: an authenticated caller whose token carries `scope`, else
 * 401 (or 406 for CSV) as Domo answers, or 403 when the token lacks the scope.
 *
 * @since 0.1.0
 * @category auth
 */
export const requireScope = (
  scope: DomoScope.DomoScope
): Effect.Effect<Principal, DomoFailure | SqlError.SqlError, Tokens | HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(authenticate, (principal) =>
    principal.tokenScopes.includes(scope)
      ? Effect.succeed(principal)
      : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
        Effect.fail(
          new DomoFailure({
            status: 403,
            path: requestPath(request),
            message: `Forbidden: the access token does not have the '${scope}' scope`
          })
        )))
