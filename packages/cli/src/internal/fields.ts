/** @internal */
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ErrorReport from "../ErrorReport.js"

/**
 * `--name 1,2,3`: a comma-separated list of integer ids (an empty text is the empty list).
 *
 * @internal
 */
export const idListOption = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(`${description} (comma-separated ids)`), Options.optional)

/**
 * Parses what `idListOption` read; a bad id fails with an `InputError` (exit 8) before any call.
 *
 * @internal
 */
export const parseIds = (
  flag: string,
  text: Option.Option<string>
): Effect.Effect<ReadonlyArray<number> | undefined, ErrorReport.InputError> => {
  if (Option.isNone(text)) return Effect.succeed(undefined)
  const parts = text.value.split(",").map((s) => s.trim()).filter((s) => s !== "")
  const bad = parts.find((s) => !/^\d+$/.test(s))
  return bad === undefined
    ? Effect.succeed(parts.map(Number))
    : Effect.fail(new ErrorReport.InputError({ reason: `--${flag}: "${bad}" is not an id (expected e.g. 1,2,3)` }))
}

/**
 * An optional text option.
 *
 * @internal
 */
export const optionalText = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional)

/**
 * `--name true|false`: an optional boolean that can also be turned off (for updates).
 *
 * @internal
 */
export const optionalFlag = (name: string, description: string) =>
  Options.choice(name, ["true", "false"]).pipe(
    Options.withDescription(description),
    Options.optional,
    Options.map(Option.map((v) => v === "true"))
  )

/**
 * `Option` → `undefined` (the client's optional fields).
 *
 * @internal
 */
export const opt = Option.getOrUndefined

/**
 * Whether an update names at least one field: an empty update is bad input, not a no-op call.
 *
 * @internal
 */
export const requireSome = <A extends Record<string, unknown>>(
  what: string,
  fields: A
): Effect.Effect<A, ErrorReport.InputError> =>
  Object.values(fields).some((v) => v !== undefined)
    ? Effect.succeed(fields)
    : Effect.fail(new ErrorReport.InputError({ reason: `${what}: nothing to change (give at least one option)` }))
