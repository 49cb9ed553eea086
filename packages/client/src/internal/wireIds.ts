/**
 * Lenient id codecs shared by the wire models: Domo documents some ids as digit strings and
 * others as integers, and its SDKs and examples do not always agree.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * A string id that some responses send as a number: decodes either, encodes as a string.
 *
 * @internal
 */
export const StringId = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, {
    strict: true,
    decode: (n) => String(n),
    encode: (s) => Number(s)
  })
)

/**
 * An integer id that some responses send as a digit string: decodes either, encodes as a number.
 *
 * @internal
 */
export const IntId = Schema.Union(Schema.Int, Schema.NumberFromString.pipe(Schema.int()))

/**
 * An optional field that also accepts `null` (decoded as absent): some SDKs (Domo's Rust SDK)
 * send every unset field as `null`, and Domo answers `null` for unset fields.
 *
 * @internal
 */
export const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { nullable: true })
