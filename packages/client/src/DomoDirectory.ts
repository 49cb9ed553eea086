/**
 * What people ask for across the User, Group and DataSet APIs: find users by e-mail and groups
 * by name (Domo's API only looks them up by id), and give a DataSet's PDP policy to a group
 * named in words rather than by id.
 *
 * User lookups page through `Users.list` once and stop as soon as every e-mail asked for is
 * found; group lookups read the whole group list (a name must match one group only). E-mails match case-insensitively, group names exactly after trimming, then
 * case-insensitively when no exact match exists. Scopes: `user` for lookups, `user` and `data`
 * for policies (through `Datasets`); a token without them fails with `DomoError.ForbiddenError`.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as DataSetModels from "./DataSetModels.js"
import { Datasets } from "./Datasets.js"
import type * as DomoError from "./DomoError.js"
import type * as GroupModels from "./GroupModels.js"
import { Groups } from "./Groups.js"
import type * as UserModels from "./UserModels.js"
import { Users } from "./Users.js"

/**
 * No user with that e-mail, no group with that name, or no policy with that name.
 *
 * @since 0.1.0
 * @category errors
 */
export class NameNotFoundError extends Schema.TaggedError<NameNotFoundError>(
  "@effect-domo/client/DomoDirectory/NameNotFoundError"
)("NameNotFoundError", {
  kind: Schema.Literal("user", "group", "policy"),
  name: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `no ${this.kind} named "${this.name}"`
  }
}

/**
 * More than one group (or policy) carries that name: use an id instead.
 *
 * @since 0.1.0
 * @category errors
 */
