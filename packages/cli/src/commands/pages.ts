/**
 * `domo pages create|update|delete` and `domo pages collections …` (the writes of the Page API;
 * `list` and `get` are in `directory.ts`).
 *
 * @since 0.1.0
 */
import { Pages } from "@effect-domo/client"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Connection from "../Connection.js"
import * as Fields from "../internal/fields.js"
import * as Output from "../Output.js"

const json = Output.json
const pageId = Args.integer({ name: "page-id" }).pipe(Args.withDescription("the page id"))
const collectionId = Args.integer({ name: "collection-id" }).pipe(Args.withDescription("the collection id"))
const parent = Options.integer("parent-id").pipe(
  Options.withDescription("make it a subpage of this page"),
  Options.optional
)
const cardIds = Fields.idListOption("card-ids", "the cards on the page")
const userIds = Fields.idListOption("user-ids", "users who can see the page")
const groupIds = Fields.idListOption("group-ids", "groups who can see the page")

const visibility = (users: ReadonlyArray<number> | undefined, groups: ReadonlyArray<number> | undefined) =>
  users === undefined && groups === undefined ? undefined : { userIds: users, groupIds: groups }

const create = Command.make(
  "create",
  {
    json,
    name: Options.text("name"),
    parent,
    locked: Options.boolean("locked").pipe(Options.withDescription("only owners can change it")),
    cardIds,
    userIds,
    groupIds
  },
  (args) =>
    Effect.gen(function*() {
      const cards = yield* Fields.parseIds("card-ids", args.cardIds)
      const users = yield* Fields.parseIds("user-ids", args.userIds)
      const groups = yield* Fields.parseIds("group-ids", args.groupIds)
      const page = yield* (yield* Pages.Pages).create({
        name: args.name,
        parentId: Fields.opt(args.parent),
        locked: args.locked,
        cardIds: cards,
        visibility: visibility(users, groups)
      })
      yield* Output.print(args.json, page, (p) => `created page ${p.id}\n${Output.record(p)}`)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Create a page (a subpage with --parent-id)."))

const update = Command.make(
  "update",
  {
    json,
    id: pageId,
    name: Fields.optionalText("name", "the new name"),
    parent,
    owner: Options.integer("owner-id").pipe(Options.withDescription("the new owner"), Options.optional),
    locked: Fields.optionalFlag("locked", "only owners can change it"),
    cardIds,
    collectionIds: Fields.idListOption("collection-ids", "the page's collections in their new order"),
    userIds,
    groupIds
  },
  (args) =>
    Effect.gen(function*() {
      const changes = yield* Fields.requireSome("pages update", {
        name: Fields.opt(args.name),
        parentId: Fields.opt(args.parent),
        ownerId: Fields.opt(args.owner),
        locked: Fields.opt(args.locked),
        cardIds: yield* Fields.parseIds("card-ids", args.cardIds),
        collectionIds: yield* Fields.parseIds("collection-ids", args.collectionIds),
        visibility: visibility(
          yield* Fields.parseIds("user-ids", args.userIds),
          yield* Fields.parseIds("group-ids", args.groupIds)
        )
      })
      const page = yield* (yield* Pages.Pages).update(args.id, changes)
      yield* Output.print(args.json, page, Output.record)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Update a page: only the fields given change."))

const remove = Command.make(
  "delete",
  { json, id: pageId },
  (args) =>
    Effect.flatMap(Pages.Pages, (s) => s.delete(args.id)).pipe(
      Effect.zipRight(Output.print(args.json, { deleted: args.id }, () => `deleted page ${args.id}`)),
      Connection.provide
    )
).pipe(Command.withDescription("Delete a page (its subpages move up to its parent)."))

const collectionFields = {
  description: Fields.optionalText("description", "what the collection is"),
  cardIds: Fields.idListOption("card-ids", "its cards (already on the page)")
}

const collections = Command.make("collections").pipe(
  Command.withDescription("A page's collections: list, create, update, delete."),
  Command.withSubcommands([
    Command.make(
      "list",
      { json, id: pageId },
      (args) =>
        Effect.flatMap(Pages.Pages, (s) => s.collections(args.id)).pipe(
          Effect.flatMap((xs) =>
            Output.print(
              args.json,
              xs,
              (cs) =>
                Output.table(
                  cs.map((c) => ({ id: c.id, title: c.title, cards: c.cardIds?.join(",") ?? "" })),
                  ["id", "title", "cards"]
                )
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List a page's collections, in order.")),
    Command.make(
      "create",
      { json, id: pageId, title: Options.text("title"), ...collectionFields },
      (args) =>
        Effect.gen(function*() {
          const cards = yield* Fields.parseIds("card-ids", args.cardIds)
          const collection = yield* (yield* Pages.Pages).createCollection(args.id, {
            title: args.title,
            description: Fields.opt(args.description),
            cardIds: cards
          })
          yield* Output.print(args.json, collection, (c) => `created collection ${c.id}\n${Output.record(c)}`)
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("Add a collection to a page.")),
    Command.make(
      "update",
      {
        json,
        id: pageId,
        collection: collectionId,
        title: Fields.optionalText("title", "the new title"),
        ...collectionFields
      },
      (args) =>
        Effect.gen(function*() {
          const changes = yield* Fields.requireSome("pages collections update", {
            title: Fields.opt(args.title),
            description: Fields.opt(args.description),
            cardIds: yield* Fields.parseIds("card-ids", args.cardIds)
          })
          const collection = yield* (yield* Pages.Pages).updateCollection(args.id, args.collection, changes)
          yield* Output.print(args.json, collection, Output.record)
        }).pipe(Connection.provide)
    ).pipe(Command.withDescription("Update a collection: only the fields given change.")),
    Command.make(
      "delete",
      { json, id: pageId, collection: collectionId },
      (args) =>
        Effect.flatMap(Pages.Pages, (s) => s.deleteCollection(args.id, args.collection)).pipe(
          Effect.zipRight(
            Output.print(
              args.json,
              { page: args.id, deleted: args.collection },
              () => `deleted collection ${args.collection} (page ${args.id})`
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("Delete a collection (its cards stay on the page)."))
  ])
)

/**
 * The page writes, next to `pages list|get`.
 *
 * @since 0.1.0
 * @category commands
 */
export const subcommands = [create, update, remove, collections] as const
