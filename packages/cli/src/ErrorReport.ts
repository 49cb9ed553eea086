/**
 * How `domo` reports a failure: one clear line on stderr (with Domo's `toe` id when Domo sent
 * one), never a stack trace for an expected error, never a secret, and an exit code per kind of
 * error so scripts can tell a bad credential from a missing file.
 *
 * @since 0.1.0
 */
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * A local file that cannot be read or written (missing, a directory, no permission).
 *
 * @since 0.1.0
 * @category errors
 */
export class FileError extends Schema.TaggedError<FileError>("@effect-domo/cli/FileError")("FileError", {
  path: Schema.String,
  reason: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `${this.path}: ${this.reason}`
  }
}

/**
 * Input the command cannot use: a bad argument value, a CSV that does not fit, a schema file
 * that does not parse.
 *
 * @since 0.1.0
 * @category errors
 */
export class InputError extends Schema.TaggedError<InputError>("@effect-domo/cli/InputError")("InputError", {
  reason: Schema.String
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return this.reason
  }
}

/**
 * A check the command makes on what the API returned did not hold (e.g. the demo's export
 * verification).
 *
 * @since 0.1.0
 * @category errors
 */
export class VerificationError
  extends Schema.TaggedError<VerificationError>("@effect-domo/cli/VerificationError")("VerificationError", {
    reason: Schema.String
  })
{
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `verification failed: ${this.reason}`
  }
}

/**
 * The embedded emulator (`--emulator`, `domo demo`) could not start.
 *
 * @since 0.1.0
 * @category errors
 */
export class EmulatorError extends Schema.TaggedError<EmulatorError>("@effect-domo/cli/EmulatorError")(
  "EmulatorError",
  { reason: Schema.String }
) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return `the embedded emulator could not start: ${this.reason}`
  }
}

/**
 * The reader of stdout went away (`domo datasets export … | head`): the command stops quietly
 * with exit 0, as Unix tools do.
 *
 * @since 0.1.0
 * @category errors
 */
export class OutputClosedError
  extends Schema.TaggedError<OutputClosedError>("@effect-domo/cli/OutputClosedError")("OutputClosedError", {})
{}

/**
 * The errors the CLI itself raises.
 *
 * @since 0.1.0
 * @category errors
 */
export type CliError = FileError | InputError | VerificationError | EmulatorError | OutputClosedError

/**
 * Exit codes, one per kind of error (documented in docs/cli.md).
 *
 * @since 0.1.0
 * @category exit codes
 */
export const ExitCode = {
  ok: 0,
  /** a bug: an unexpected defect (the only case that prints more than one line) */
  unexpected: 1,
  /** bad command line: unknown command, missing or invalid argument or flag */
  usage: 2,
  /** missing or invalid configuration: credentials, API host, scopes */
  config: 3,
  /** Domo rejected the credentials or the token (invalid client, scope not granted, 401) */
  auth: 4,
  /** the token lacks the permission for this call (403) */
  forbidden: 5,
  /** the dataset, stream, user… does not exist (404) */
  notFound: 6,
  /** Domo rejected the request (400, 409, other 4xx) */
  rejected: 7,
  /** local input: a missing or unreadable file, a CSV that does not match the schema */
  input: 8,
  /** rate limited (429, or Domo's 403 "API Rate limit reached") after retries */
  rateLimited: 9,
  /** Domo unreachable or failing: transport, timeout, 5xx, token endpoint unavailable */
  unavailable: 10,
  /** Domo answered something the client cannot read (a body that does not match its schema) */
  badResponse: 11,
  /** a verification made by the command failed (e.g. `domo demo` reading back its data) */
  verification: 12,
  /** interrupted (Ctrl-C) */
  interrupted: 130
} as const

