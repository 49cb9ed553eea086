/**
 * The leak scanner (auth-behaviour D1/D2): collects every log line, span (name, attributes,
 * events, exit) and every value a test records (errors, exits, causes, tokens, events), then
 * searches their renderings — `String`, `JSON.stringify`, `util.inspect`, `Cause.pretty`, error
 * message and stack — for the client secret and every token a test server issued.
 * `installLeakScanner()` runs it after every test of a file.
 */
import { afterEach, expect } from "@effect/vitest"
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import * as Util from "node:util"

const secrets = new Set<string>()
const artifacts: Array<unknown> = []
const lines: Array<string> = []
let scans = 0

export const registerSecret = (secret: string): void => {
  secrets.add(secret)
}

/** Keep a value for the scan after the test (errors, exits, causes, events, responses, …). */
export const record = (value: unknown): void => {
  artifacts.push(value)
}

const safe = (f: () => string): string => {
  try {
    return f()
  } catch (e) {
    return `<render failed: ${String(e)}>`
  }
}

export const renderings = (value: unknown): Array<string> => {
  const out = [
    safe(() => String(value)),
    safe(() => JSON.stringify(value) ?? ""),
    safe(() => Util.inspect(value, { depth: 12, getters: true }))
  ]
  if (Cause.isCause(value)) out.push(safe(() => Cause.pretty(value, { renderErrorCause: true })))
  if (Exit.isExit(value) && Exit.isFailure(value)) {
    out.push(safe(() => Cause.pretty(value.cause, { renderErrorCause: true })))
    out.push(safe(() => Util.inspect(value.cause, { depth: 12 })))
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? "")
  return out
}

/** Every secret that appears in a rendering of something recorded, logged or traced. */
export const findLeaks = (): Array<string> => {
  const texts = [...lines, ...artifacts.flatMap(renderings)]
  const leaks: Array<string> = []
  for (const secret of secrets) {
    for (const text of texts) {
      if (text.includes(secret)) {
        leaks.push(`secret ${secret.slice(0, 6)}… found in: ${text.slice(0, 300)}`)
        break
      }
    }
  }
  return leaks
}

export const stats = () => ({ lines: lines.length, artifacts: artifacts.length, secrets: secrets.size, scans })

export const reset = (): void => {
  artifacts.length = 0
  lines.length = 0
  secrets.clear()
}

export const installLeakScanner = (): void => {
  afterEach(() => {
    scans++
    const leaks = findLeaks()
    reset()
    expect(leaks).toEqual([])
  })
}

/** Log lines as rendered by the logfmt logger, plus each raw message and cause. */
export const collector: Logger.Logger<unknown, void> = Logger.make((options) => {
  lines.push(Logger.logfmtLogger.log(options))
  for (const line of renderings(options.message)) lines.push(line)
  if (!Cause.isEmpty(options.cause)) { for (const line of renderings(options.cause)) lines.push(line) }
  artifacts.push({ level: options.logLevel.label, message: options.message })
})

export const warnings = (): Array<string> => lines.filter((l) => l.includes("level=WARN"))

class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = Math.random().toString(16).slice(2)
  readonly traceId: string
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink>
  readonly sampled = true
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.isSome(parent) ? parent.value.traceId : Math.random().toString(16).slice(2)
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
    spans.push(this)
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    lines.push(`span ${this.name} ${JSON.stringify(Object.fromEntries(this.attributes))}`)
    artifacts.push(exit)
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    lines.push(`span-event ${this.name} ${name} ${safe(() => JSON.stringify(attributes ?? {}))}`)
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    for (const link of links) this.links.push(link)
  }
}

export const spans: Array<RecordingSpan> = []

export const tracer: Tracer.Tracer = Tracer.make({
  span: (name, parent, context, links, startTime, kind) =>
    new RecordingSpan(name, parent, context, links, startTime, kind),
  context: (f) => f()
})

/** Route this test's logs and spans (and those of every fiber forked later) to the scanner. */
export const observe: Effect.Effect<void, never, Scope.Scope> = Effect.gen(function*() {
  yield* Effect.locallyScopedWith(FiberRef.currentLoggers, HashSet.add(collector))
  yield* Effect.withTracerScoped(tracer)
})
