/**
 * CSV as Domo reads and writes it (RFC 4180, LF or CRLF row ends, UTF-8): an incremental
 * parser that tells a NULL (`,,`) from an empty string (`""`), and the matching writer.
 *
 * @since 0.1.0
 */

/**
 * A parsed field: `null` for an empty unquoted field, else its text.
 *
 * @since 0.1.0
 * @category models
 */
export type Field = string | null

/**
 * A CSV syntax error, with the 1-based row and column where it was found.
 *
 * @since 0.1.0
 * @category errors
 */
export class CsvSyntaxError extends Error {
  constructor(readonly detail: string, readonly row: number, readonly column: number) {
    super(`${detail}. Row ${row}, column ${column}.`)
  }
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
  AfterCR
}

/**
 * Where a {@link Parser} puts the rows it completes, with their 1-based row numbers. A row with
 * no quotes and no lone CR comes as field bounds (`spans`, without a string per field: field `i`
 * is `buf.slice(spans[2 * i], spans[2 * i + 1])`, NULL when empty; `spans` is reused, read it
 * before returning); any other row as its fields.
 *
 * @since 0.1.0
 * @category parsing
 */
export interface RowSink {
  readonly spans: (buf: string, spans: Int32Array, count: number, row: number) => void
  readonly fields: (fields: Array<Field>, row: number) => void
}

/**
 * An incremental parser: feed it text with {@link Parser.push} (or {@link Parser.feed}), then
 * call {@link Parser.end}. Each call returns (or hands over) the rows completed so far.
 *
 * @since 0.1.0
 * @category parsing
 */
export class Parser {
  private state = State.FieldStart
  private field = ""
  private quoted = false
  private row: Array<Field> = []
  private rowNumber = 1
  private spans = new Int32Array(64)

  /** rows completed by this chunk */
  push(chunk: string): Array<Array<Field>> {
    const out: Array<Array<Field>> = []
    this.feed(chunk, collect(out))
    return out
  }

  /** hands the rows completed by this chunk to `sink` */
  feed(chunk: string, sink: RowSink): void {
    const length = chunk.length
    let i = 0
    // Next `"`, CR and `,` at or after `i` (-1: none left in the chunk), kept across rows so a
    // chunk is searched once for each: a whole row with no quote and no lone CR is cut at its
    // commas without the character loop.
    let nextQuote = -2
    let nextCR = -2
    let nextComma = -2
    while (i < length) {
      if (this.state === State.FieldStart && this.row.length === 0 && this.field === "" && !this.quoted) {
        const eol = chunk.indexOf("\n", i)
        if (eol !== -1) {
          if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf("\"", i)
          if (nextCR !== -1 && nextCR < i) nextCR = chunk.indexOf("\r", i)
          // (a CR found is at or after `i`: an empty row at `i` has no CR before its LF)
          const crlf = nextCR !== -1 && nextCR === eol - 1
          if ((nextQuote === -1 || nextQuote > eol) && (nextCR === -1 || nextCR > eol || crlf)) {
            const end = crlf ? eol - 1 : eol
            let spans = this.spans
            let count = 0
            let at = i
            for (;;) {
              if (nextComma !== -1 && nextComma < at) nextComma = chunk.indexOf(",", at)
              const stop = nextComma === -1 || nextComma > end ? end : nextComma
              if (2 * count + 2 > spans.length) {
                const grown = new Int32Array(spans.length * 2)
                grown.set(spans)
                spans = this.spans = grown
              }
              spans[2 * count] = at
              spans[2 * count + 1] = stop
              count++
              if (stop === end) break
              at = stop + 1
            }
            sink.spans(chunk, spans, count, this.rowNumber++)
            i = eol + 1
            continue
          }
        }
      }
      const c = chunk.charCodeAt(i)
      switch (this.state) {
        case State.AfterCR: {
          this.state = State.FieldStart
          if (c === 10) {
            i++
            continue
          }
          continue
        }
        case State.FieldStart: {
          if (c === 34) {
            this.quoted = true
            this.state = State.Quoted
            i++
          } else if (c === 44) {
            this.endField()
            i++
          } else if (c === 10 || c === 13) {
            this.endField()
            this.endRow(sink)
            this.state = c === 13 ? State.AfterCR : State.FieldStart
            i++
          } else {
            this.state = State.Unquoted
          }
          continue
        }
        case State.Unquoted: {
          // scan a run of plain characters at once
          let j = i
          while (j < length) {
            const d = chunk.charCodeAt(j)
            if (d === 44 || d === 10 || d === 13 || d === 34) break
            j++
          }
          this.field += chunk.slice(i, j)
          i = j
          if (i === length) continue
          const d = chunk.charCodeAt(i)
          if (d === 34) {
            throw new CsvSyntaxError("Unexpected quote in an unquoted field", this.rowNumber, this.row.length + 1)
          }
          this.state = State.FieldStart
          if (d === 44) {
            this.endField()
            i++
          }
          continue
        }
        case State.Quoted: {
          const j = chunk.indexOf("\"", i)
          if (j === -1) {
            this.field += chunk.slice(i)
            i = length
          } else {
            this.field += chunk.slice(i, j)
            this.state = State.QuoteInQuoted
            i = j + 1
          }
          continue
        }
        case State.QuoteInQuoted: {
          if (c === 34) {
            this.field += "\""
            this.state = State.Quoted
            i++
          } else if (c === 44) {
            this.endField()
            this.state = State.FieldStart
            i++
          } else if (c === 10 || c === 13) {
            this.state = State.FieldStart
          } else {
            throw new CsvSyntaxError("Unexpected character after a closing quote", this.rowNumber, this.row.length + 1)
          }
          continue
        }
      }
    }
  }

