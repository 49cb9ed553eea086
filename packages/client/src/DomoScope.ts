/**
 * The OAuth scopes of Domo's public API, and the parsing of scope lists as users write them.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/**
 * One OAuth scope a Domo client can be granted. Which API family needs which scope:
 * `data` DataSets and Streams, `user` Users and Groups, `dashboard` Pages, `account` Accounts,
 * `audit` the Activity log, `workflow` Projects and Tasks, `buzz` Buzz integrations.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DomoScope = Schema.Literal("data", "user", "dashboard", "account", "audit", "buzz", "workflow")

/**
 * @since 0.1.0
 * @category models
 */
export type DomoScope = typeof DomoScope.Type

/**
 * Every scope, in the order Domo's client-creation API lists them.
 *
 * @since 0.1.0
 * @category constants
 */
export const all: ReadonlyArray<DomoScope> = DomoScope.literals

/**
 * A scope list as written in `DOMO_SCOPES` or a token response: separated by spaces and/or
 * commas, case-insensitive, duplicates removed. Fails naming the first unknown scope.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseList = (input: string): Either.Either<ReadonlyArray<DomoScope>, string> => {
  const seen = new Set<DomoScope>()
  for (const word of input.split(/[\s,]+/)) {
    if (word === "") continue
    const scope = word.toLowerCase()
    if (!Schema.is(DomoScope)(scope)) {
      return Either.left(`unknown scope "${word}" (expected one of: ${all.join(", ")})`)
    }
    seen.add(scope)
  }
  return Either.right(Array.from(seen))
}

/**
 * The wire form Domo's token endpoint takes and returns: space-separated.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (scopes: Iterable<DomoScope>): string => Array.from(scopes).join(" ")
