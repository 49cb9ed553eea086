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
 * An incremental parser: feed it text with {@link Parser.push}, then call {@link Parser.end}.
 * Each call returns the rows completed so far.
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

  /** rows completed by this chunk */
  push(chunk: string): Array<Array<Field>> {
    const out: Array<Array<Field>> = []
    const length = chunk.length
    let i = 0
    while (i < length) {
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
            out.push(this.endRow())
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
    return out
  }

  /** the last row, if the text did not end with a line break */
  end(): Array<Array<Field>> {
    if (this.state === State.Quoted) {
      throw new CsvSyntaxError("Unterminated quoted field", this.rowNumber, this.row.length + 1)
    }
    if (this.state === State.AfterCR) return []
    if (this.state === State.FieldStart && this.row.length === 0 && this.field === "" && !this.quoted) return []
    this.endField()
    return [this.endRow()]
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

  private endRow(): Array<Field> {
    const row = this.row
    this.row = []
    this.rowNumber++
    return row
  }
}

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
