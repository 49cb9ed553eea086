/**
 * `domo accounts create|update|delete|share` and `domo accounts types list|get` (`list` and
 * `get` of accounts are in `directory.ts`). The properties given (credentials) are sent, never
 * printed: Domo does not echo them.
 *
 * @since 0.1.0
 */
import { Accounts } from "@effect-domo/client"
import type { AccountModels } from "@effect-domo/client"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import type * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Connection from "../Connection.js"
import * as ErrorReport from "../ErrorReport.js"
import * as Fields from "../internal/fields.js"
import * as Output from "../Output.js"

const json = Output.json
const accountId = Args.text({ name: "account-id" }).pipe(Args.withDescription("the account id (digits)"))
const property = Options.keyValueMap("property").pipe(
  Options.withDescription("a property of the account's type: --property host=db.example.com (repeatable)"),
  Options.optional
)
const propertiesFile = Options.file("properties-file").pipe(
  Options.withDescription("the properties as a JSON object in a file (keeps secrets out of `ps`)"),
  Options.optional
)

const readProperties = (
  file: Option.Option<string>,
  pairs: Option.Option<HashMap.HashMap<string, string>>
): Effect.Effect<Record<string, unknown> | undefined, ErrorReport.InputError | ErrorReport.FileError> =>
  Effect.gen(function*() {
    if (Option.isNone(file) && Option.isNone(pairs)) return undefined
    const out: Record<string, unknown> = {}
    if (Option.isSome(file)) {
      const path = file.value
      const text = yield* Effect.try({
        try: () => Fs.readFileSync(path, "utf8"),
        catch: (error) =>
          new ErrorReport.FileError({
            path,
            reason: Predicate.hasProperty(error, "code") && error.code === "ENOENT" ? "no such file" : String(error)
          })
      })
      const parsed: unknown = yield* Effect.try({
        try: () => JSON.parse(text),
        // the file's text may hold secrets: the reason names the file, never its content
        catch: () => new ErrorReport.InputError({ reason: `${path}: not valid JSON` })
      })
      if (!Predicate.isRecord(parsed) || Array.isArray(parsed)) {
        return yield* new ErrorReport.InputError({ reason: `${path}: expected a JSON object of properties` })
      }
      Object.assign(out, parsed)
    }
    if (Option.isSome(pairs)) { for (const [k, v] of pairs.value) out[k] = v }
    return out
  })

const create = Command.make(
  "create",
  {
    json,
    name: Options.text("name"),
    type: Options.text("type").pipe(
      Options.withDescription("the account type id, e.g. mysql (see `accounts types list`)")
    ),
    property,
    propertiesFile
  },
  (args) =>
    Effect.gen(function*() {
      const properties = yield* readProperties(args.propertiesFile, args.property)
      const account = yield* (yield* Accounts.Accounts).create({
        name: args.name,
        type: { id: args.type, properties: properties ?? {} }
      })
      yield* Output.print(args.json, account, (a) => `created account ${a.id}\n${Output.record(a)}`)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Create an account of a type, with that type's properties."))

const update = Command.make(
  "update",
  { json, id: accountId, name: Fields.optionalText("name", "the new name"), property, propertiesFile },
  (args) =>
    Effect.gen(function*() {
      const properties = yield* readProperties(args.propertiesFile, args.property)
      yield* Fields.requireSome("accounts update", { name: Fields.opt(args.name), properties })
      const accounts = yield* Accounts.Accounts
      // the type cannot change, but new properties travel inside it: its id comes from the account
      const type = properties === undefined ? undefined : {
        id: (yield* accounts.get(args.id)).type?.id ?? "",
        properties
      }
      const account = yield* accounts.update(args.id, { name: Fields.opt(args.name), type })
      yield* Output.print(args.json, account, Output.record)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Update an account's name and/or properties."))

const remove = Command.make(
  "delete",
  { json, id: accountId },
  (args) =>
    Effect.flatMap(Accounts.Accounts, (s) => s.delete(args.id)).pipe(
      Effect.zipRight(Output.print(args.json, { deleted: args.id }, () => `deleted account ${args.id}`)),
      Connection.provide
    )
).pipe(Command.withDescription("Delete an account (cannot be undone)."))

const share = Command.make(
  "share",
  { json, id: accountId, user: Args.integer({ name: "user-id" }).pipe(Args.withDescription("the user to share with")) },
  (args) =>
    Effect.flatMap(Accounts.Accounts, (s) => s.share(args.id, args.user)).pipe(
      Effect.zipRight(
        Output.print(
          args.json,
          { account: args.id, user: args.user, shared: true },
          () => `shared account ${args.id} with user ${args.user}`
        )
      ),
      Connection.provide
    )
).pipe(Command.withDescription("Share an account with a user."))

// a type's properties as a table: what `accounts create --property` needs
const typeText = (t: AccountModels.AccountType): string => {
  const templates = Object.entries(t._templates ?? {})
  return [
    Output.record({ id: t.id, name: t.name }),
    ...templates.map(([key, tpl]) =>
      `\nproperties (${key}):\n${
        Output.table(
          (tpl.properties ?? []).map((p) => ({ name: p.name, required: p.required, prompt: p.prompt, regex: p.regex })),
          ["name", "required", "prompt", "regex"]
        )
      }`
    )
  ].join("\n")
}

const types = Command.make("types").pipe(
  Command.withDescription("Account types: list, get (with the properties each needs)."),
  Command.withSubcommands([
    Command.make(
      "list",
      { json, limit: Options.integer("limit").pipe(Options.withDescription("at most this many"), Options.optional) },
      (args) =>
        Effect.flatMap(Accounts.Accounts, (s) => {
          const all = s.listTypes()
          return Stream.runCollect(Option.match(args.limit, { onNone: () => all, onSome: (n) => Stream.take(all, n) }))
        }).pipe(
          Effect.flatMap((chunk) =>
            Output.print(
              args.json,
              Array.from(chunk),
              (ts) => Output.table(ts.map((t) => ({ id: t.id, name: t.name })), ["id", "name"])
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List account types.")),
    Command.make(
      "get",
      { json, id: Args.text({ name: "type-id" }).pipe(Args.withDescription("e.g. mysql")) },
      (args) =>
        Effect.flatMap(Accounts.Accounts, (s) => s.getType(args.id)).pipe(
          Effect.flatMap((t) => Output.print(args.json, t, typeText)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show an account type and its property templates."))
  ])
)

/**
 * The account writes and types, next to `accounts list|get`.
 *
 * @since 0.1.0
 * @category commands
 */
export const subcommands = [create, update, remove, share, types] as const
