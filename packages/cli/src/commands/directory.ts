/**
 * `domo users|groups|pages|accounts …` (list, get; group members) and `domo audit` (the activity
 * log).
 *
 * @since 0.1.0
 */
import { Accounts, ActivityLog, Groups, Pages, Users } from "@effect-domo/client"
import type { PageModels } from "@effect-domo/client"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Connection from "../Connection.js"
import * as ErrorReport from "../ErrorReport.js"
import * as Fields from "../internal/fields.js"
import * as Output from "../Output.js"
import * as AccountsCommands from "./accounts.js"
import * as PagesCommands from "./pages.js"

const common = { json: Output.json }
const limit = Options.integer("limit").pipe(Options.withDescription("at most this many"), Options.optional)
const intId = (name: string) => Args.integer({ name }).pipe(Args.withDescription(`the ${name.replace("-", " ")}`))

const take = <A, E, R>(stream: Stream.Stream<A, E, R>, n: Option.Option<number>) =>
  Effect.map(
    Stream.runCollect(Option.match(n, { onNone: () => stream, onSome: (k) => Stream.take(stream, k) })),
    (chunk) => Array.from(chunk)
  )

const userWrites = [
  Command.make(
    "create",
    {
      ...common,
      name: Options.text("name"),
      email: Options.text("email"),
      role: Options.text("role").pipe(
        Options.withDescription("Admin, Privileged, Editor, Participant, Social…"),
        Options.withDefault("Participant")
      ),
      invite: Options.boolean("send-invite").pipe(Options.withDescription("e-mail the user an invitation"))
    },
    (args) =>
      Effect.flatMap(
        Users.Users,
        (s) => s.create({ name: args.name, email: args.email, role: args.role }, { sendInvite: args.invite })
      ).pipe(
        Effect.flatMap((u) => Output.print(args.json, u, (x) => `created user ${x.id}\n${Output.record(x)}`)),
        Connection.provide
      )
  ).pipe(Command.withDescription("Create a user (no invitation e-mail unless --send-invite).")),
  Command.make(
    "delete",
    { ...common, id: intId("user-id") },
    (args) =>
      Effect.flatMap(Users.Users, (s) => s.delete(args.id)).pipe(
        Effect.zipRight(Output.print(args.json, { deleted: args.id }, () => `deleted user ${args.id}`)),
        Connection.provide
      )
  ).pipe(Command.withDescription("Delete a user.")),
  Command.make(
    "update",
    {
      ...common,
      id: intId("user-id"),
      name: Fields.optionalText("name", "the new name"),
      email: Fields.optionalText("email", "the new e-mail address"),
      role: Fields.optionalText("role", "Admin, Privileged, Editor, Participant, Social…"),
      title: Fields.optionalText("title", "job title"),
      phone: Fields.optionalText("phone", "phone number"),
      location: Fields.optionalText("location", "where they work"),
      timezone: Fields.optionalText("timezone", "e.g. Europe/Paris"),
      locale: Fields.optionalText("locale", "e.g. en-US"),
      employeeNumber: Fields.optionalText("employee-number", "employee number")
    },
    (args) =>
      Effect.gen(function*() {
        const changes = yield* Fields.requireSome("users update", {
          name: Fields.opt(args.name),
          email: Fields.opt(args.email),
          role: Fields.opt(args.role),
          title: Fields.opt(args.title),
          phone: Fields.opt(args.phone),
          location: Fields.opt(args.location),
          timezone: Fields.opt(args.timezone),
          locale: Fields.opt(args.locale),
          employeeNumber: Fields.opt(args.employeeNumber)
        })
        const user = yield* (yield* Users.Users).update(args.id, changes)
        yield* Output.print(args.json, user, Output.record)
      }).pipe(Connection.provide)
  ).pipe(Command.withDescription("Update a user: only the fields given change."))
] as const

