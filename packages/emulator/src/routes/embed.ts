/**
 * The Embed Token API: `POST /v1/cards/embed/auth` (cards) and `POST /v1/stories/embed/auth`
 * (dashboards). The body is checked (`authorizations` non-empty, each `token` a 5-character
 * embed id, `permissions` among READ/FILTER/EXPORT, filters with a known operator and string
 * values, `sessionLength` 1..480 minutes, default 480) and the answer is
 * `{ authentication: <JWT> }`, HS256-signed, whose payload carries `kind`, `sessionLength`,
 * the `authorizations`, `iat`, `exp` (`iat + sessionLength` minutes) and `jti`.
 *
 * Scope: Domo does not document one; its samples request `data … dashboard`. The emulator
 * accepts a token with `data` or `dashboard` (403 without either).
 *
 * @since 0.1.0
 */
import { EmbedModels } from "@effect-domo/client"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Crypto from "node:crypto"
import * as Activity from "../Activity.js"
import { randomUuid } from "../Auth.js"
import { badRequest } from "../DomoError.js"
import { json, requireAnyScope } from "../internal/kit.js"
import * as RouteFamily from "../RouteFamily.js"

const EMBED_ID = /^[A-Za-z0-9]{5}$/

const signingKey = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ value: string }>`SELECT value FROM embed_meta WHERE key = 'signing_key'`
  return rows[0]!.value
})

const issue = (kind: "card" | "story") =>
  Effect.gen(function*() {
    const principal = yield* requireAnyScope(["data", "dashboard"])
    const body = yield* RouteFamily.jsonBody(EmbedModels.EmbedTokenRequest)
    const sessionLength = body.sessionLength ?? EmbedModels.maxSessionLength
    if (sessionLength > EmbedModels.maxSessionLength) {
      return yield* badRequest(
        `sessionLength ${sessionLength} exceeds the maximum session length of ${EmbedModels.maxSessionLength} minutes`
      )
    }
    for (const authorization of body.authorizations) {
      if (!EMBED_ID.test(authorization.token)) {
        return yield* badRequest(`Invalid embed token '${authorization.token}': expected a 5-character embed id`)
      }
      if (authorization.permissions.length === 0) {
        return yield* badRequest(`Authorization for '${authorization.token}' grants no permissions`)
      }
    }
    const now = yield* Clock.currentTimeMillis
    const iat = Math.floor(now / 1000)
    const claims: EmbedModels.EmbedTokenClaims = {
      kind,
      sessionLength,
      authorizations: body.authorizations,
      iat,
      exp: iat + sessionLength * 60,
      jti: yield* randomUuid
    }
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url")
    const payload = Buffer.from(JSON.stringify(Schema.encodeSync(EmbedModels.EmbedTokenClaims)(claims))).toString(
      "base64url"
    )
    const key = yield* signingKey
    const signature = Crypto.createHmac("sha256", key).update(`${header}.${payload}`).digest("base64url")
    yield* Activity.record(principal, {
      actionType: "CREATED",
      objectType: kind === "card" ? "CARD_EMBED_TOKEN" : "STORY_EMBED_TOKEN",
      objectId: claims.jti,
      objectName: body.authorizations.map((a) => a.token).join(","),
      additionalComment: `sessionLength ${sessionLength} minutes`
    })
    return yield* json(EmbedModels.EmbedToken, { authentication: `${header}.${payload}.${signature}` })
  })

/**
 * The `embed` route family.
 *
 * @since 0.1.0
 * @category families
 */
export const family = RouteFamily.make({
  name: "embed",
  migrate: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS embed_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`
    yield* sql`INSERT OR IGNORE INTO embed_meta (key, value) VALUES ('signing_key', ${
      Crypto.randomBytes(32).toString("hex")
    })`
  }),
  router: HttpRouter.empty.pipe(
    HttpRouter.post("/v1/cards/embed/auth", issue("card")),
    HttpRouter.post("/v1/stories/embed/auth", issue("story"))
  )
})
