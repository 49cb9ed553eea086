/**
 * The `domo` command tree.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"

/**
 * The root `domo` command; API families add their subcommands here as they land.
 *
 * @since 0.1.0
 * @category commands
 */
export const domo = Command.make("domo").pipe(
  Command.withDescription("Work with Domo's platform API (api.domo.com) from the shell.")
)

/**
 * Runs the command line with `process.argv`-style arguments.
 *
 * @since 0.1.0
 * @category running
 */
export const run = Command.run(domo, { name: "domo", version: "0.1.0" })
