/** @internal */
import * as Schema from "effect/Schema"

/**
 * Domo's error body (`status`, `statusReason`, `message`, `toe`, `path`) and the OAuth layer's
 * (`error`, `error_description`). Every field optional: we take what is there.
 *
 * @internal
 */
const ErrorBody = Schema.Struct({
  message: Schema.optional(Schema.String),
  toe: Schema.optional(Schema.String),
  error: Schema.optional(Schema.String),
  error_description: Schema.optional(Schema.String)
})

const decodeErrorBody = Schema.decodeUnknownOption(Schema.parseJson(ErrorBody))

/** @internal */
export interface ParsedErrorBody {
  readonly toe?: string | undefined
  readonly detail?: string | undefined
  /** the raw text, lower-cased and truncated, for classification only (never put in an error) */
  readonly text: string
  readonly isHtml: boolean
  readonly oauthError?: string | undefined
}

const MAX_DETAIL = 300

const truncate = (s: string): string => (s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s)

// A bearer/JWT-looking run of characters: never echo one back in an error, whatever the server said.
const tokenLike = /[A-Za-z0-9\-_.~+/]{40,}=*/g

/** @internal */
export const scrub = (s: string): string => truncate(s.replace(tokenLike, "<redacted>"))

/** @internal */
export const parseErrorBody = (text: string, contentType: string | undefined): ParsedErrorBody => {
  const isHtml = (contentType ?? "").toLowerCase().includes("text/html") || /^\s*<(!doctype|html)/i.test(text)
  const lower = text.slice(0, 4096).toLowerCase()
  if (isHtml) return { text: lower, isHtml }
  const decoded = decodeErrorBody(text)
  if (decoded._tag === "Some") {
    const body = decoded.value
    const message = body.message ?? body.error_description
    return {
      text: lower,
      isHtml,
      toe: body.toe,
      detail: message !== undefined ? scrub(message) : undefined,
      oauthError: body.error
    }
  }
  const trimmed = text.trim()
  return { text: lower, isHtml, detail: trimmed === "" ? undefined : scrub(trimmed) }
}
