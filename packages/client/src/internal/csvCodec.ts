/**
 * The CSV encoder and decoder of a table, compiled once from its column types: plain loops over
 * arrays of converter functions, with rows batched into large byte chunks.
 *
 * @internal
 */
import { decoderAt, decodeString, ValueError } from "./columnCodecs.js"
import { CsvParser, CsvSyntaxError } from "./csvParse.js"

/**
 * What the codec needs to know about a table's columns, in order.
 *
 * @internal
 */
export interface ColumnSpec {
  readonly name: string
  readonly type: string
  readonly nullable: boolean
  readonly fromText: (text: string) => unknown
  readonly toText: (value: never) => string
}

/**
 * A row or value that cannot be converted; `row` is 1-based over data rows (0 = the header).
 *
 * @internal
 */
export class RowFailure {
  readonly _tag = "RowFailure"
  constructor(
    readonly row: number,
    readonly column: string | undefined,
    readonly value: string | undefined,
    readonly reason: string
  ) {}
}

const NEEDS_QUOTES = /[",\r\n]/
const QUOTES = /"/g

/**
 * Quotes a field only when RFC 4180 needs it, plus the two cases Domo reads specially: the empty
 * string (unquoted it would be null) and `\N` (unquoted it is null).
 *
 * @internal
 */
export const quote = (text: string): string =>
  text.length === 0 || NEEDS_QUOTES.test(text) || text === "\\N"
    ? "\"" + (text.includes("\"") ? text.replace(QUOTES, "\"\"") : text) + "\""
    : text

const sliceSpan = (buf: string, start: number, end: number): string => buf.slice(start, end)

/** An unquoted field that is empty or `\N`: null in Domo's CSV. */
const isNullSpan = (buf: string, start: number, end: number): boolean =>
  start === end || (end - start === 2 && buf.charCodeAt(start) === 92 && buf.charCodeAt(start + 1) === 78)

const excerpt = (text: string): string => text.length > 200 ? text.slice(0, 200) + "…" : text

const showValue = (value: unknown): string => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()
  if (typeof value === "bigint") return `${value}n`
  try {
    return excerpt(typeof value === "string" ? value : String(JSON.stringify(value) ?? value))
  } catch {
    return excerpt(Object.prototype.toString.call(value))
  }
}

/**
 * Output so far, and the failure that stopped the codec, if any.
 *
 * @internal
 */
export interface Step<B> {
  readonly out: Array<B>
  readonly error?: RowFailure | undefined
}

/**
 * A row constructor for these column names. An object literal is an order of magnitude cheaper
 * to build than an object filled key by key, so when the platform allows `new Function` (not in
 * some sandboxes) the literal is generated once per table. Names are embedded as JSON string
 * literals; `__proto__` would set the prototype in a literal, so it takes the generic path.
 *
 * @internal
 */
export const rowBuilder = (
  names: ReadonlyArray<string>
): (values: ReadonlyArray<unknown>) => Record<string, unknown> => {
  const generic = (values: ReadonlyArray<unknown>) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) row[names[i]] = values[i]
    return row
  }
  if (names.includes("__proto__") || new Set(names).size !== names.length) return generic
  try {
    const body = "return {" + names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ") + "}"
    const build = new Function("v", body) as (values: ReadonlyArray<unknown>) => Record<string, unknown>
    return build(names.map((_, i) => i)) !== undefined ? build : generic
  } catch {
    return generic
  }
}

/** A value that cannot be written, in column `column` of the row being encoded. */
class ColumnFailure {
  constructor(readonly column: number, readonly value: unknown, readonly reason: string) {}
}

type LineEncoder = (row: Readonly<Record<string, unknown>>) => string

/**
 * One row → one CSV line (without the line end); throws `ColumnFailure`. Compiled once per table
 * with `new Function` when the platform allows it: each column gets its own call site (so the
 * writers inline) and a constant property name. Otherwise a generic loop.
 */
