/**
 * The second stage of a Stream upload: blocks → parts of about `partSize` bytes (before gzip),
 * numbered 1, 2, 3, … in input order. Each part is gzipped while it is being filled, through
 * zlib's asynchronous stream API: compression runs on libuv's thread pool, in parallel with the
 * encoding on the main thread and with the compression of the previous part.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Zlib from "node:zlib"
import type { Block } from "./uploadBlocks.js"

/**
 * A part, cut and (being) compressed. `body` waits for the compression to finish.
 *
 * @internal
 */
export interface Part {
  readonly id: number
  readonly rows: number
  /** CSV bytes before compression */
  readonly bytes: number
  readonly gzip: boolean
  readonly body: Effect.Effect<Uint8Array, CompressFailure>
}

/**
 * zlib failed on a part.
 *
 * @internal
 */
export class CompressFailure {
  readonly _tag = "CompressFailure"
  constructor(readonly partId: number, readonly reason: string) {}
}

/** @internal */
export interface PartOptions {
  readonly partSize: number
  /** gzip level 1–9, or `undefined` for no compression */
  readonly gzipLevel: number | undefined
  /**
   * uncompressed bytes that may wait in one part's compressor before the encoder pauses: the
   * slack that lets two parts compress at once on the thread pool
   */
  readonly compressorBacklog: number
}

type Settled = { readonly _tag: "ok"; readonly value: Uint8Array } | { readonly _tag: "error"; readonly reason: string }

/**
 * One part being filled: the CSV bytes go into a gzip stream as they come; the output is
 * collected and joined once the stream ends.
 *
 * @internal
 */
class PartWriter {
  rows = 0
  bytes = 0
  private readonly gzip: Zlib.Gzip | undefined
  private readonly output: Array<Uint8Array> = []
  private settled: Settled | undefined
  private failed: string | undefined
  private readonly waiters: Array<(settled: Settled) => void> = []

  constructor(readonly id: number, level: number | undefined, backlog: number) {
    if (level === undefined) return
    const options: Zlib.ZlibOptions & { readonly writableHighWaterMark: number } = {
      level,
      chunkSize: 256 * 1024,
      writableHighWaterMark: backlog
    }
    const gzip = Zlib.createGzip(options)
    this.gzip = gzip
    gzip.on("data", (chunk: Uint8Array) => {
      this.output.push(chunk)
    })
    gzip.on("error", (error: Error) => {
      this.failed = error.message
      this.settle({ _tag: "error", reason: error.message })
    })
    gzip.on("end", () => this.settle({ _tag: "ok", value: join(this.output) }))
  }

  private settle(settled: Settled): void {
    if (this.settled !== undefined) return
    this.settled = settled
    this.output.length = 0
    for (const waiter of this.waiters.splice(0)) waiter(settled)
  }

  /** false when the compressor's backlog is full: wait for `drain` before writing more */
  write(block: Block): boolean {
    this.rows += block.rows
    this.bytes += block.bytes
    if (this.gzip === undefined) {
      for (const chunk of block.chunks) this.output.push(chunk)
      return true
    }
    let ok = true
    for (const chunk of block.chunks) ok = this.gzip.write(chunk)
    return ok
  }

  readonly drain: Effect.Effect<void> = Effect.async<void>((resume) => {
    const gzip = this.gzip
    if (gzip === undefined || !gzip.writableNeedDrain || this.failed !== undefined) return resume(Effect.void)
    const done = () => {
      gzip.off("drain", done)
      gzip.off("error", done)
      resume(Effect.void)
    }
    gzip.on("drain", done)
    gzip.on("error", done)
    return Effect.sync(() => {
      gzip.off("drain", done)
      gzip.off("error", done)
    })
  })

  /** Ends the input; the part's body is ready once the compressor has flushed. */
  finish(): Part {
    if (this.gzip === undefined) this.settle({ _tag: "ok", value: join(this.output) })
    else this.gzip.end()
    const id = this.id
    const body = Effect.async<Uint8Array, CompressFailure>((resume) => {
      const complete = (settled: Settled) =>
        resume(
          settled._tag === "ok" ? Effect.succeed(settled.value) : Effect.fail(new CompressFailure(id, settled.reason))
        )
      if (this.settled !== undefined) complete(this.settled)
      else this.waiters.push(complete)
    })
    // the joined body stays referenced by `settled` until the part itself is dropped
    return { id, rows: this.rows, bytes: this.bytes, gzip: this.gzip !== undefined, body }
  }

  /** Frees the compressor of a part that will never be finished (interruption, failure). */
  destroy(): void {
    if (this.gzip !== undefined && this.settled === undefined) this.gzip.destroy()
    this.settle({ _tag: "error", reason: "cancelled" })
  }
}

const join = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (chunks.length === 1) return chunks[0]
  return Buffer.concat(chunks)
}

/**
 * Blocks → parts. A part is cut at the first block boundary at or past `partSize` bytes; the
 * writer waits while a compressor's backlog is full, so memory stays bounded whatever the
 * input size.
 *
 * @internal
 */
export const intoParts =
  (options: PartOptions) => <E, R>(blocks: Stream.Stream<Block, E, R>): Stream.Stream<Part, E, R> =>
    Stream.suspend(() => {
      let current: PartWriter | undefined
      let nextId = 1
      const cut = (): Part => {
        const writer = current!
        current = undefined
        return writer.finish()
      }
      const parts = blocks.pipe(
        Stream.mapChunksEffect((chunk) =>
          Effect.gen(function*() {
            const out: Array<Part> = []
            for (const block of chunk) {
              const writer = current ??
                (current = new PartWriter(nextId++, options.gzipLevel, options.compressorBacklog))
              const ready = writer.write(block)
              // a finished part flushes on its own; only the part still being filled holds us back
              if (writer.bytes >= options.partSize) out.push(cut())
              else if (!ready) yield* writer.drain
            }
            return out
          }).pipe(Effect.map((out) => Chunk.unsafeFromArray(out)))
        ),
        Stream.concat(Stream.suspend(() => current === undefined ? Stream.empty : Stream.make(cut()))),
        Stream.ensuring(Effect.sync(() => {
          current?.destroy()
          current = undefined
        }))
      )
      return parts
    })
