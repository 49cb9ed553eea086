/**
 * The first stage of a Stream upload: the input (typed rows, or CSV bytes) as blocks of about
 * 1 MiB of header-less CSV, each ending at a record boundary and carrying its exact row count,
 * so the part splitter can cut anywhere between blocks and know how many rows each part holds.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import type * as Stream from "effect/Stream"
import * as DomoTable from "../DomoTable.js"
import { Encoder, RowFailure } from "./csvCodec.js"
import * as StatefulStream from "./statefulStream.js"

/**
 * Whole CSV records: `chunks` concatenated end with a line break.
 *
 * @internal
 */
export interface Block {
  readonly chunks: ReadonlyArray<Uint8Array>
  readonly bytes: number
  readonly rows: number
}

/**
 * The default block size; smaller when parts are small, so parts are still cut close to their size.
 *
 * @internal
 */
export const BLOCK_BYTES = 1 << 20

/** @internal */
export const blockBytesFor = (partSize: number): number =>
  Math.max(16 * 1024, Math.min(BLOCK_BYTES, Math.floor(partSize / 8)))

/** rows handed to the encoder at once: a huge input chunk still yields ~1 MiB blocks */
const BATCH_ROWS = 2048

const size = (pieces: ReadonlyArray<Uint8Array>): number => {
  let n = 0
  for (const piece of pieces) n += piece.length
  return n
}

/**
 * Collects pieces until a record boundary past `BLOCK_BYTES`.
 *
 * @internal
 */
class Collector {
  chunks: Array<Uint8Array> = []
  bytes = 0
  rows = 0

  add(piece: Uint8Array): void {
    if (piece.length === 0) return
    this.chunks.push(piece)
    this.bytes += piece.length
  }

  take(): Block {
    const block: Block = { chunks: this.chunks, bytes: this.bytes, rows: this.rows }
    this.chunks = []
    this.bytes = 0
    this.rows = 0
    return block
  }
}

/**
 * Rows → blocks, through the table's compiled CSV encoder (no header: Domo's parts have none).
 * A bad value fails with `CsvEncodeError` naming the row (1-based over the whole input).
 *
 * @internal
 */
export const encodeRows =
  (table: DomoTable.DomoTable.Any, blockBytes: number = BLOCK_BYTES) =>
  <E, R>(rows: Stream.Stream<unknown, E, R>): Stream.Stream<Block, E | DomoTable.CsvEncodeError, R> =>
    StatefulStream.transform(() => {
      const encoder = new Encoder(
        table.columns.map((c) => ({
          ...c,
          fromText: table.fields[c.name].fromText,
          toText: table.fields[c.name].toText
        })),
        false
      )
      const pending = new Collector()
      // the encoder emits 128K-character chunks: small blocks need a flush after every batch
      const flushEachBatch = blockBytes < 256 * 1024
      const batchRows = flushEachBatch ? 256 : BATCH_ROWS
      const toError = (e: RowFailure) =>
        new DomoTable.CsvEncodeError({
          table: table.name,
          row: e.row,
          column: e.column,
          value: e.value,
          reason: e.reason
        })
      return {
        push: (input: Chunk.Chunk<unknown>) => {
          const out: Array<Block> = []
          const all = Chunk.toReadonlyArray(input)
          for (let start = 0; start < all.length; start += batchRows) {
            const batch = all.length <= batchRows ? all : all.slice(start, start + batchRows)
            const produced: Array<Uint8Array> = []
            try {
              encoder.push(batch, produced)
            } catch (error) {
              if (error instanceof RowFailure) return { out, error: toError(error) }
              throw error
            }
            pending.rows += batch.length
            // flushing the encoder's buffer makes the block end exactly after this batch's last row
            if (flushEachBatch || pending.bytes + size(produced) >= blockBytes) encoder.end(produced)
            for (const piece of produced) pending.add(piece)
            if (pending.bytes >= blockBytes) out.push(pending.take())
          }
          return { out }
        },
        end: () => {
          const rest: Array<Uint8Array> = []
          encoder.end(rest)
          for (const piece of rest) pending.add(piece)
          return { out: pending.rows > 0 ? [pending.take()] : [] }
        }
      }
    })(rows)

