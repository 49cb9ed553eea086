/** @internal */
import { DomoTable } from "@effect-domo/client"
import * as BigDecimal from "effect/BigDecimal"
import * as Stream from "effect/Stream"

/**
 * The demo's dataset: one definition gives the Domo schema, the CSV encoder and the decoder.
 *
 * @internal
 */
export const Sales = DomoTable.make("Demo sales", {
  id: DomoTable.long,
  region: DomoTable.string,
  product: DomoTable.string,
  units: DomoTable.long,
  price: DomoTable.decimal,
  day: DomoTable.date,
  note: DomoTable.nullable(DomoTable.string)
})

/** @internal */
export type Sale = DomoTable.Row<typeof Sales>

/**
 * The same rows as exported from a stream's DataSet: Domo adds the execution id and commit time.
 *
 * @internal
 */
export const SalesExport = DomoTable.make("Demo sales (export)", {
  ...Sales.fields,
  _BATCH_ID_: DomoTable.long,
  _BATCH_LAST_RUN_: DomoTable.datetime
})

const regions = ["East", "North", "South", "West", "Central"] as const
const products = ["Anvil", "Bolt", "Crate", "Drill", "Easel", "Fuse", "Gear", "Hinge"] as const
const DAY = 86_400_000
const START = Date.UTC(2025, 0, 1)

/**
 * Row `i` (1-based) of the generated data: deterministic, so any slice can be checked later.
 *
 * @internal
 */
export const row = (i: number): Sale => ({
  id: i,
  region: regions[i % regions.length],
  product: products[(i * 7) % products.length],
  units: 1 + ((i * 31) % 50),
  price: BigDecimal.make(BigInt(99 + ((i * 7919) % 99_900)), 2),
  day: new Date(START + (i % 365) * DAY),
  // some nulls and some text that needs CSV quoting, to exercise the codec
  note: i % 10 === 0 ? null : i % 97 === 0 ? `rush, "fragile"` : ""
})

/**
 * `n` generated rows, lazily (constant memory).
 *
 * @internal
 */
export const rows = (n: number): Stream.Stream<Sale> => Stream.range(1, n, 8192).pipe(Stream.map(row))

/**
 * Whether an exported row is the generated one with its id. `""` and null are different values
 * in Domo's CSV (`""` vs an empty field) and must survive the round trip.
 *
 * @internal
 */
export const same = (a: Sale, b: Sale): boolean =>
  a.id === b.id && a.region === b.region && a.product === b.product && a.units === b.units &&
  BigDecimal.equals(a.price, b.price) && a.day.getTime() === b.day.getTime() && a.note === b.note
