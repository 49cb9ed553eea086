import { Datasets, DomoTable } from "@effect-domo/client"
import * as BigDecimal from "effect/BigDecimal"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

// One definition of the rows: Domo's column schema, the CSV encoder and decoder come from it.
export const Sales = DomoTable.make("Sales", {
  region: DomoTable.string,
  units: DomoTable.long, // a safe integer; DomoTable.bigint for the whole 64-bit range
  price: DomoTable.decimal, // an exact BigDecimal
  ratio: DomoTable.double,
  day: DomoTable.date, // YYYY-MM-DD (UTC)
  at: DomoTable.datetime, // YYYY-MM-DD HH:MM:SS (UTC)
  note: DomoTable.nullable(DomoTable.string)
})
export type Sale = DomoTable.Row<typeof Sales>

export const sale: Sale = {
  region: "North, East",
  units: 12,
  price: BigDecimal.unsafeFromString("19.99"),
  ratio: 0.25,
  day: new Date("2024-05-01"),
  at: new Date("2024-05-01T12:30:00Z"),
  note: null
}

// Create the dataset from the table, import typed rows, read them back typed.
export const roundTrip = (rows: Stream.Stream<Sale>) =>
  Effect.gen(function*() {
    const datasets = yield* Datasets.Datasets
    const created = yield* datasets.createFromTable(Sales, { name: "Sales 2024" })
    yield* datasets.importRows(Sales, created.id, rows)
    yield* datasets.exportRows(Sales, created.id).pipe(
      Stream.filter((row) => row.units > 10),
      Stream.runForEach((row) => Console.log(`${row.region}: ${BigDecimal.format(row.price)}`))
    )
    return yield* datasets.queryRows(Sales, created.id, "SELECT * FROM table WHERE units > 100")
  })

// Each way it can go wrong is its own error, naming what and where.
export const safely = (id: string, rows: Array<Sale>) =>
  Effect.flatMap(Datasets.Datasets, (datasets) => datasets.importRows(Sales, id, rows)).pipe(
    Effect.catchTags({
      SchemaMismatch: (e) => Console.error(`nothing sent: ${e.differences.join("; ")}`),
      CsvEncodeError: (e) => Console.error(`row ${e.row}, column ${e.column}: ${e.reason}`),
      NotFoundError: () => Console.error(`no dataset ${id}`)
    })
  )