const lineEncoder = (columns: ReadonlyArray<ColumnSpec>): LineEncoder => {
  const names = columns.map((c) => c.name)
  const toText = columns.map((c) => c.toText as (value: unknown) => string)
  const quoted = columns.map((c) => c.type === "STRING")
  const nullable = columns.map((c) => c.nullable)
  const nullError = (_column: number): never => {
    throw new ValueError("a missing value (null) in a non-nullable column")
  }
  const fail = (error: unknown, column: number, value: unknown): never => {
    if (error instanceof ValueError) throw new ColumnFailure(column, value, error.reason)
    throw error
  }
  const generic: LineEncoder = (row) => {
    let line = ""
    let i = 0
    let value: unknown
    try {
      for (; i < names.length; i++) {
        value = row[names[i]]
        let text: string
        if (value === null || value === undefined) text = nullable[i] ? "" : nullError(i)
        else text = quoted[i] ? quote(toText[i](value)) : toText[i](value)
        line = i === 0 ? text : line + "," + text
      }
    } catch (error) {
      return fail(error, i, value)
    }
    return line
  }
  if (names.length === 0) return generic
  try {
    const setup = names.map((_, i) => `var t${i} = T[${i}];`).join("\n")
    const body = names.map((name, i) => {
      const write = quoted[i] ? `q(t${i}(v))` : `t${i}(v)`
      const empty = nullable[i] ? `""` : `n(${i})`
      const value = `((v = r[${JSON.stringify(name)}]) === null || v === undefined ? ${empty} : ${write})`
      return `c = ${i}; s ${i === 0 ? "=" : "+= \",\" +"} ${value};`
    }).join("\n")
    const source =
      `${setup}\nreturn function (r) {\nvar c = 0, v, s;\ntry {\n${body}\nreturn s;\n} catch (e) { return f(e, c, v); }\n};`
    const factory = new Function("T", "q", "n", "f", source) as (
      t: ReadonlyArray<(value: unknown) => string>,
      q: (text: string) => string,
      n: (column: number) => never,
      f: (error: unknown, column: number, value: unknown) => never
    ) => LineEncoder
    return factory(toText, quote, nullError, fail)
  } catch {
    return generic
  }
}

/** Bytes are emitted once this many UTF-16 units are buffered. */
const CHUNK_CHARS = 128 * 1024

/**
 * Encodes rows into UTF-8 CSV chunks (LF line ends, a line end after every record).
 * `push` and `end` throw `RowFailure`.
 *
 * @internal
 */
export class Encoder {
  private buffer: string
  private rows = 0
  private readonly names: ReadonlyArray<string>
  private readonly line: LineEncoder
  private readonly utf8 = new TextEncoder()

  constructor(columns: ReadonlyArray<ColumnSpec>, header: boolean) {
    this.names = columns.map((c) => c.name)
    this.line = lineEncoder(columns)
    this.buffer = header ? this.names.map(quote).join(",") + "\n" : ""
  }

  push(rows: Iterable<unknown>, out: Array<Uint8Array>): void {
    const line = this.line
    let buffer = this.buffer
    for (const item of rows) {
      this.rows++
      try {
        buffer += line(item as Readonly<Record<string, unknown>>) + "\n"
      } catch (error) {
        if (error instanceof ColumnFailure) {
          // Rows before the failing one are still delivered.
          if (buffer.length > 0) out.push(this.utf8.encode(buffer))
          this.buffer = ""
          throw new RowFailure(this.rows, this.names[error.column], showValue(error.value), error.reason)
        }
        throw error
      }
      if (buffer.length >= CHUNK_CHARS) {
        out.push(this.utf8.encode(buffer))
        buffer = ""
      }
    }
    this.buffer = buffer
  }

  end(out: Array<Uint8Array>): void {
    if (this.buffer.length > 0) out.push(this.utf8.encode(this.buffer))
    this.buffer = ""
  }
}

/**
 * Decodes UTF-8 CSV bytes into rows. With `header`, the first record names the columns (in any
 * order; every table column must be there). `push` and `end` throw `RowFailure`.
 *
 * @internal
 */