/**
 * @since 0.1.0
 * @category exit codes
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

const codeOfTag: Record<string, ExitCode> = {
  InvalidClientError: ExitCode.auth,
  ScopeNotGrantedError: ExitCode.auth,
  UnauthorizedError: ExitCode.auth,
  TokenEndpointUnavailableError: ExitCode.unavailable,
  MalformedTokenResponseError: ExitCode.badResponse,
  ForbiddenError: ExitCode.forbidden,
  NotFoundError: ExitCode.notFound,
  BadRequestError: ExitCode.rejected,
  ConflictError: ExitCode.rejected,
  RateLimitedError: ExitCode.rateLimited,
  ServerError: ExitCode.unavailable,
  TransportError: ExitCode.unavailable,
  TimeoutError: ExitCode.unavailable,
  DecodeError: ExitCode.badResponse,
  CsvDecodeError: ExitCode.input,
  CsvEncodeError: ExitCode.input,
  SchemaMismatch: ExitCode.input,
  FileError: ExitCode.input,
  InputError: ExitCode.input,
  VerificationError: ExitCode.verification,
  EmulatorError: ExitCode.unavailable
}

// an upload failure is as serious as its cause: bad input, or the Domo error behind a part
const streamUploadCode = (error: object): ExitCode => {
  const stage = Predicate.hasProperty(error, "stage") ? error.stage : undefined
  if (stage === "input" || stage === "schema") return ExitCode.input
  if (stage === "verify") return ExitCode.verification
  const cause = Predicate.hasProperty(error, "cause") ? error.cause : undefined
  const tag = Predicate.hasProperty(cause, "_tag") && typeof cause._tag === "string" ? cause._tag : undefined
  return (tag === undefined ? undefined : codeOfTag[tag]) ?? ExitCode.unavailable
}

const labelOfCode: Record<number, string> = {
  [ExitCode.auth]: "authentication failed",
  [ExitCode.unexpected]: "error",
  [ExitCode.forbidden]: "forbidden",
  [ExitCode.notFound]: "not found",
  [ExitCode.rejected]: "rejected by Domo",
  [ExitCode.input]: "bad input",
  [ExitCode.rateLimited]: "rate limited",
  [ExitCode.unavailable]: "Domo unavailable",
  [ExitCode.badResponse]: "unexpected response",
  [ExitCode.verification]: "verification failed",
  [ExitCode.config]: "configuration"
}

/**
 * What to print and how to exit.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly code: number
  /** the line for stderr (without the trailing newline); empty when nothing is to be printed */
  readonly line: string
}

// Config errors name env variables; say which flag sets each too.
const flagOf: Record<string, string> = {
  DOMO_CLIENT_ID: "--client-id",
  DOMO_CLIENT_SECRET: "--client-secret",
  DOMO_API_HOST: "--api-host",
  DOMO_SCOPES: "--scopes"
}

const describeConfigError = (error: ConfigError.ConfigError): string => {
  const missing: Array<string> = []
  const invalid: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      case "MissingData": {
        const name = e.path.join("_")
        missing.push(flagOf[name] === undefined ? name : `${name} (or ${flagOf[name]})`)
        return
      }
      case "InvalidData":
      case "SourceUnavailable":
      case "Unsupported": {
        const name = e.path.join("_")
        invalid.push(`${name === "" ? "" : `${name}: `}${e.message}`)
        return
      }
    }
  }
  walk(error)
  const parts: Array<string> = []
  if (missing.length > 0) parts.push(`missing ${[...new Set(missing)].join(", ")}`)
  if (invalid.length > 0) parts.push(`invalid ${[...new Set(invalid)].join("; ")}`)
  return `configuration: ${parts.join("; ")} (or use --emulator)`
}

const messageOf = (error: unknown): string =>
  Predicate.hasProperty(error, "message") && typeof error.message === "string" && error.message !== ""
    ? error.message
    : String(error)

/**
 * Classifies one failure value.
 *
 * @since 0.1.0
 * @category reporting
 */
export const ofError = (error: unknown): Report => {
  if (ValidationError.isValidationError(error)) {
    // @effect/cli has already printed its own message (with the usage) to the console
    return { code: ExitCode.usage, line: "" }
  }
  if (error instanceof OutputClosedError) return { code: ExitCode.ok, line: "" }
  if (ConfigError.isConfigError(error)) {
    return { code: ExitCode.config, line: `domo: ${describeConfigError(error)}` }
  }
  if (Predicate.hasProperty(error, "_tag") && typeof error._tag === "string") {
    const code = error._tag === "StreamUploadError" ? streamUploadCode(error) : codeOfTag[error._tag]
    if (code !== undefined) {
      // the Domo errors' messages already carry method, path, status, detail and `[toe …]`
      return { code, line: `domo: ${labelOfCode[code] ?? "error"}: ${messageOf(error)}` }
    }
  }
  return { code: ExitCode.unexpected, line: `domo: unexpected error: ${messageOf(error)}` }
}

/**
 * Classifies a whole `Cause`: a typed failure gives its kind's code; an interruption 130; a
 * defect is a bug and keeps its pretty-printed cause (the one case with a stack trace).
 *
 * @since 0.1.0
 * @category reporting
 */
export const ofCause = <E>(cause: Cause.Cause<E>): Report => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return ofError(failure.value)
  if (Cause.isInterruptedOnly(cause)) return { code: ExitCode.interrupted, line: "domo: interrupted" }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect) && isExpectedDefect(defect.value)) return ofError(defect.value)
  return { code: ExitCode.unexpected, line: `domo: unexpected error (a bug):\n${Cause.pretty(cause)}` }
}

// Layer construction turns typed errors into defects in some paths (e.g. `Layer.orDie`); they
// are still expected errors for the user.
const isExpectedDefect = (u: unknown): boolean =>
  ConfigError.isConfigError(u) ||
  (Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && codeOfTag[u._tag] !== undefined)
