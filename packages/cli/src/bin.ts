#!/usr/bin/env node
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { main } from "./Cli.js"
import { ExitCode } from "./ErrorReport.js"

// The libraries log warnings (e.g. a failed token fetch) that the one-line error report already
// says; logs appear only when asked for with DOMO_LOG=debug|info|warning|error.
const level = LogLevel.allLevels.find((l) => l.label.toLowerCase() === (process.env["DOMO_LOG"] ?? "").toLowerCase())

// The reader of stdout went away (`domo datasets export … | head`): stop quietly, as Unix tools
// do. Node reports it as an 'error' event on stdout, possibly after the write that caused it.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(ExitCode.ok)
  throw error
})

main(process.argv).pipe(
  Logger.withMinimumLogLevel(level ?? LogLevel.None),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    // `main` reports every failure itself (one line, an exit code per kind): no second raw report
    disableErrorReporting: true,
    // Ctrl-C interrupts the program (an upload in flight is aborted on Domo): exit 130; otherwise
    // `main` has set process.exitCode and the process ends when its output is flushed
    teardown: (exit, onExit) => {
      if (Exit.isFailure(exit)) {
        if (Cause.isInterruptedOnly(exit.cause)) process.stderr.write("domo: interrupted\n")
        onExit(Cause.isInterruptedOnly(exit.cause) ? ExitCode.interrupted : ExitCode.unexpected)
      } else onExit(0)
    }
  })
)
