/**
 * The `domo` command tree.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Datasets from "./commands/datasets.js"
import * as Directory from "./commands/directory.js"
import * as EmbedCommand from "./commands/embed.js"
import * as ProjectsCommand from "./commands/projects.js"
import * as StreamsCommand from "./commands/streams.js"
import * as Connection from "./Connection.js"
import * as Demo from "./Demo.js"
import * as ErrorReport from "./ErrorReport.js"

/**
 * The root `domo` command with every subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const domo = Connection.root.pipe(
  Command.withDescription(
    "Work with Domo's platform API (api.domo.com) from the shell. Connect with DOMO_CLIENT_ID, " +
      "DOMO_CLIENT_SECRET (and DOMO_API_HOST, DOMO_SCOPES), the matching flags, or --emulator. " +
      "Try `domo demo`."
  ),
  Command.withSubcommands([
    Datasets.command,
    StreamsCommand.command,
    ...Directory.commands,
    ProjectsCommand.command,
    EmbedCommand.command,
    Demo.command
  ])
)

/**
 * Runs the command line with `process.argv`-style arguments.
 *
 * @since 0.1.0
 * @category running
 */
export const run = Command.run(domo, { name: "domo", version: "0.1.0" })

/**
 * Runs the command line and turns every failure into its report: one line on stderr and the
 * exit code of its kind (set on `process.exitCode`; the returned effect never fails).
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>) =>
  run(Connection.hoist(argv)).pipe(
    Effect.catchAllCause((cause) =>
      Effect.sync(() => {
        const report = ErrorReport.ofCause(cause)
        if (report.line !== "") process.stderr.write(`${report.line}\n`)
        process.exitCode = report.code
      })
    )
  )