  /** the last row, if the text did not end with a line break */
  end(): Array<Array<Field>> {
    const out: Array<Array<Field>> = []
    this.finish(collect(out))
    return out
  }

  /** hands the last row, if the text did not end with a line break, to `sink` */
  finish(sink: RowSink): void {
    if (this.state === State.Quoted) {
      throw new CsvSyntaxError("Unterminated quoted field", this.rowNumber, this.row.length + 1)
    }
    if (this.state === State.AfterCR) return
    if (this.state === State.FieldStart && this.row.length === 0 && this.field === "" && !this.quoted) return
    this.endField()
    this.endRow(sink)
  }

  /** 1-based number of the row being read */
  get currentRow(): number {
    return this.rowNumber
  }

  private endField() {
    this.row.push(this.field === "" && !this.quoted ? null : this.field)
    this.field = ""
    this.quoted = false
  }

  private endRow(sink: RowSink): void {
    const row = this.row
    this.row = []
    sink.fields(row, this.rowNumber++)
  }
}

const collect = (out: Array<Array<Field>>): RowSink => ({
  spans: (buf, spans, count) => {
    const row: Array<Field> = new Array(count)
    for (let f = 0; f < count; f++) {
      const start = spans[2 * f]!
      const end = spans[2 * f + 1]!
      row[f] = start === end ? null : buf.slice(start, end)
    }
    out.push(row)
  },
  fields: (fields) => {
    out.push(fields)
  }
})

/**
 * Parse a whole CSV text.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Array<Array<Field>> => {
  const parser = new Parser()
  const rows = parser.push(text)
  for (const row of parser.end()) rows.push(row)
  return rows
}

const needsQuotes = /[",\r\n]/

/**
 * Format one field: NULL as nothing, an empty string as `""`, quoted when needed.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatField = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  const text = typeof value === "string" ? value : String(value)
  if (text === "") return "\"\""
  return needsQuotes.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

/**
 * Format one row, ending with LF.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatRow = (values: ReadonlyArray<unknown>): string => {
  let line = ""
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ","
    line += formatField(values[i])
  }
  return line + "\n"
}