export class AmbiguousNameError extends Schema.TaggedError<AmbiguousNameError>(
  "@effect-domo/client/DomoDirectory/AmbiguousNameError"
)("AmbiguousNameError", {
  kind: Schema.Literal("user", "group", "policy"),
  name: Schema.String,
  ids: Schema.Array(Schema.Union(Schema.Number, Schema.String))
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.ids.length} ${this.kind}s are named "${this.name}" (ids ${this.ids.join(", ")})`
  }
}

/**
 * What `grantPolicy` gives to the group.
 *
 * @since 0.1.0
 * @category models
 */
export interface GrantPolicy {
  /** the DataSet (its UUID) */
  readonly datasetId: string
  /** the group, by name */
  readonly groupName: string
  /** the policy, by name: an existing policy of that name gets the group added */
  readonly policyName: string
  /**
   * the filters of the policy, used when no policy of that name exists yet (it is created);
   * without them a missing policy is a `NameNotFoundError`
   */
  readonly filters?: ReadonlyArray<DataSetModels.PolicyFilter> | undefined
}

/**
 * The `DomoDirectory` service.
 *
 * @since 0.1.0
 * @category tags
 */
export class DomoDirectory extends Context.Tag("@effect-domo/client/DomoDirectory")<
  DomoDirectory,
  DomoDirectory.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace DomoDirectory {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** the user with this e-mail, if any (case-insensitive) */
    readonly findUserByEmail: (email: string) => Effect.Effect<Option.Option<UserModels.User>, DomoError.DomoError>
    /** the user with this e-mail, or `NameNotFoundError` */
    readonly userByEmail: (
      email: string
    ) => Effect.Effect<UserModels.User, DomoError.DomoError | NameNotFoundError>
    /** the users with these e-mails, in one pass over the user list (keys lower-cased; missing ones absent) */
    readonly usersByEmail: (
      emails: Iterable<string>
    ) => Effect.Effect<ReadonlyMap<string, UserModels.User>, DomoError.DomoError>
    /** the group with this name, if exactly one; `AmbiguousNameError` if several */
    readonly findGroupByName: (
      name: string
    ) => Effect.Effect<Option.Option<GroupModels.Group>, DomoError.DomoError | AmbiguousNameError>
    /** the group with this name, or `NameNotFoundError` / `AmbiguousNameError` */
    readonly groupByName: (
      name: string
    ) => Effect.Effect<GroupModels.Group, DomoError.DomoError | NameNotFoundError | AmbiguousNameError>
    /**
     * Gives a DataSet's PDP policy to a group named in words: adds the group to the policy of
     * that name, or creates the policy with `filters` and the group. Idempotent: granting twice
     * changes nothing. Returns the policy as Domo now has it.
     */
    readonly grantPolicy: (
      grant: GrantPolicy
    ) => Effect.Effect<DataSetModels.Policy, DomoError.DomoError | NameNotFoundError | AmbiguousNameError>
  }
}

const normalizeEmail = (email: string) => email.trim().toLowerCase()

/**
 * Builds the service on `Users`, `Groups` and `Datasets` (for the DataSet policies).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<DomoDirectory.Service, never, Users | Groups | Datasets> = Effect.gen(
  function*() {
    const users = yield* Users
    const groups = yield* Groups
    const datasets = yield* Datasets

    const usersByEmail = Effect.fn("DomoDirectory.usersByEmail")(function*(emails: Iterable<string>) {
      const wanted = new Set(Array.from(emails, normalizeEmail))
      const found = new Map<string, UserModels.User>()
      if (wanted.size === 0) return found as ReadonlyMap<string, UserModels.User>
      yield* users.list().pipe(
        Stream.takeUntil((user) => {
          const email = user.email === undefined ? undefined : normalizeEmail(user.email)
          if (email !== undefined && wanted.has(email) && !found.has(email)) found.set(email, user)
          return found.size === wanted.size
        }),
        Stream.runDrain
      )
      return found as ReadonlyMap<string, UserModels.User>
    })

    const findUserByEmail = (email: string) =>
      Effect.map(usersByEmail([email]), (found) => Option.fromNullable(found.get(normalizeEmail(email))))

    const userByEmail = (email: string) =>
      Effect.flatMap(
        findUserByEmail(email),
        Option.match({
          onNone: () => Effect.fail(new NameNotFoundError({ kind: "user", name: email })),
          onSome: Effect.succeed
        })
      )

    const findGroupByName = Effect.fn("DomoDirectory.findGroupByName")(function*(name: string) {
      const wanted = name.trim()
      const all = yield* Stream.runCollect(groups.list())
      const named = (exact: boolean) =>
        Array.from(all).filter((g) =>
          g.name !== undefined &&
          (exact ? g.name.trim() === wanted : g.name.trim().toLowerCase() === wanted.toLowerCase())
        )
      const exact = named(true)
      const matches = exact.length > 0 ? exact : named(false)
      if (matches.length > 1) {
        return yield* new AmbiguousNameError({ kind: "group", name, ids: matches.map((g) => g.id) })
      }
      return Option.fromNullable(matches[0])
    })

    const groupByName = (name: string) =>
      Effect.flatMap(
        findGroupByName(name),
        Option.match({
          onNone: () => Effect.fail(new NameNotFoundError({ kind: "group", name })),
          onSome: Effect.succeed
        })
      )

    const grantPolicy = Effect.fn("DomoDirectory.grantPolicy")(function*(grant: GrantPolicy) {
      yield* Effect.annotateCurrentSpan({ "domo.dataset.id": grant.datasetId })
      // the DataSet first: a wrong id fails before the group list is paged through
      const policies = yield* datasets.listPolicies(grant.datasetId)
      const group = yield* groupByName(grant.groupName)
      const named = policies.filter((p) => p.name === grant.policyName)
      if (named.length > 1) {
        return yield* new AmbiguousNameError({ kind: "policy", name: grant.policyName, ids: named.map((p) => p.id) })
      }
      const existing = named[0]
      if (existing !== undefined) {
        if (existing.groups.includes(group.id)) return existing
        return yield* datasets.updatePolicy(grant.datasetId, existing.id, { groups: [...existing.groups, group.id] })
      }
      if (grant.filters === undefined) {
        return yield* new NameNotFoundError({ kind: "policy", name: grant.policyName })
      }
      return yield* datasets.createPolicy(grant.datasetId, {
        name: grant.policyName,
        type: "user",
        filters: grant.filters,
        users: [],
        groups: [group.id]
      })
    })

    return DomoDirectory.of({
      findUserByEmail,
      userByEmail,
      usersByEmail,
      findGroupByName,
      groupByName,
      grantPolicy
    })
  }
)

/**
 * The `DomoDirectory` service, needing `Users`, `Groups` and `Datasets`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<DomoDirectory, never, Users | Groups | Datasets> = Layer.effect(
  DomoDirectory,
  make
)
