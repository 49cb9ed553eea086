import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DataSetModels from "../src/DataSetModels.js"
import { DomoDirectory } from "../src/DomoDirectory.js"
import * as DomoHttpClient from "../src/DomoHttpClient.js"
import { Groups } from "../src/Groups.js"
import { Users } from "../src/Users.js"
import { routeCount, testLayer, withScopes } from "./utils/families.js"

let n = 0
const unique = (prefix: string) => `${prefix}-${Date.now()}-${++n}`

const createDataSet = Effect.gen(function*() {
  const client = yield* DomoHttpClient.DomoHttpClient
  const response = yield* client.execute(
    HttpClientRequest.post("/v1/datasets").pipe(HttpClientRequest.bodyUnsafeJson({
      name: unique("Sales"),
      schema: { columns: [{ type: "STRING", name: "Region" }, { type: "LONG", name: "Amount" }] }
    }))
  )
  return yield* DomoHttpClient.schemaBodyJson(Schema.Struct({ id: Schema.String }))(response)
})

const policies = (datasetId: string) =>
  Effect.flatMap(
    DomoHttpClient.DomoHttpClient,
    (client) =>
      Effect.flatMap(
        client.get(`/v1/datasets/${datasetId}/policies`),
        DomoHttpClient.schemaBodyJson(Schema.Array(DataSetModels.Policy))
      )
  )

describe("DomoDirectory against the emulator", () => {
  layer(testLayer({ seed: 15 }))((it) => {
    it.effect("users by e-mail: case-insensitive, one pass, missing ones absent", () =>
      Effect.gen(function*() {
        const users = yield* Users
        const directory = yield* DomoDirectory
        const emails = [unique("grace"), unique("alan"), unique("edsger")].map((e) => `${e}@Example.com`)
        const created = []
        for (const email of emails) created.push(yield* users.create({ name: email, email, role: "Participant" }))

        const found = yield* directory.usersByEmail([emails[0]!.toUpperCase(), ` ${emails[2]} `, "nobody@example.com"])
        expect(found.size).toBe(2)
        expect(found.get(emails[0]!.toLowerCase())?.id).toBe(created[0]!.id)
        expect(found.get(emails[2]!.toLowerCase())?.id).toBe(created[2]!.id)

        expect(Option.map(yield* directory.findUserByEmail(emails[1]!), (u) => u.id)).toEqual(
          Option.some(created[1]!.id)
        )
        const missing = yield* Effect.flip(directory.userByEmail("nobody@example.com"))
        expect(missing._tag).toBe("NameNotFoundError")
        expect(missing.message).toContain("nobody@example.com")
        // nothing asked, nothing fetched
        const before = yield* routeCount("GET /v1/users")
        expect((yield* directory.usersByEmail([])).size).toBe(0)
        expect(yield* routeCount("GET /v1/users")).toBe(before)
      }))

    it.effect("groups by name: exact, then case-insensitive; a missing one is a typed error", () =>
      Effect.gen(function*() {
        const groups = yield* Groups
        const directory = yield* DomoDirectory
        const name = unique("Finance")
        const finance = yield* groups.create({ name })
        expect((yield* directory.groupByName(name)).id).toBe(finance.id)
        expect((yield* directory.groupByName(` ${name.toUpperCase()} `)).id).toBe(finance.id)

        // names are unique in a Domo instance (the emulator answers 409 to a second one, any case)
        const dup = yield* Effect.flip(groups.create({ name: name.toLowerCase() }))
        expect(dup._tag).toBe("ConflictError")

        expect(yield* directory.findGroupByName(unique("Nope"))).toEqual(Option.none())
        const missing = yield* Effect.flip(directory.groupByName("No such group"))
        expect(missing._tag).toBe("NameNotFoundError")
      }))

    it.effect("grantPolicy: creates the policy for the group, adds more groups, is idempotent", () =>
      Effect.gen(function*() {
        const groups = yield* Groups
        const directory = yield* DomoDirectory
        const dataset = yield* createDataSet
        const west = yield* groups.create({ name: unique("West team") })
        const north = yield* groups.create({ name: unique("North team") })
        const filters = [{ column: "Region", operator: "EQUALS" as const, values: ["West"], not: false }]

        const created = yield* directory.grantPolicy({
          datasetId: dataset.id,
          groupName: west.name!,
          policyName: "West rows",
          filters
        })
        expect(created.name).toBe("West rows")
        expect(created.groups).toEqual([west.id])
        expect(created.filters).toEqual(filters)

        // again: nothing to change, nothing written
        const writes = () =>
          Effect.zipWith(
            routeCount("POST /v1/datasets/:id/policies"),
            routeCount("PUT /v1/datasets/:id/policies/:id"),
            (a, b) => a + b
          )
        const before = yield* writes()
        const same = yield* directory.grantPolicy({
          datasetId: dataset.id,
          groupName: west.name!,
          policyName: "West rows"
        })
        expect(same.id).toBe(created.id)
        expect(yield* writes()).toBe(before)

        // another group, same policy: added, filters kept
        const shared = yield* directory.grantPolicy({
          datasetId: dataset.id,
          groupName: north.name!,
          policyName: "West rows"
        })
        expect(shared.id).toBe(created.id)
        expect([...shared.groups].sort()).toEqual([west.id, north.id].sort())
        const stored = (yield* policies(dataset.id)).find((p) => p.id === created.id)
        expect(stored?.filters).toEqual(filters)
        expect([...(stored?.groups ?? [])].sort()).toEqual([west.id, north.id].sort())

        // no such policy and no filters to create it with
        const missing = yield* Effect.flip(
          directory.grantPolicy({ datasetId: dataset.id, groupName: west.name!, policyName: "East rows" })
        )
        expect(missing._tag).toBe("NameNotFoundError")
        expect(missing._tag === "NameNotFoundError" && missing.kind).toBe("policy")
        const noGroup = yield* Effect.flip(
          directory.grantPolicy({ datasetId: dataset.id, groupName: "No such group", policyName: "West rows" })
        )
        expect(noGroup._tag === "NameNotFoundError" && noGroup.kind).toBe("group")
        const noDataSet = yield* Effect.flip(
          directory.grantPolicy({
            datasetId: "00000000-0000-0000-0000-000000000000",
            groupName: west.name!,
            policyName: "x"
          })
        )
        expect(noDataSet._tag).toBe("NotFoundError")
      }))

    it.effect("without the user scope lookups get ForbiddenError; without data, grantPolicy does", () =>
      Effect.gen(function*() {
        const group = yield* (yield* Groups).create({ name: unique("Scoped") })
        const dataset = yield* createDataSet
        const noUser = yield* Effect.flatMap(DomoDirectory, (d) => Effect.flip(d.groupByName(group.name!))).pipe(
          withScopes(["data"])
        )
        expect(noUser._tag).toBe("ForbiddenError")
        const noData = yield* Effect.flatMap(DomoDirectory, (d) =>
          Effect.flip(d.grantPolicy({
            datasetId: dataset.id,
            groupName: group.name!,
            policyName: "p",
            filters: [{ column: "Region", operator: "EQUALS", values: ["West"], not: false }]
          }))).pipe(withScopes(["user"]))
        expect(noData._tag).toBe("ForbiddenError")
        expect(yield* policies(dataset.id)).toSatisfy((all: ReadonlyArray<DataSetModels.Policy>) =>
          all.every((p) => p.name !== "p")
        )
      }))
  })
})
