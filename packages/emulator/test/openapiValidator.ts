// Validates emulator answers against Domo's own OpenAPI files in fixtures/domo-openapi/.
import { Ajv } from "ajv"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Yaml from "yaml"

const dir = Path.resolve(import.meta.dirname, "fixtures", "domo-openapi")

interface Operation {
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> }>
}

const ajv = new Ajv({ strict: false, allErrors: true })

const stripExamples = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripExamples)
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => k !== "example" && k !== "examples" && k !== "x-examples").map((
        [k, v]
      ) => [k, stripExamples(v)])
    )
  }
  return value
}

/** The response schema Domo documents for `method path` (a concrete path) and a status. */
export const responseSchema = (file: string, method: string, path: string, status: number): unknown => {
  const doc = Yaml.parse(Fs.readFileSync(Path.join(dir, file), "utf8")) as {
    paths: Record<string, Record<string, Operation>>
  }
  for (const [template, item] of Object.entries(doc.paths)) {
    const bare = template.split("?")[0]!
    const pattern = new RegExp("^" + bare.replace(/\{[^}]+\}/g, "[^/]+") + "$")
    if (!pattern.test(path)) continue
    const op = item[method.toLowerCase()]
    if (op === undefined) continue
    const response = op.responses?.[String(status)]
    if (response === undefined) throw new Error(`${file}: ${method} ${template} documents no ${status}`)
    const content = response.content?.["application/json"]
    return content?.schema === undefined ? undefined : stripExamples(content.schema)
  }
  throw new Error(`${file}: no operation for ${method} ${path}`)
}

/**
 * Validate a body against the documented schema. Where Domo's file documents a single object
 * but its SDKs (and the API) answer an array (account list, activity log), every item is
 * validated against the object schema.
 */
export const validate = (
  file: string,
  method: string,
  path: string,
  status: number,
  body: unknown
): ReadonlyArray<string> => {
  const schema = responseSchema(file, method, path, status)
  if (schema === undefined) return []
  const check = ajv.compile(schema as object)
  const isObjectSchema = (schema as { type?: string }).type === "object"
  const items = Array.isArray(body) && isObjectSchema ? body : [body]
  const errors: Array<string> = []
  for (const item of items) {
    if (!check(item)) errors.push(ajv.errorsText(check.errors))
  }
  return errors
}
