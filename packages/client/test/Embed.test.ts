import { describe, expect, it, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Util from "node:util"
import { Embed } from "../src/Embed.js"
import * as EmbedModule from "../src/Embed.js"
import * as EmbedModels from "../src/EmbedModels.js"
import { requestTotal, scripted, testLayer, withScopes } from "./utils/families.js"
import * as LeakScanner from "./utils/LeakScanner.js"

const claimsOf = (token: Redacted.Redacted<string>) => {
  const payload = Redacted.value(token).split(".")[1]!
  return Schema.decodeUnknownSync(EmbedModels.EmbedTokenClaims)(
    JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))
  )
}

const request: EmbedModels.EmbedTokenRequest = {
  sessionLength: 90,
  authorizations: [
    {
      token: "a1B2c",
      permissions: ["READ", "FILTER", "EXPORT"],
      filters: [
        { column: "Region", operator: "IN", values: ["West", "North"] },
        { column: "Amount", operator: "GREAT_THAN_EQUALS_TO", values: ["100"], datasourceId: "ds-1" }
      ],
      sqlFilters: [{ sqlFilter: "`Region` = 'West'", datasourceIds: ["ds-1"] }]
    }
  ]
}

describe("Embed against the emulator", () => {
  layer(testLayer({ seed: 14 }))((it) => {
    it.effect("card and story tokens carry the session length and the authorizations", () =>
      Effect.gen(function*() {
        const embed = yield* Embed
        const card = yield* embed.cardToken(request)
        const cardClaims = claimsOf(card.authentication)
        expect(cardClaims.kind).toBe("card")
        expect(cardClaims.sessionLength).toBe(90)
        expect(cardClaims.exp - cardClaims.iat).toBe(90 * 60)
        expect(cardClaims.authorizations).toEqual(request.authorizations)

        const story = yield* embed.storyToken({ authorizations: [{ token: "Zz9Yy", permissions: ["READ"] }] })
        const storyClaims = claimsOf(story.authentication)
        expect(storyClaims.kind).toBe("story")
        expect(storyClaims.authorizations[0]?.token).toBe("Zz9Yy")

        expect(claimsOf((yield* embed.token("story", request)).authentication).kind).toBe("story")
      }))

    it.effect("the token is Redacted: it never prints", () =>
      Effect.gen(function*() {
        const token = yield* (yield* Embed).cardToken(request)
        const raw = Redacted.value(token.authentication)
        expect(raw.split(".").length).toBe(3)
        for (const rendering of [String(token.authentication), JSON.stringify(token), Util.inspect(token)]) {
          expect(rendering).not.toContain(raw)
        }
      }))

    it.effect("bad requests: caught before sending when the schema can tell, else Domo's 400", () =>
      Effect.gen(function*() {
        const embed = yield* Embed
        const before = yield* requestTotal
        const zero = yield* Effect.flip(embed.cardToken({ ...request, sessionLength: 0 }))
        expect(zero._tag).toBe("BadRequestError")
        expect(zero.message).toContain("sessionLength")
        expect(yield* requestTotal).toBe(before)

        const longId = yield* Effect.flip(
          embed.cardToken({ authorizations: [{ token: "too-long-id", permissions: ["READ"] }] })
        )
        expect(longId._tag).toBe("BadRequestError")
        expect(longId._tag === "BadRequestError" && longId.status).toBe(400)
        const tooLong = yield* Effect.flip(embed.cardToken({ ...request, sessionLength: 100_000 }))
        expect(tooLong._tag === "BadRequestError" && tooLong.status).toBe(400)
      }))

    it.effect("a token without an accepted scope gets ForbiddenError", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flatMap(Embed, (embed) => Effect.flip(embed.cardToken(request))).pipe(
          withScopes(["user"])
        )
        expect(error._tag).toBe("ForbiddenError")
        expect(error._tag === "ForbiddenError" && error.status).toBe(403)
      }))
  })
})

describe("Embed on a scripted server", () => {
  it.scoped("a span per call (Embed.token, then the HTTP call inside it); the token is in no span attribute and no error", () =>
    Effect.gen(function*() {
      const { context, server } = yield* scripted(EmbedModule.layer)
      const embed = Context.get(context, Embed)
      const secret = "eyJhbGciOiJIUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJlLXNlY3JldA"
      server.script("/v1/cards/embed/auth", { status: 200, body: { authentication: secret } })
      const token = yield* embed.cardToken(request)
      expect(Redacted.value(token.authentication)).toBe(secret)
      // a body that does not match: the error does not carry the body
      server.script("/v1/stories/embed/auth", { status: 200, body: { authentication: 42, echo: secret } })
      const error = yield* Effect.flip(embed.storyToken(request))
      expect(error._tag).toBe("DecodeError")
      for (const rendering of [...LeakScanner.renderings(token), ...LeakScanner.renderings(error)]) {
        expect(rendering).not.toContain(secret)
      }

      const span = LeakScanner.spans.find((s) => s.name === "Embed.token")
      expect(span?.attributes.get("domo.embed.kind")).toBe("card")
      const http = LeakScanner.spans.find((s) =>
        s.name === "DomoHttpClient POST" && Option.isSome(s.parent) && s.parent.value.spanId === span?.spanId
      )
      expect(http).toBeDefined()
      for (const s of LeakScanner.spans) {
        expect(JSON.stringify(Object.fromEntries(s.attributes))).not.toContain(secret)
      }
    }))
})