/**
 * CSV bytes the input cannot be split into records from.
 *
 * @internal
 */
export class CsvInputFailure {
  readonly _tag = "CsvInputFailure"
  constructor(readonly reason: string) {}
}

const QUOTE = 0x22
const LF = 0x0a

/**
 * Finds record boundaries (a LF outside quotes) in CSV bytes, whatever the chunking, with
 * native `indexOf` scans rather than a byte loop.
 *
 * @internal
 */
export class RecordScanner {
  private inQuotes = false

  get quoted(): boolean {
    return this.inQuotes
  }

  /** Calls `onRecordEnd(i)` for every record ending at `bytes[i]` (the LF), in order. */
  scan(bytes: Uint8Array, onRecordEnd: (index: number) => void): void {
    const length = bytes.length
    let pos = 0
    let nextQuote = -2
    while (pos < length) {
      if (this.inQuotes) {
        const q = bytes.indexOf(QUOTE, pos)
        if (q === -1) return
        // a doubled quote closes and at once reopens: handled by the next iteration
        this.inQuotes = false
        pos = q + 1
        continue
      }
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = bytes.indexOf(QUOTE, pos)
      const lf = bytes.indexOf(LF, pos)
      if (nextQuote !== -1 && (lf === -1 || nextQuote < lf)) {
        this.inQuotes = true
        pos = nextQuote + 1
        continue
      }
      if (lf === -1) return
      onRecordEnd(lf)
      pos = lf + 1
    }
  }
}

const NEWLINE = new Uint8Array([LF])

/**
 * CSV bytes → blocks. `header: true` drops the first record; a leading UTF-8 BOM is dropped. A
 * last record without a line break gets one; bytes ending inside a quoted field fail with
 * `CsvInputFailure`.
 *
 * @internal
 */
export const scanCsv =
  (options: { readonly header: boolean; readonly blockBytes?: number | undefined }) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<Block, E | CsvInputFailure, R> =>
    StatefulStream.transform(() => {
      const scanner = new RecordScanner()
      const pending = new Collector()
      const blockBytes = options.blockBytes ?? BLOCK_BYTES
      let skipHeader = options.header
      let first = true
      // where the bytes of the current chunk not yet in `pending` begin
      let start = 0
      return {
        push: (input: Chunk.Chunk<Uint8Array>) => {
          const out: Array<Block> = []
          for (const chunk of input) {
            start = 0
            if (first && chunk.length > 0) {
              first = false
              // a UTF-8 byte order mark (spreadsheet exports) is not data: Domo would read it
              // as part of the first value
              if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3
            }
            scanner.scan(chunk, (lf) => {
              const end = lf + 1
              if (skipHeader) {
                skipHeader = false
                // the header's bytes are dropped, including those of earlier chunks
                pending.chunks = []
                pending.bytes = 0
                start = end
                return
              }
              pending.rows++
              if (pending.bytes + end - start >= blockBytes) {
                pending.add(chunk.subarray(start, end))
                out.push(pending.take())
                start = end
              }
            })
            if (start < chunk.length) pending.add(chunk.subarray(start))
          }
          return { out }
        },
        end: () => {
          if (scanner.quoted) return { out: [], error: new CsvInputFailure("the CSV ends inside a quoted field") }
          if (skipHeader) return { out: [] }
          if (pending.bytes === 0) return { out: [] }
          const last = pending.chunks[pending.chunks.length - 1]
          if (last[last.length - 1] !== LF) {
            pending.rows++
            pending.add(NEWLINE)
          }
          return { out: [pending.take()] }
        }
      }
    })(bytes)
