import {
  Accounts,
  ActivityLog,
  Datasets,
  Domo,
  DomoDirectory,
  Embed,
  Groups,
  Pages,
  Projects,
  Streams,
  Users
} from "@effect-domo/client"
import { Emulator } from "@effect-domo/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Domo.layer is the whole client: every service on one DomoHttpClient and one token manager.
const Live = Domo.layer.pipe(
  Layer.provideMerge(Emulator.layerWithConfig()),
  Layer.provide(NodeHttpClient.layerUndici)
)

describe("Domo.layer", () => {
  layer(Live, { excludeTestServices: true })((it) => {
    it.effect("provides every API service, sharing one token", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        yield* emulator.requestLog.reset
        const datasets = yield* Datasets.Datasets
        const streams = yield* Streams.Streams
        const users = yield* Users.Users
        const groups = yield* Groups.Groups
        const pages = yield* Pages.Pages
        const accounts = yield* Accounts.Accounts
        const activity = yield* ActivityLog.ActivityLog
        const projects = yield* Projects.Projects
        yield* Embed.Embed
        const directory = yield* DomoDirectory.DomoDirectory

        const created = yield* datasets.create({
          name: "Domo.layer",
          schema: { columns: [{ type: "LONG", name: "n" }] }
        })
        expect((yield* datasets.get(created.id)).name).toBe("Domo.layer")
        yield* Stream.runCollect(streams.list())
        const everyone = Chunk.toReadonlyArray(yield* Stream.runCollect(users.list()))
        expect(everyone.length).toBeGreaterThan(0)
        yield* Stream.runCollect(groups.list())
        yield* Stream.runCollect(pages.list())
        yield* Stream.runCollect(accounts.list())
        yield* projects.list
        const first = everyone[0]!
        const found = yield* directory.userByEmail(first.email!)
        expect(found.id).toBe(first.id)
        const since = new Date(Date.now() - 60_000)
        const entries = Chunk.toReadonlyArray(
          yield* Stream.runCollect(activity.entries({ start: since, end: new Date() }))
        )
        expect(entries.some((entry) => entry.objectId === created.id)).toBe(true)

        const counters = yield* emulator.requestLog.counters
        // one token for all the services (the first call fetched it; none since)
        expect(counters.tokenRequests).toBeLessThanOrEqual(1)
      }))
  })
})
