#!/usr/bin/env node
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { main } from "./Cli.js"

// The libraries log warnings (e.g. a failed token fetch) that the one-line error report already
// says; logs appear only when asked for with DOMO_LOG=debug|info|warning|error.
const level = LogLevel.allLevels.find((l) => l.label.toLowerCase() === (process.env["DOMO_LOG"] ?? "").toLowerCase())

main(process.argv).pipe(
  Logger.withMinimumLogLevel(level ?? LogLevel.None),
  Effect.provide(NodeContext.layer),
  // `main` reports every failure itself (one line, an exit code per kind): no second raw report
  NodeRuntime.runMain({ disableErrorReporting: true })
)