const membership = (name: "add-member" | "remove-member") =>
  Command.make(name, { ...common, id: intId("group-id"), userId: intId("user-id") }, (args) =>
    Effect.flatMap(
      Groups.Groups,
      (s) => name === "add-member" ? s.addMember(args.id, args.userId) : s.removeMember(args.id, args.userId)
    ).pipe(
      Effect.zipRight(
        Output.print(
          args.json,
          { group: args.id, user: args.userId, [name === "add-member" ? "added" : "removed"]: true },
          () => `${name === "add-member" ? "added" : "removed"} user ${args.userId} (group ${args.id})`
        )
      ),
      Connection.provide
    )).pipe(Command.withDescription(name === "add-member" ? "Add a user to a group." : "Remove a user from a group."))

const groupWrites = [
  Command.make(
    "create",
    { ...common, name: Options.text("name") },
    (args) =>
      Effect.flatMap(Groups.Groups, (s) => s.create({ name: args.name })).pipe(
        Effect.flatMap((g) => Output.print(args.json, g, (x) => `created group ${x.id}\n${Output.record(x)}`)),
        Connection.provide
      )
  ).pipe(Command.withDescription("Create a group.")),
  Command.make(
    "delete",
    { ...common, id: intId("group-id") },
    (args) =>
      Effect.flatMap(Groups.Groups, (s) => s.delete(args.id)).pipe(
        Effect.zipRight(Output.print(args.json, { deleted: args.id }, () => `deleted group ${args.id}`)),
        Connection.provide
      )
  ).pipe(Command.withDescription("Delete a group.")),
  Command.make(
    "update",
    {
      ...common,
      id: intId("group-id"),
      name: Fields.optionalText("name", "the new name"),
      active: Fields.optionalFlag("active", "whether the group is active")
    },
    (args) =>
      Effect.gen(function*() {
        const changes = yield* Fields.requireSome("groups update", {
          name: Fields.opt(args.name),
          active: Fields.opt(args.active)
        })
        const group = yield* (yield* Groups.Groups).update(args.id, changes)
        yield* Output.print(args.json, group, Output.record)
      }).pipe(Connection.provide)
  ).pipe(Command.withDescription("Update a group: only the fields given change.")),
  membership("add-member"),
  membership("remove-member")
] as const

