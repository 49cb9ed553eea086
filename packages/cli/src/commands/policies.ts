/**
 * `domo datasets policies …`: a DataSet's PDP (personalized data permission) policies.
 *
 * @since 0.1.0
 */
import { DataSetModels, Datasets } from "@effect-domo/client"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Connection from "../Connection.js"
import * as ErrorReport from "../ErrorReport.js"
import * as Output from "../Output.js"

const common = { json: Output.json }
const datasetId = Args.text({ name: "dataset-id" }).pipe(Args.withDescription("the DataSet id"))
const policyId = Args.integer({ name: "policy-id" }).pipe(Args.withDescription("the policy id"))

/**
 * One line per policy, for tables.
 *
 * @since 0.1.0
 * @category formatting
 */
export const policyRow = (p: DataSetModels.Policy) => ({
  id: p.id,
  name: p.name,
  type: p.type,
  filters: p.filters.map((f) => `${f.column} ${f.not ? "NOT " : ""}${f.operator} ${f.values.join("|")}`).join("; "),
  users: p.users.join(","),
  groups: p.groups.join(",")
})

const ids = (text: string, what: string): Effect.Effect<Array<number>, ErrorReport.InputError> => {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "")
  const numbers = parts.map(Number)
  return numbers.every((n) => Number.isSafeInteger(n) && n >= 0)
    ? Effect.succeed(numbers)
    : Effect.fail(new ErrorReport.InputError({ reason: `${what}: expected comma-separated ids, got "${text}"` }))
}

const filterOptions = {
  name: Options.text("name").pipe(Options.withDescription("the policy's name")),
  column: Options.text("column").pipe(Options.withDescription("column the filter applies to"), Options.optional),
  values: Options.text("values").pipe(
    Options.withDescription("comma-separated values the column must match"),
    Options.optional
  ),
  operator: Options.text("operator").pipe(
    Options.withDescription(`how values match: ${DataSetModels.PolicyOperator.literals.join(", ")}`),
    Options.withDefault("EQUALS")
  ),
  not: Options.boolean("not").pipe(Options.withDescription("negate the filter")),
  users: Options.text("users").pipe(Options.withDescription("comma-separated user ids"), Options.optional),
  groups: Options.text("groups").pipe(Options.withDescription("comma-separated group ids"), Options.optional),
  type: Options.choice("type", ["user", "system"]).pipe(Options.withDefault("user"))
}

const body = (args: {
  readonly name: string
  readonly column: Option.Option<string>
  readonly values: Option.Option<string>
  readonly operator: string
  readonly not: boolean
  readonly users: Option.Option<string>
  readonly groups: Option.Option<string>
  readonly type: string
}): Effect.Effect<DataSetModels.CreatePolicy, ErrorReport.InputError> =>
  Effect.gen(function*() {
    const operator = DataSetModels.PolicyOperator.literals.find((o) => o === args.operator.toUpperCase())
    if (operator === undefined) {
      return yield* new ErrorReport.InputError({
        reason: `--operator: expected one of ${
          DataSetModels.PolicyOperator.literals.join(", ")
        }, got "${args.operator}"`
      })
    }
    if (Option.isSome(args.column) !== Option.isSome(args.values)) {
      return yield* new ErrorReport.InputError({ reason: "--column and --values go together" })
    }
    const filters = Option.isSome(args.column) && Option.isSome(args.values)
      ? [{
        column: args.column.value,
        values: args.values.value.split(",").map((s) => s.trim()),
        operator,
        not: args.not
      }]
      : []
    return {
      name: args.name,
      type: args.type,
      filters,
      users: Option.isSome(args.users) ? yield* ids(args.users.value, "--users") : [],
      groups: Option.isSome(args.groups) ? yield* ids(args.groups.value, "--groups") : []
    }
  })

const list = Command.make(
  "list",
  { ...common, id: datasetId },
  (args) =>
    Effect.flatMap(Datasets.Datasets, (d) => d.listPolicies(args.id)).pipe(
      Effect.flatMap((ps) => Output.print(args.json, ps, (xs) => Output.table(xs.map(policyRow)))),
      Connection.provide
    )
).pipe(Command.withDescription("List a DataSet's PDP policies."))

const get = Command.make(
  "get",
  { ...common, id: datasetId, policyId },
  (args) =>
    Effect.flatMap(Datasets.Datasets, (d) => d.getPolicy(args.id, args.policyId)).pipe(
      Effect.flatMap((p) => Output.print(args.json, p, (x) => Output.record(policyRow(x)))),
      Connection.provide
    )
).pipe(Command.withDescription("Show one PDP policy."))

const create = Command.make("create", { ...common, id: datasetId, ...filterOptions }, (args) =>
  Effect.gen(function*() {
    const policy = yield* body(args)
    const created = yield* Effect.flatMap(Datasets.Datasets, (d) => d.createPolicy(args.id, policy))
    yield* Output.print(args.json, created, (p) => `created policy ${p.id}\n${Output.record(policyRow(p))}`)
  }).pipe(Connection.provide)).pipe(
    Command.withDescription(
      "Create a PDP policy: --name \"West only\" --column region --values West --users 27"
    )
  )

const update = Command.make(
  "update",
  { ...common, id: datasetId, policyId, ...filterOptions },
  (args) =>
    Effect.gen(function*() {
      const policy = yield* body(args)
      const updated = yield* Effect.flatMap(Datasets.Datasets, (d) => d.updatePolicy(args.id, args.policyId, policy))
      yield* Output.print(args.json, updated, (p) => `updated policy ${p.id}\n${Output.record(policyRow(p))}`)
    }).pipe(Connection.provide)
).pipe(Command.withDescription("Replace a PDP policy's name, filter, users, groups."))

const del = Command.make(
  "delete",
  { ...common, id: datasetId, policyId },
  (args) =>
    Effect.flatMap(Datasets.Datasets, (d) => d.deletePolicy(args.id, args.policyId)).pipe(
      Effect.zipRight(
        Output.print(args.json, { deleted: args.policyId }, () => `deleted policy ${args.policyId} of ${args.id}`)
      ),
      Connection.provide
    )
).pipe(Command.withDescription("Delete a PDP policy."))

/**
 * `domo datasets policies`.
 *
 * @since 0.1.0
 * @category commands
 */
export const policies = Command.make("policies").pipe(
  Command.withDescription("PDP policies of a DataSet: list, get, create, update, delete."),
  Command.withSubcommands([list, get, create, update, del])
)
