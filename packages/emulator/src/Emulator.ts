/**
 * The emulator's public face: {@link layer}, a scoped `Layer` for tests that starts a real
 * HTTP server on loopback (port 0 by default) and provides the {@link Emulator} service with its
 * URL, a demo client and the admin controls; and {@link make} for the `domo-emulator` bin.
 *
 * @since 0.1.0
 */
import { DomoConfig, DomoScope } from "@effect-domo/client"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlError from "@effect/sql/SqlError"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Https from "node:https"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Auth from "./Auth.js"
import * as Faults from "./Faults.js"
import * as RequestLog from "./RequestLog.js"
import * as RouteFamily from "./RouteFamily.js"
import * as Server from "./Server.js"
import * as Tls from "./Tls.js"

/**
 * How to start an emulator. Every field is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorOptions {
  /** port to listen on; `0` (default) picks a free one */
  readonly port?: number | undefined
  /** interface to listen on (default `127.0.0.1`) */
  readonly host?: string | undefined
  /** SQLite file to keep everything in (survives a restart); default: in memory */
  readonly dataFile?: string | undefined
  /** seed of every random choice (ids, toes, random faults); default: from the clock */
  readonly seed?: number | undefined
  /** lifetime of issued tokens in seconds (default 3600; Domo answers `expires_in` 3599 or so) */
  readonly tokenLifetimeSeconds?: number | undefined
  /** the demo client's id and secret (default: generated, kept in the data file) */
  readonly clientId?: string | undefined
  readonly clientSecret?: string | Redacted.Redacted<string> | undefined
  /** the demo client's scopes (default: every scope) */
  readonly scopes?: ReadonlyArray<DomoScope.DomoScope> | undefined
  /** the instance name tokens carry (default `emulator`) */
  readonly customer?: string | undefined
  /** more clients to register */
  readonly clients?: ReadonlyArray<Auth.ClientSpec> | undefined
  /** faults from the start */
  readonly faults?: Faults.FaultSettings | undefined
  /** serve https with a self-signed certificate; its CA is written to `caFile` (default: a temp file) */
  readonly tls?: boolean | { readonly caFile?: string | undefined } | undefined
  /** largest accepted request body in bytes (default 1 GiB) */
  readonly maxBodyBytes?: number | undefined
  /**
   * `live` (default): the server keeps real time even inside tests that use the `TestClock`.
   * `inherit`: it uses the Clock of the fiber that builds it.
   */
  readonly clock?: "live" | "inherit" | undefined
}

/**
 * A running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorService {
  /** base URL, e.g. `http://127.0.0.1:50123` (what `DomoConfig.apiHost` takes) */
  readonly url: string
  readonly host: string
  readonly port: number
  /** the demo client, granted `scopes` */
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly scopes: ReadonlyArray<DomoScope.DomoScope>
  readonly userId: number
  readonly customer: string
  /** with `tls`: the CA certificate (PEM) clients must trust, and the file it was written to */
  readonly ca?: string | undefined
  readonly caFile?: string | undefined
  /** register (or replace) a client */
  readonly registerClient: (client: Auth.ClientSpec) => Effect.Effect<void, SqlError.SqlError>
  /** revoke tokens: one (by value or jti), a client's, or all; returns how many */
  readonly revokeTokens: (
    which: { readonly token: string } | { readonly jti: string } | { readonly clientId: string } | "all"
  ) => Effect.Effect<number, SqlError.SqlError>
  /** make issued tokens expire now (all, or one client's); returns how many */
  readonly expireTokens: (clientId?: string | undefined) => Effect.Effect<number, SqlError.SqlError>
  /** lifetime (seconds) of tokens issued from now on */
  readonly tokenLifetime: Ref.Ref<number>
  readonly faults: Faults.Faults["Type"]
  readonly requestLog: RequestLog.RequestLog["Type"]
  /** the emulator's database (for tests that look at stored rows) */
  readonly sql: SqlClient.SqlClient
}

/**
 * The running emulator.
 *
 * @since 0.1.0
 * @category services
 */
export class Emulator extends Context.Tag("@effect-domo/emulator/Emulator")<Emulator, EmulatorService>() {}

