#!/usr/bin/env node
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { main } from "./Cli.js"

main(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  // `main` reports every failure itself (one line, an exit code per kind): no second raw report
  NodeRuntime.runMain({ disableErrorReporting: true })
)
