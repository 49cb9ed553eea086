/**
 * The rows the CSV and upload benchmarks share: six columns (text with commas, quotes and
 * newlines, long, double, date, datetime, nullable text), seeded so every side sees the same data.
 */
import { DomoTable } from "@effect-domo/client"
import { mulberry32, WORDS } from "./Random.js"

/** the benchmarks' table */
export const BenchTable = DomoTable.make("Bench", {
  name: DomoTable.string,
  count: DomoTable.long,
  amount: DomoTable.double,
  day: DomoTable.date,
  at: DomoTable.datetime,
  note: DomoTable.nullable(DomoTable.string)
})

/** one row of {@link BenchTable} */
export type BenchRow = DomoTable.Row<typeof BenchTable>

/** `count` rows, the same sequence on every call (a seeded mulberry32) */
export function* generateRows(count: number): Generator<BenchRow> {
  const random = mulberry32(42)
  const word = () => WORDS[Math.floor(random() * WORDS.length)]
  for (let i = 0; i < count; i++) {
    const r = random()
    const name = r < 0.06
      ? `${word()}, ${word()}`
      : r < 0.09
      ? `${word()} "${word()}"`
      : r < 0.10
      ? `${word()}\n${word()}`
      : `${word()} ${word()}`
    const dayMs = Date.UTC(2000, 0, 1) + Math.floor(random() * 9000) * 86_400_000
    yield {
      name,
      count: Math.floor(random() * 1_000_000),
      amount: Math.round(random() * 1e8) / 1e4,
      day: new Date(dayMs),
      at: new Date(dayMs + Math.floor(random() * 86_400) * 1000),
      note: random() < 0.3 ? null : word()
    }
  }
}
