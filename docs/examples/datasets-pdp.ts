import { Datasets } from "@effect-domo/client"
import * as Effect from "effect/Effect"

// PDP: enable it on the dataset, then give user 27 only the rows where Attending is TRUE.
export const onlyAttendees = (id: string) =>
  Effect.gen(function*() {
    const datasets = yield* Datasets.Datasets
    yield* datasets.update(id, { pdpEnabled: true })
    const policy = yield* datasets.createPolicy(id, {
      name: "Only Show Attendees",
      filters: [{ column: "Attending", values: ["TRUE"], operator: "EQUALS", not: false }],
      users: [27]
    })
    yield* datasets.updatePolicy(id, policy.id, { groups: [4] })
    return yield* datasets.listPolicies(id)
  })

// The Simple API: a dataset without a schema, filled from JSON objects (Domo infers the columns).
export const fromJson = Effect.gen(function*() {
  const datasets = yield* Datasets.Datasets
  const created = yield* datasets.createJson({ name: "Party guests" })
  yield* datasets.importJson(created.id, [{ Friend: "Leia", Attending: "TRUE" }, { Friend: "Han", Attending: "FALSE" }])
  return created.id
})
