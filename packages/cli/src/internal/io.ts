/** @internal */
import * as NodeSink from "@effect/platform-node/NodeSink"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Sink from "effect/Sink"
import type * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as ErrorReport from "../ErrorReport.js"
import * as Output from "../Output.js"

const reasonOf = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "code" in error) {
    switch (error.code) {
      case "ENOENT":
        return "no such file"
      case "EISDIR":
        return "is a directory"
      case "EACCES":
      case "EPERM":
        return "permission denied"
    }
  }
  return error instanceof Error ? error.message : String(error)
}

/**
 * Bytes from a file, or stdin for `-` or no path; `size` when known (for the progress bar).
 * A missing or unreadable file fails up front, before anything is sent.
 *
 * @internal
 */
export const input = (
  path: Option.Option<string>
): Effect.Effect<
  { readonly bytes: Stream.Stream<Uint8Array, ErrorReport.FileError>; readonly size: number | undefined },
  ErrorReport.FileError
> => {
  if (Option.isNone(path) || path.value === "-") {
    return Effect.succeed({ bytes: NodeStream.stdin, size: undefined })
  }
  const file = path.value
  return Effect.try({
    try: () => {
      const stat = Fs.statSync(file)
      if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" })
      Fs.accessSync(file, Fs.constants.R_OK)
      return stat.size
    },
    catch: (error) => new ErrorReport.FileError({ path: file, reason: reasonOf(error) })
  }).pipe(Effect.map((size) => ({
    size,
    bytes: NodeStream.fromReadable(
      () => Fs.createReadStream(file, { highWaterMark: 1024 * 1024 }),
      (error) => new ErrorReport.FileError({ path: file, reason: reasonOf(error) })
    )
  })))
}

/**
 * A sink to a file (created or truncated), or stdout for `-` or no path.
 *
 * @internal
 */
export const output = (
  path: Option.Option<string>
): Sink.Sink<void, Uint8Array | string, never, ErrorReport.FileError | ErrorReport.OutputClosedError> => {
  if (Option.isNone(path) || path.value === "-") return Output.stdoutSink
  const file = path.value
  return NodeSink.fromWritable(
    () => Fs.createWriteStream(file),
    (error) => new ErrorReport.FileError({ path: file, reason: reasonOf(error) })
  )
}

/**
 * Whether stdin is a terminal (no data piped in): an import from it would wait for typing.
 *
 * @internal
 */
export const stdinIsTerminal = (path: Option.Option<string>): boolean =>
  (Option.isNone(path) || path.value === "-") && process.stdin.isTTY === true
