/**
 * An incremental RFC 4180 parser with Domo's extensions (LF alone ends a record; `\N` is null).
 *
 * Written here rather than taken from `udsv`: udsv 0.7.3 returns `""` for both `,,` and `"",`,
 * while Domo's format gives them different meanings (null vs the empty string), and it
 * silently drops records whose field count differs from its schema instead of reporting them.
 *
 * @internal
 */

const COMMA = 44
const QUOTE = 34
const LF = 10
const CR = 13

/**
 * A structural error in the CSV text: `record` is the 1-based record number (header included).
 *
 * @internal
 */
export class CsvSyntaxError {
  readonly _tag = "CsvSyntaxError"
  constructor(readonly record: number, readonly reason: string, readonly value: string | undefined) {}
}

/**
 * Called once per complete record. A field is `null` when it was unquoted and empty (or `\N`), a string otherwise.
 *
 * @internal
 */
export type OnRecord = (fields: Array<string | null>, record: number) => void

/**
 * Called for a record with no quotes and no CR, without making a string per field: field `i` is
 * `buf.slice(spans[2 * i], spans[2 * i + 1])` (so converters can read numbers and dates in place),
 * and it is null when empty or `\N`. `spans` is reused: read it before returning.
 *
 * @internal
 */
export type OnSpans = (buf: string, spans: Int32Array, count: number, record: number) => void

/**
 * Where records go: `spans` for plain records, `fields` for records that needed unquoting.
 *
 * @internal
 */
export interface RecordSink {
  readonly fields: OnRecord
  readonly spans: OnSpans
}

const excerpt = (text: string): string => text.length > 80 ? text.slice(0, 80) + "…" : text

/**
 * Feed text in any pieces (a piece may end anywhere: inside quotes, between CR and LF); records
 * are emitted as soon as they are complete. Throws `CsvSyntaxError`.
 *
 * @internal
 */
export class CsvParser {
  private pending = ""
  private records = 0
  private spans = new Int32Array(64)

  constructor(private readonly sink: RecordSink) {}

  /** Records emitted so far. */
  get count(): number {
    return this.records
  }

  feed(text: string): void {
    const buf = this.pending.length === 0 ? text : this.pending + text
    this.pending = ""
    const rest = this.parse(buf, false)
    if (rest < buf.length) this.pending = buf.slice(rest)
  }

  end(): void {
    const buf = this.pending
    this.pending = ""
    if (buf.length > 0) this.parse(buf, true)
  }

  /** Parses whole records from `buf`; returns where the first incomplete record starts. */
  private parse(buf: string, final: boolean): number {
    const len = buf.length
    let pos = 0
    // Next `"` and CR at or after `pos` (-1: none left): a record with neither takes the fast path.
    let nextQuote = -2
    let nextCR = -2
    let nextComma = -2
    while (pos < len) {
      const start = pos
      let eol = buf.indexOf("\n", pos)
      if (eol === -1 && final) eol = len
      if (eol !== -1) {
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf("\"", pos)
        if (nextCR !== -1 && nextCR < pos) nextCR = buf.indexOf("\r", pos)
        // CRLF is taken too, but not a CR that might be the last character of the input.
        const crlf = nextCR === eol - 1 && eol < len && nextCR >= pos
        if ((nextQuote === -1 || nextQuote > eol) && (nextCR === -1 || nextCR > eol || crlf)) {
          // Field bounds only (no record substring, `split` or strings): the sink slices what it needs.
          const end = crlf ? eol - 1 : eol
          let spans = this.spans
          let count = 0
          let at = pos
          for (;;) {
            // `nextComma` is kept across records: a one-column input must not rescan to the end each time.
            if (nextComma !== -1 && nextComma < at) nextComma = buf.indexOf(",", at)
            const comma = nextComma === -1 || nextComma > end ? end : nextComma
            if (2 * count + 2 > spans.length) {
              const grown = new Int32Array(spans.length * 2)
              grown.set(spans)
              spans = this.spans = grown
            }
            spans[2 * count] = at
            spans[2 * count + 1] = comma
            count++
            if (comma === end) break
            at = comma + 1
          }
          pos = eol + 1
          this.records++
          this.sink.spans(buf, spans, count, this.records)
          continue
        }
      } else if (!final) {
        return start
      }
      // Quotes or CRs in this record (or no line end yet): the character loop.
      const next = this.slowRecord(buf, pos, final)
      if (next === -1) return start
      pos = next
    }
    return pos
  }

  /**
   * One record from `pos` through quotes and CRs, char by char; returns the position after it,
   * or -1 when the input ends first and more may come.
   */
  private slowRecord(buf: string, pos: number, final: boolean): number {
    const len = buf.length
    // A fresh array per record: cheaper than truncating and regrowing a shared one.
    const fields: Array<string | null> = []
    for (;;) {
      let c = pos < len ? buf.charCodeAt(pos) : -1
      if (c === QUOTE) {
        let value = ""
        let seg = pos + 1
        for (;;) {
          const close = buf.indexOf("\"", seg)
          if (close === -1) {
            if (final) {
              throw new CsvSyntaxError(this.records + 1, "a quoted field is never closed", excerpt(buf.slice(pos)))
            }
            return -1
          }
          if (close + 1 >= len && !final) return -1
          if (close + 1 < len && buf.charCodeAt(close + 1) === QUOTE) {
            value += buf.slice(seg, close + 1)
            seg = close + 2
            continue
          }
          value += buf.slice(seg, close)
          pos = close + 1
          break
        }
        fields.push(value)
        c = pos < len ? buf.charCodeAt(pos) : -1
        if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
          throw new CsvSyntaxError(
            this.records + 1,
            "a closing quote must be followed by a comma or a line break",
            excerpt(buf.slice(pos - 1, pos + 20))
          )
        }
      } else {
        let i = pos
        while (i < len) {
          c = buf.charCodeAt(i)
          // Every special character is <= 44 (`,`): one comparison for most characters.
          if (c > COMMA || (c !== COMMA && c !== LF && c !== CR && c !== QUOTE)) {
            i++
            continue
          }
          break
        }
        if (i >= len) {
          if (!final) return -1
          c = -1
        }
        if (c === QUOTE) {
          throw new CsvSyntaxError(
            this.records + 1,
            "a double quote inside an unquoted field (quote the field and double the quote)",
            excerpt(buf.slice(pos, i + 1))
          )
        }
        const n = i - pos
        fields.push(
          n === 0 || (n === 2 && buf.charCodeAt(pos) === 92 && buf.charCodeAt(pos + 1) === 78)
            ? null
            : buf.slice(pos, i)
        )
        pos = i
      }
      // `c` is the separator at `pos`, or -1 at the end of final input.
      if (c === COMMA) {
        pos++
        if (pos >= len && !final) return -1
        continue
      }
      if (c === LF) {
        pos++
      } else if (c === CR) {
        if (pos + 1 >= len) {
          if (!final) return -1
          pos++
        } else if (buf.charCodeAt(pos + 1) === LF) {
          pos += 2
        } else {
          throw new CsvSyntaxError(this.records + 1, "a carriage return not followed by a line feed", undefined)
        }
      }
      this.records++
      this.sink.fields(fields, this.records)
      return pos
    }
  }
}
