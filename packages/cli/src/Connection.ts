/**
 * Where the commands connect: the environment (`DOMO_CLIENT_ID`, `DOMO_CLIENT_SECRET`,
 * `DOMO_API_HOST`, `DOMO_SCOPES`), flags that override it (`--api-host`, `--client-id`,
 * `--client-secret`, `--scopes`), or `--emulator`: an emulator started in this process for the
 * duration of the command (`--emulator-data FILE` keeps its data between commands).
 *
 * @since 0.1.0
 */
import { Domo, DomoConfig } from "@effect-domo/client"
import * as UndiciTransport from "@effect-domo/client/UndiciTransport"
import type { Emulator } from "@effect-domo/emulator"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as ErrorReport from "./ErrorReport.js"

/**
 * The connection flags every API command takes.
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
  apiHost: Options.text("api-host").pipe(
    Options.withDescription("API origin (default $DOMO_API_HOST, else https://api.domo.com)"),
    Options.optional
  ),
  clientId: Options.text("client-id").pipe(
    Options.withDescription("OAuth client id (default $DOMO_CLIENT_ID)"),
    Options.optional
  ),
  clientSecret: Options.redacted("client-secret").pipe(
    Options.withDescription("OAuth client secret (default $DOMO_CLIENT_SECRET; prefer the variable)"),
    Options.optional
  ),
  scopes: Options.text("scopes").pipe(
    Options.withDescription("scopes to request, e.g. \"data user\" (default $DOMO_SCOPES, else all granted)"),
    Options.optional
  ),
  emulator: Options.boolean("emulator").pipe(
    Options.withDescription("run against an embedded Domo emulator started for this command")
  ),
  emulatorData: Options.text("emulator-data").pipe(
    Options.withDescription("SQLite file of the embedded emulator, kept between commands (implies --emulator)"),
    Options.optional
  )
}

/**
 * The root command with the connection flags: subcommands read them with `yield* root` (the
 * `@effect/cli` parent-config pattern); `hoist` lets users write them anywhere on the line.
 *
 * @since 0.1.0
 * @category commands
 */
export const root = Command.make("domo", options)

const valued: ReadonlySet<string> = new Set([
  "--api-host",
  "--client-id",
  "--client-secret",
  "--scopes",
  "--emulator-data"
])

/**
 * Moves the connection flags to the front of the arguments (after node and the script), so
 * `domo datasets list --emulator` means `domo --emulator datasets list`. Stops at `--`.
 *
 * @since 0.1.0
 * @category commands
 */
export const hoist = (argv: ReadonlyArray<string>): Array<string> => {
  const head = argv.slice(0, 2)
  const connection: Array<string> = []
  const rest: Array<string> = []
  const args = argv.slice(2)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === "--") {
      for (const a of args.slice(i)) rest.push(a)
      break
    }
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg
    if (arg === "--emulator") connection.push(arg)
    else if (valued.has(name)) {
      if (arg.includes("=") || i + 1 >= args.length) connection.push(arg)
      else connection.push(arg, args[++i])
    } else rest.push(arg)
  }
  return [...head, ...connection, ...rest]
}

/**
 * The parsed connection flags.
 *
 * @since 0.1.0
 * @category models
 */
export interface Flags {
  readonly apiHost: Option.Option<string>
  readonly clientId: Option.Option<string>
  readonly clientSecret: Option.Option<Redacted.Redacted<string>>
  readonly scopes: Option.Option<string>
  readonly emulator: boolean
  readonly emulatorData: Option.Option<string>
}

/**
 * Everything a connected command can use: the config, the token manager, the authenticated
 * client and every API service (`Domo.layer`, over the lean undici transport).
 *
 * @since 0.1.0
 * @category models
 */
export type Services = Layer.Layer.Success<typeof Domo.layer> | DomoConfig.DomoConfig

/**
 * Resolves the configuration: each flag given wins over its variable.
 *
 * @since 0.1.0
 * @category config
 */
export const configFromFlags = (flags: Flags): Effect.Effect<DomoConfig.Values, ConfigError.ConfigError> => {
  const overrides = new Map<string, string>()
  Option.map(flags.apiHost, (v) => overrides.set("DOMO_API_HOST", v))
  Option.map(flags.clientId, (v) => overrides.set("DOMO_CLIENT_ID", v))
  Option.map(flags.clientSecret, (v) => overrides.set("DOMO_CLIENT_SECRET", Redacted.value(v)))
  Option.map(flags.scopes, (v) => overrides.set("DOMO_SCOPES", v))
  const provider = ConfigProvider.fromMap(overrides, { pathDelim: "_" }).pipe(
    ConfigProvider.orElse(() => ConfigProvider.fromEnv())
  )
  return DomoConfig.config.pipe(
    Effect.withConfigProvider(provider),
    Effect.flatMap(DomoConfig.make)
  )
}

/**
 * Starts an embedded emulator in the current scope.
 *
 * @since 0.1.0
 * @category emulator
 */
export const startEmulator = (
  options: Emulator.EmulatorOptions = {}
): Effect.Effect<Emulator.EmulatorService, ErrorReport.EmulatorError, Scope.Scope> =>
  // loaded on demand: commands against Domo itself do not pay for SQLite and the server
  Effect.promise(() => import("@effect-domo/emulator")).pipe(
    Effect.flatMap(({ Emulator }) => Emulator.make(options)),
    Effect.mapError((error) =>
      new ErrorReport.EmulatorError({ reason: error instanceof Error ? error.message : String(error) })
    )
  )

/**
 * The config of a client talking to an emulator as its demo client.
 *
 * @since 0.1.0
 * @category emulator
 */
export const emulatorConfig = (
  emulator: Emulator.EmulatorService,
  input?: Partial<DomoConfig.Input> | undefined
): Effect.Effect<DomoConfig.Values, ConfigError.ConfigError> =>
  DomoConfig.make({ ...input, apiHost: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret })

/**
 * The client over undici, given its config.
 *
 * @since 0.1.0
 * @category layers
 */
export const clientLayer = (config: DomoConfig.Values): Layer.Layer<Services> =>
  Domo.layer.pipe(
    Layer.provideMerge(Layer.succeed(DomoConfig.DomoConfig, config)),
    Layer.provide(UndiciTransport.layer)
  )

/**
 * The connected services for a command's flags (an emulator runs as long as the layer).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (flags: Flags): Layer.Layer<Services, ConfigError.ConfigError | ErrorReport.EmulatorError> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      if (flags.emulator || Option.isSome(flags.emulatorData)) {
        const emulator = yield* startEmulator({ dataFile: Option.getOrUndefined(flags.emulatorData) })
        return clientLayer(yield* emulatorConfig(emulator))
      }
      return clientLayer(yield* configFromFlags(flags))
    })
  )

/**
 * Runs a subcommand's effect connected as the root command's flags say.
 *
 * @since 0.1.0
 * @category running
 */
export const provide = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<
  A,
  E | ConfigError.ConfigError | ErrorReport.EmulatorError,
  Exclude<R, Services> | Command.Command.Context<"domo">
> => Effect.flatMap(root, (flags) => Effect.provide(effect, layer(flags)))