export class Decoder<Row> {
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })
  private readonly parser: CsvParser
  private readonly names: ReadonlyArray<string>
  private readonly fromText: ReadonlyArray<(text: string) => unknown>
  private readonly fromSpan: ReadonlyArray<(buf: string, start: number, end: number) => unknown>
  private readonly nullable: ReadonlyArray<boolean>
  private readonly strings: ReadonlyArray<boolean>
  private readonly build: (values: ReadonlyArray<unknown>) => Record<string, unknown>
  private readonly values: Array<unknown>
  private index: ReadonlyArray<number>
  private headerPending: boolean
  private out: Array<Row> = []

  constructor(columns: ReadonlyArray<ColumnSpec>, private readonly header: boolean) {
    this.names = columns.map((c) => c.name)
    this.fromText = columns.map((c) => c.fromText)
    this.fromSpan = columns.map((c) => {
      if (c.type === "STRING" && c.fromText === decodeString) return sliceSpan
      const at = decoderAt(c.fromText)
      return at ?? ((buf: string, start: number, end: number) => c.fromText(buf.slice(start, end)))
    })
    this.nullable = columns.map((c) => c.nullable)
    this.strings = columns.map((c) => c.type === "STRING")
    this.index = columns.map((_, i) => i)
    this.build = rowBuilder(this.names)
    this.values = columns.map(() => null)
    this.headerPending = header
    this.parser = new CsvParser({
      fields: (fields, record) => this.record(fields, record),
      spans: (buf, spans, count, record) => this.spans(buf, spans, count, record)
    })
  }

  private rowOf(record: number): number {
    return this.header ? record - 1 : record
  }

  private record(fields: Array<string | null>, record: number): void {
    if (this.headerPending) {
      this.headerPending = false
      this.index = this.names.map((name) => {
        const at = fields.indexOf(name)
        if (at === -1) {
          throw new RowFailure(0, name, undefined, `the header has no column "${name}" (found: ${fields.join(", ")})`)
        }
        return at
      })
      if (fields.length !== this.names.length) {
        throw new RowFailure(
          0,
          undefined,
          undefined,
          `expected ${this.names.length} columns, the header has ${fields.length}`
        )
      }
      return
    }
    const names = this.names
    const n = names.length
    if (fields.length !== n) {
      throw new RowFailure(this.rowOf(record), undefined, undefined, `expected ${n} fields, found ${fields.length}`)
    }
    const index = this.index
    const fromText = this.fromText
    const values = this.values
    let i = 0
    let field: string | null = null
    try {
      for (; i < n; i++) {
        field = fields[index[i]]
        if (field === null || (field.length === 0 && !this.strings[i])) {
          if (!this.nullable[i]) throw new ValueError("an empty (null) value in a non-nullable column")
          values[i] = null
        } else {
          values[i] = fromText[i](field)
        }
      }
    } catch (error) {
      if (error instanceof ValueError) {
        throw new RowFailure(this.rowOf(record), names[i], field === null ? "" : excerpt(field), error.reason)
      }
      throw error
    }
    this.out.push(this.build(values) as Row)
  }

  /** A plain record (no quotes): values are read in place, strings sliced only for STRING columns. */
  private spans(buf: string, spans: Int32Array, count: number, record: number): void {
    const n = this.names.length
    if (this.headerPending || count !== n) {
      const fields: Array<string | null> = []
      for (let j = 0; j < count; j++) {
        const start = spans[2 * j]
        const end = spans[2 * j + 1]
        fields.push(isNullSpan(buf, start, end) ? null : buf.slice(start, end))
      }
      return this.record(fields, record)
    }
    const index = this.index
    const fromSpan = this.fromSpan
    const values = this.values
    let i = 0
    let start = 0
    let end = 0
    try {
      for (; i < n; i++) {
        const j = index[i]
        start = spans[2 * j]
        end = spans[2 * j + 1]
        if (isNullSpan(buf, start, end)) {
          if (!this.nullable[i]) throw new ValueError("an empty (null) value in a non-nullable column")
          values[i] = null
        } else {
          values[i] = fromSpan[i](buf, start, end)
        }
      }
    } catch (error) {
      if (error instanceof ValueError) {
        throw new RowFailure(this.rowOf(record), this.names[i], excerpt(buf.slice(start, end)), error.reason)
      }
      throw error
    }
    this.out.push(this.build(values) as Row)
  }

  private take(): Array<Row> {
    const rows = this.out
    this.out = []
    return rows
  }

  private guard(run: () => void): Step<Row> {
    try {
      run()
    } catch (error) {
      if (error instanceof CsvSyntaxError) {
        return {
          out: this.take(),
          error: new RowFailure(this.rowOf(error.record), undefined, error.value, error.reason)
        }
      }
      if (error instanceof RowFailure) return { out: this.take(), error }
      throw error
    }
    return { out: this.take() }
  }

  private utf8Decode(bytes?: Uint8Array): string {
    try {
      return bytes === undefined ? this.utf8.decode() : this.utf8.decode(bytes, { stream: true })
    } catch {
      // TextDecoder with `fatal` throws a TypeError on malformed UTF-8.
      throw new RowFailure(this.rowOf(this.parser.count + 1), undefined, undefined, "the bytes are not valid UTF-8")
    }
  }

  push(chunks: Iterable<Uint8Array>): Step<Row> {
    return this.guard(() => {
      for (const bytes of chunks) this.parser.feed(this.utf8Decode(bytes))
    })
  }

  pushText(text: string): Step<Row> {
    return this.guard(() => this.parser.feed(text))
  }

  end(): Step<Row> {
    return this.guard(() => {
      const tail = this.utf8Decode()
      if (tail.length > 0) this.parser.feed(tail)
      this.parser.end()
      if (this.headerPending) throw new RowFailure(0, undefined, undefined, "the header row is missing")
    })
  }
}
