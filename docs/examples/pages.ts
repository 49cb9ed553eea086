import { Pages } from "@effect-domo/client"
import type { PageModels } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

// Needs the `dashboard` scope.
const printTree = (node: PageModels.PageTreeNode, depth = 0): Effect.Effect<void> =>
  Effect.zipRight(
    Console.log(`${"  ".repeat(depth)}${node.id}  ${node.name ?? ""}`),
    Effect.forEach(node.children, (child) => printTree(child, depth + 1), { discard: true })
  )

const program = Effect.gen(function*() {
  const pages = yield* Pages.Pages

  // the tree, one top-level page (with all its subpages) at a time
  yield* pages.list().pipe(Stream.runForEach((top) => printTree(top)))

  const sales = yield* pages.create({ name: "Sales", cardIds: [101, 102, 103] })
  const europe = yield* pages.create({ name: "Sales Europe", parentId: sales.id })

  // Domo answers an update with 204: the client reads the page back for you
  const shared = yield* pages.update(europe.id, { visibility: { userIds: [], groupIds: [42] } })
  yield* Console.log(`shared with groups ${shared.visibility?.groupIds?.join(", ") ?? "-"}`)

  // collections group cards that are already on the page
  const kpis = yield* pages.createCollection(sales.id, { title: "KPIs", cardIds: [101, 102] })
  const details = yield* pages.createCollection(sales.id, { title: "Details", cardIds: [103] })
  yield* pages.update(sales.id, { collectionIds: [details.id, kpis.id] }) // re-order only
  yield* pages.updateCollection(sales.id, kpis.id, { description: "Headline numbers" })
  yield* pages.deleteCollection(sales.id, details.id)
})

program.pipe(Effect.provide(Pages.layer.pipe(Layer.provide(DomoNode.layer))), NodeRuntime.runMain)