const DEMO_USER_ID = 1
const DEMO_USER_NAME = "Emulator Admin"

const randomHex = (length: number) =>
  Effect.map(
    Effect.all(Array.from({ length }, () => Random.nextIntBetween(0, 16))),
    (digits) => digits.map((d) => d.toString(16)).join("")
  )

const demoCredentials = (options: EmulatorOptions) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    if (options.clientId !== undefined && options.clientSecret !== undefined) {
      const secret = typeof options.clientSecret === "string"
        ? options.clientSecret
        : Redacted.value(options.clientSecret)
      return { clientId: options.clientId, clientSecret: secret }
    }
    const stored = yield* sql<{ key: string; value: string }>`
      SELECT key, value FROM emulator_meta WHERE key IN ('demo_client_id', 'demo_client_secret')`
    const id = stored.find((r) => r.key === "demo_client_id")?.value
    const secret = stored.find((r) => r.key === "demo_client_secret")?.value
    if (id !== undefined && secret !== undefined) return { clientId: id, clientSecret: secret }
    // Domo's client ids are UUIDs and its secrets 64 hex digits.
    const clientId = yield* Auth.randomUuid
    const clientSecret = yield* randomHex(64)
    yield* sql`INSERT OR REPLACE INTO emulator_meta (key, value) VALUES ('demo_client_id', ${clientId})`
    yield* sql`INSERT OR REPLACE INTO emulator_meta (key, value) VALUES ('demo_client_secret', ${clientSecret})`
    return { clientId, clientSecret }
  })

/**
 * The emulator could not start: the port is taken, the data file cannot be opened, the TLS
 * certificate cannot be made.
 *
 * @since 0.1.0
 * @category errors
 */
export class EmulatorStartError extends Data.TaggedError("EmulatorStartError")<{
  readonly message: string
  readonly cause: unknown
}> {}

