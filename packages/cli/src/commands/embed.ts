/**
 * `domo embed card|story`: an embed token for a private embed (Domo Everywhere). The token is a
 * credential meant for the caller: it goes to stdout only, never into an error or a log.
 *
 * @since 0.1.0
 */
import { Embed, EmbedModels } from "@effect-domo/client"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Connection from "../Connection.js"
import * as ErrorReport from "../ErrorReport.js"
import * as Output from "../Output.js"

const isOperator = Schema.is(EmbedModels.EmbedFilterOperator)

/**
 * Parses `--filter column:OPERATOR:v1,v2` (the column may not contain `:`; values are text).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseFilter = (text: string): Effect.Effect<EmbedModels.EmbedFilter, ErrorReport.InputError> => {
  const first = text.indexOf(":")
  const second = first === -1 ? -1 : text.indexOf(":", first + 1)
  const column = text.slice(0, first)
  const operator = text.slice(first + 1, second)
  if (first <= 0 || second === -1) {
    return Effect.fail(
      new ErrorReport.InputError({ reason: `--filter "${text}": expected column:OPERATOR:value1,value2` })
    )
  }
  if (!isOperator(operator)) {
    return Effect.fail(
      new ErrorReport.InputError({
        reason: `--filter "${text}": unknown operator "${operator}" (one of ${
          EmbedModels.EmbedFilterOperator.literals.join(", ")
        })`
      })
    )
  }
  return Effect.succeed({ column, operator, values: text.slice(second + 1).split(",") })
}

const tokenCommand = (kind: Embed.EmbedKind) =>
  Command.make(
    kind,
    {
      json: Output.json,
      token: Options.text("token").pipe(
        Options.withDescription(`the ${kind}'s 5-character embed id (repeatable: one authorization each)`),
        Options.atLeast(1)
      ),
      permission: Options.choice("permission", EmbedModels.EmbedPermission.literals).pipe(
        Options.withDescription("READ, FILTER, EXPORT (repeatable; default READ)"),
        Options.repeated
      ),
      sessionLength: Options.integer("session-length").pipe(
        Options.withDescription(`minutes, 1..${EmbedModels.maxSessionLength} (Domo's default: the longest)`),
        Options.optional
      ),
      filter: Options.text("filter").pipe(
        Options.withDescription("a row filter column:OPERATOR:v1,v2, e.g. region:IN:West,East (repeatable)"),
        Options.repeated
      ),
      sqlFilter: Options.text("sql-filter").pipe(
        Options.withDescription("a SQL WHERE clause, e.g. \"region = 'West'\" (repeatable)"),
        Options.repeated
      )
    },
    (args) =>
      Effect.gen(function*() {
        const filters = yield* Effect.forEach(args.filter, parseFilter)
        const permissions = args.permission.length === 0 ? ["READ" as const] : args.permission
        const [first, ...rest] = args.token.map((token) => ({
          token,
          permissions,
          filters: filters.length === 0 ? undefined : filters,
          sqlFilters: args.sqlFilter.length === 0 ? undefined : args.sqlFilter.map((sqlFilter) => ({ sqlFilter }))
        }))
        const answer = yield* (yield* Embed.Embed).token(kind, {
          sessionLength: Option.getOrUndefined(args.sessionLength),
          authorizations: [first, ...rest]
        })
        // deliberately unwrapped here, and only here: the caller asked for this credential
        const authentication = Redacted.value(answer.authentication)
        yield* Output.print(args.json, { authentication }, (x) => x.authentication)
      }).pipe(Connection.provide)
  ).pipe(
    Command.withDescription(
      `Print an embed token for ${kind === "card" ? "cards" : "dashboards (stories)"}: POST it as the form ` +
        "field embedToken to the embed URL."
    )
  )

/**
 * `domo embed card|story`.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("embed").pipe(
  Command.withDescription("Embed tokens (Domo Everywhere private embeds) for cards and dashboards."),
  Command.withSubcommands([tokenCommand("card"), tokenCommand("story")])
)
