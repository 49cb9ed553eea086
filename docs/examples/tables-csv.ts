import { Datasets, DomoTable } from "@effect-domo/client"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

const People = DomoTable.make("People", {
  name: DomoTable.string,
  age: DomoTable.nullable(DomoTable.long)
})

// The codec on its own: rows → CSV bytes (in large chunks) and bytes → rows, as streams.
export const bytes = Stream.make({ name: "Leia", age: 19 }, { name: "", age: null }).pipe(
  DomoTable.encodeCsv(People)
)
export const rows = bytes.pipe(DomoTable.decodeCsv(People))

// Small data: strings in, strings out. `""` is the empty string, an empty field is null.
console.log(DomoTable.formatCsv(People, [{ name: "Han, Solo", age: null }])) // Right("\"Han, Solo\",\n")
const parsed = DomoTable.parseCsv(People, "Leia,19\n\"\",\n")
if (Either.isLeft(parsed)) console.error(parsed.left.message)

// A bad value: the error names the row, the column and the value.
const bad = DomoTable.parseCsv(People, "Leia,nineteen\n")
if (Either.isLeft(bad)) console.error(bad.left.message) // People: cannot decode row 1, column "age" (value "nineteen"): …

// Untyped: a table inferred from a dataset's live schema, rows as records.
export const dump = (id: string) =>
  Effect.gen(function*() {
    const datasets = yield* Datasets.Datasets
    const table = yield* datasets.table(id)
    yield* datasets.exportRows(table, id).pipe(Stream.take(5), Stream.runForEach((row) => Console.log(row)))
  })