/**
 * Start an emulator in the current scope (it stops when the scope closes).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: EmulatorOptions = {}
): Effect.Effect<EmulatorService, EmulatorStartError, Scope.Scope> =>
  // better-sqlite3 throws (a defect) on a data file it cannot open: a start error too
  Effect.mapError(Effect.catchAllDefect(start(options), Effect.fail), (cause) =>
    new EmulatorStartError({
      message: `The Domo emulator could not start: ${
        typeof cause === "object" && cause !== null && "message" in cause ? String(cause.message) : String(cause)
      }`,
      cause
    }))

const start = (options: EmulatorOptions) =>
  Effect.gen(function*() {
    const seed = options.seed ?? (yield* Clock.currentTimeMillis)
    const random = Random.make(seed)
    const sqlContext = yield* Layer.build(SqliteClient.layer({ filename: options.dataFile ?? ":memory:" }))
    const sql = Context.get(sqlContext, SqlClient.SqlClient)
    const local = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(Effect.provide(sqlContext), Effect.withRandom(random))

    // WAL (set by SqliteClient) with synchronous=NORMAL: no fsync per commit, still never corrupt
    yield* sql`PRAGMA synchronous = NORMAL`
    yield* local(Server.migrateAll)
    const tokens = yield* local(Auth.make({ tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600 }))
    const customer = options.customer ?? "emulator"
    const scopes = options.scopes ?? DomoScope.all
    const demo = yield* local(demoCredentials(options))
    yield* local(tokens.register({
      ...demo,
      scopes,
      userId: DEMO_USER_ID,
      userName: DEMO_USER_NAME,
      role: "Admin",
      customer
    }))
    for (const client of options.clients ?? []) yield* local(tokens.register(client))
    const faults = yield* Faults.make((seconds) => Ref.set(tokens.lifetime, seconds))
    if (options.faults !== undefined) yield* faults.set(options.faults)
    const requestLog = yield* RequestLog.make

    const tls = options.tls === undefined || options.tls === false
      ? undefined
      : yield* Tls.make(typeof options.tls === "object" ? options.tls.caFile : undefined)
    const host = options.host ?? "127.0.0.1"
    const nodeServer: Http.Server = tls === undefined
      ? Http.createServer()
      : Https.createServer({ key: tls.key, cert: tls.cert })
    // Keep idle connections longer than clients do (undici: 4 s), as load balancers in front of
    // real APIs do, so a client never reuses a socket the server is closing at that moment.
    nodeServer.keepAliveTimeout = 65_000
    nodeServer.headersTimeout = 66_000
    const server = yield* NodeHttpServer.make(() => nodeServer, { port: options.port ?? 0, host })
    // runs before the server's own close: open keep-alive connections must not hold the stop
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const clock = options.clock === "inherit" ? yield* Effect.clock : Clock.make()
    // work that outlives a request (asynchronous commits) stops with the emulator
    const background = yield* FiberSet.make()
    const app = Server.makeApp({ maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 * 1024 }).pipe(
      Effect.provide(sqlContext),
      Effect.provideService(Auth.Tokens, tokens),
      Effect.provideService(Faults.Faults, faults),
      Effect.provideService(RouteFamily.Background, background),
      Effect.provideService(RequestLog.RequestLog, requestLog),
      Effect.withRandom(random),
      Effect.withClock(clock)
    )
    yield* HttpServer.serveEffect(app).pipe(Effect.provideService(HttpServer.HttpServer, server))
    const address = server.address
    const port = address._tag === "TcpAddress" ? address.port : 0
    const urlHost = host.includes(":") ? `[${host}]` : host
    return {
      url: `${tls === undefined ? "http" : "https"}://${urlHost === "0.0.0.0" ? "127.0.0.1" : urlHost}:${port}`,
      host,
      port,
      clientId: demo.clientId,
      clientSecret: Redacted.make(demo.clientSecret),
      scopes,
      userId: DEMO_USER_ID,
      customer,
      ca: tls?.cert,
      caFile: tls?.caFile,
      registerClient: (client) => local(tokens.register(client)),
      revokeTokens: (which) => local(tokens.revoke(which)),
      expireTokens: (clientId) => local(tokens.expire(clientId).pipe(Effect.withClock(clock))),
      tokenLifetime: tokens.lifetime,
      faults,
      requestLog,
      sql
    } satisfies EmulatorService
  })

/**
 * A scoped layer running an emulator (port 0 by default) for the layer's lifetime.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: EmulatorOptions = {}): Layer.Layer<Emulator, EmulatorStartError> =>
  Layer.scoped(Emulator, make(options))

/**
 * The emulator together with the matching `DomoConfig` (its URL and demo client), so a test
 * needs only `Domo.layer` and an `HttpClient` on top. The config is the one value the emulator
 * takes from the client package besides schemas: it is configuration, not a service.
 *
 * @example
 * ```ts
 * import { Domo } from "@effect-domo/client"
 * import { Emulator } from "@effect-domo/emulator"
 * import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
 * import * as Layer from "effect/Layer"
 *
 * const TestDomo = Domo.layer.pipe(
 *   Layer.provideMerge(Emulator.layerWithConfig({ tokenLifetimeSeconds: 5 })),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithConfig = (
  options: EmulatorOptions & {
    /** the scopes the config asks for (default: every scope the demo client has) */
    readonly requestScopes?: ReadonlyArray<DomoScope.DomoScope> | undefined
    /** auth and retry policy of the config (defaults of `DomoConfig`) */
    readonly policy?: Pick<DomoConfig.Input, "auth" | "retry"> | undefined
  } = {}
): Layer.Layer<Emulator | DomoConfig.DomoConfig, EmulatorStartError> =>
  Layer.unwrapEffect(Effect.map(Emulator, (emulator) =>
    DomoConfig.layer({
      ...options.policy,
      apiHost: emulator.url,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      scopes: options.requestScopes
    }).pipe(
      // the emulator's own URL and client are always a valid configuration
      Layer.orDie
    ))).pipe(Layer.provideMerge(layer(options)))

/**
 * A temporary file path for a data file (tests of persistence).
 *
 * @since 0.1.0
 * @category utils
 */
export const tempDataFile = (name = "emulator"): string =>
  Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "domo-emulator-")), `${name}.sqlite`)