const users = Command.make("users").pipe(
  Command.withDescription("Users: list, get, create, update, delete."),
  Command.withSubcommands([
    Command.make(
      "list",
      { ...common, limit },
      (args) =>
        Effect.flatMap(Users.Users, (s) => take(s.list(), args.limit)).pipe(
          Effect.flatMap((xs) =>
            Output.print(
              args.json,
              xs,
              (us) => Output.table(us.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role })))
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List users.")),
    Command.make(
      "get",
      { ...common, id: intId("user-id") },
      (args) =>
        Effect.flatMap(Users.Users, (s) => s.get(args.id)).pipe(
          Effect.flatMap((u) => Output.print(args.json, u, Output.record)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show one user.")),
    ...userWrites
  ])
)

const groups = Command.make("groups").pipe(
  Command.withDescription("Groups: list, get, members, create, update, delete, add-member, remove-member."),
  Command.withSubcommands([
    Command.make(
      "list",
      { ...common, limit },
      (args) =>
        Effect.flatMap(Groups.Groups, (s) => take(s.list(), args.limit)).pipe(
          Effect.flatMap((xs) =>
            Output.print(
              args.json,
              xs,
              (gs) =>
                Output.table(gs.map((g) => ({ id: g.id, name: g.name, members: g.memberCount, active: g.active })))
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List groups.")),
    Command.make(
      "get",
      { ...common, id: intId("group-id") },
      (args) =>
        Effect.flatMap(Groups.Groups, (s) => s.get(args.id)).pipe(
          Effect.flatMap((g) => Output.print(args.json, g, Output.record)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show one group.")),
    Command.make(
      "members",
      { ...common, id: intId("group-id"), limit },
      (args) =>
        Effect.flatMap(Groups.Groups, (s) => take(s.members(args.id), args.limit)).pipe(
          Effect.flatMap((ids) => Output.print(args.json, ids, (xs) => Output.table(xs.map((userId) => ({ userId }))))),
          Connection.provide
        )
    ).pipe(Command.withDescription("List the user ids of a group's members.")),
    ...groupWrites
  ])
)

const flatten = (nodes: ReadonlyArray<PageModels.PageTreeNode>, depth = 0): Array<Record<string, unknown>> =>
  nodes.flatMap((n) => [{ id: n.id, name: `${"  ".repeat(depth)}${n.name ?? ""}` }, ...flatten(n.children, depth + 1)])

const pages = Command.make("pages").pipe(
  Command.withDescription("Pages: list (as a tree), get, create, update, delete, collections."),
  Command.withSubcommands([
    Command.make(
      "list",
      { ...common, limit },
      (args) =>
        Effect.flatMap(Pages.Pages, (s) => take(s.list(), args.limit)).pipe(
          Effect.flatMap((xs) => Output.print(args.json, xs, (ps) => Output.table(flatten(ps), ["id", "name"]))),
          Connection.provide
        )
    ).pipe(Command.withDescription("List pages with their subpages.")),
    Command.make(
      "get",
      { ...common, id: intId("page-id") },
      (args) =>
        Effect.flatMap(Pages.Pages, (s) => s.get(args.id)).pipe(
          Effect.flatMap((p) => Output.print(args.json, p, Output.record)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show one page.")),
    ...PagesCommands.subcommands
  ])
)

const accounts = Command.make("accounts").pipe(
  Command.withDescription(
    "Accounts (data provider credentials; their secrets are never shown): list, get, create, update, delete, share, types."
  ),
  Command.withSubcommands([
    Command.make(
      "list",
      { ...common, limit },
      (args) =>
        Effect.flatMap(Accounts.Accounts, (s) => take(s.list(), args.limit)).pipe(
          Effect.flatMap((xs) =>
            Output.print(
              args.json,
              xs,
              (as) => Output.table(as.map((a) => ({ id: a.id, name: a.name, type: a.type?.id, valid: a.valid })))
            )
          ),
          Connection.provide
        )
    ).pipe(Command.withDescription("List accounts.")),
    Command.make(
      "get",
      { ...common, id: Args.text({ name: "account-id" }) },
      (args) =>
        Effect.flatMap(Accounts.Accounts, (s) => s.get(args.id)).pipe(
          Effect.flatMap((a) => Output.print(args.json, a, Output.record)),
          Connection.provide
        )
    ).pipe(Command.withDescription("Show one account.")),
    ...AccountsCommands.subcommands
  ])
)

const parseInstant = (name: string, text: string): Effect.Effect<Date, ErrorReport.InputError> => {
  const relative = /^(\d+)\s*([smhd])$/.exec(text.trim())
  if (relative !== null) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as "s" | "m" | "h" | "d"]
    return Effect.succeed(new Date(Date.now() - Number(relative[1]) * unit))
  }
  const date = new Date(text)
  return Number.isNaN(date.getTime())
    ? Effect.fail(new ErrorReport.InputError({ reason: `${name}: expected an ISO date or an age like 30m, 2h, 7d` }))
    : Effect.succeed(date)
}

const audit = Command.make(
  "audit",
  {
    ...common,
    since: Options.text("since").pipe(
      Options.withDescription("start: an ISO date or an age (30m, 2h, 7d)"),
      Options.withDefault("1d")
    ),
    until: Options.text("until").pipe(Options.withDescription("end: an ISO date or an age"), Options.optional),
    user: Options.integer("user").pipe(Options.withDescription("only this user's entries"), Options.optional),
    limit
  },
  (args) =>
    Effect.gen(function*() {
      const start = yield* parseInstant("--since", args.since)
      const end = Option.isSome(args.until) ? yield* parseInstant("--until", args.until.value) : undefined
      const log = yield* ActivityLog.ActivityLog
      const entries = log.entries({ start, end, userId: Option.getOrUndefined(args.user) })
      const rows = Option.match(args.limit, { onNone: () => entries, onSome: (n) => Stream.take(entries, n) }).pipe(
        Stream.map((e) => ({
          time: DateTime.formatIso(e.time),
          user: e.userName ?? e.userId ?? "",
          action: e.actionType ?? "",
          objectType: e.objectType ?? "",
          objectId: e.objectId ?? "",
          object: e.objectName ?? ""
        }))
      )
      yield* Output.rows(args.json, rows)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("The activity log (what was done, by whom, when): a table, or NDJSON with --json."))

/**
 * The directory and audit commands.
 *
 * @since 0.1.0
 * @category commands
 */
export const commands = [users, groups, pages, accounts, audit] as const
