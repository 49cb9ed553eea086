import { Embed } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

// A token for one viewer of the embedded card "a1B2c": 60 minutes, read and filter, West rows only.
const program = Effect.gen(function*() {
  const embed = yield* Embed.Embed
  const token = yield* embed.cardToken({
    sessionLength: 60,
    authorizations: [{
      token: "a1B2c",
      permissions: ["READ", "FILTER"],
      filters: [{ column: "Region", operator: "IN", values: ["West"] }]
    }]
  })
  // the token is Redacted: it prints as <redacted> until you unwrap it for the embedding page
  yield* Console.log(`token: ${token.authentication}`)
  const form = `<form method="post" action="https://public.domo.com/embed/pages/a1B2c">` +
    `<input type="hidden" name="embedToken" value="${Redacted.value(token.authentication)}"></form>`
  yield* Console.log(`${form.length} bytes of form`)
})

program.pipe(Effect.provide(Embed.layer.pipe(Layer.provide(DomoNode.layer))), NodeRuntime.runMain)
