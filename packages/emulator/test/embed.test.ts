import { EmbedModels } from "@effect-domo/client"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { callJson, testLayer, token } from "./helpers.js"
import { validate } from "./openapiValidator.js"

const claimsOf = (jwt: string) => {
  const parts = jwt.split(".")
  expect(parts.length).toBe(3)
  return Schema.decodeUnknownSync(EmbedModels.EmbedTokenClaims)(
    JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"))
  )
}

const request = {
  sessionLength: 60,
  authorizations: [
    {
      token: "Ab3dE",
      permissions: ["READ", "FILTER", "EXPORT"],
      filters: [{ column: "Region", operator: "IN", values: ["West", "East"] }]
    },
    { token: "xY7zQ", permissions: ["READ"], sqlFilters: [{ sqlFilter: "`Amount` > 10" }] }
  ]
}

layer(testLayer({ seed: 17 }))("embed tokens", (it) => {
  for (const [kind, path] of [["card", "/v1/cards/embed/auth"], ["story", "/v1/stories/embed/auth"]] as const) {
    it.effect(`${kind}: {authentication: JWT} carrying the authorizations and sessionLength`, () =>
      Effect.gen(function*() {
        const r = yield* callJson("POST", path, { json: request })
        expect(r.status).toBe(200)
        expect(validate("Embed-Token-API.yaml", "POST", path, 200, r.body)).toEqual([])
        const { authentication } = Schema.decodeUnknownSync(EmbedModels.EmbedToken)(r.body)
        const claims = claimsOf(authentication)
        expect(claims.kind).toBe(kind)
        expect(claims.sessionLength).toBe(60)
        expect(claims.exp - claims.iat).toBe(60 * 60)
        expect(claims.authorizations).toEqual(request.authorizations)
      }))
  }

  it.effect("sessionLength defaults to the 8-hour maximum", () =>
    Effect.gen(function*() {
      const r = yield* callJson("POST", "/v1/cards/embed/auth", {
        json: { authorizations: [{ token: "Ab3dE", permissions: ["READ"] }] }
      })
      expect(claimsOf((r.body as { authentication: string }).authentication).sessionLength).toBe(480)
    }))

  it.effect("invalid bodies are Domo 400s", () =>
    Effect.gen(function*() {
      const bad: ReadonlyArray<unknown> = [
        {},
        { authorizations: [] },
        { authorizations: [{ permissions: ["READ"] }] },
        { authorizations: [{ token: "Ab3dE" }] },
        { authorizations: [{ token: "toolong", permissions: ["READ"] }] },
        { authorizations: [{ token: "Ab3dE", permissions: ["WRITE"] }] },
        { authorizations: [{ token: "Ab3dE", permissions: [] }] },
        {
          authorizations: [{
            token: "Ab3dE",
            permissions: ["READ"],
            filters: [{ column: "a", operator: "LIKE", values: ["x"] }]
          }]
        },
        {
          authorizations: [{
            token: "Ab3dE",
            permissions: ["READ"],
            filters: [{ column: "a", operator: "IN", values: [1] }]
          }]
        },
        { sessionLength: 481, authorizations: [{ token: "Ab3dE", permissions: ["READ"] }] },
        { sessionLength: 0, authorizations: [{ token: "Ab3dE", permissions: ["READ"] }] }
      ]
      for (const json of bad) {
        const r = yield* callJson("POST", "/v1/stories/embed/auth", { json })
        expect(r.status, JSON.stringify(json)).toBe(400)
        expect(r.body).toMatchObject({ status: 400, statusReason: "Bad Request" })
      }
    }))

  it.effect("scope: `data` or `dashboard` opens it; without either Domo's 403", () =>
    Effect.gen(function*() {
      const json = { authorizations: [{ token: "Ab3dE", permissions: ["READ"] }] }
      for (const scope of ["data", "dashboard"]) {
        const r = yield* callJson("POST", "/v1/cards/embed/auth", { json, token: yield* token(scope) })
        expect(r.status).toBe(200)
      }
      const denied = yield* callJson("POST", "/v1/stories/embed/auth", { json, token: yield* token("user audit") })
      expect(denied.status).toBe(403)
      expect(denied.body).toMatchObject({ status: 403, statusReason: "Forbidden" })
    }))
})
