import { Accounts } from "@effect-domo/client"
import * as DomoNode from "@effect-domo/client/DomoNode"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

// Needs the `account` scope.
const program = Effect.gen(function*() {
  const accounts = yield* Accounts.Accounts

  // which properties does a MySQL account need?
  const mysql = yield* accounts.getType("mysql")
  for (const property of mysql._templates?.["default"]?.properties ?? []) {
    yield* Console.log(`${property.name}${property.required === true ? " (required)" : ""}: ${property.prompt ?? ""}`)
  }

  const password = yield* Config.redacted("MYSQL_PASSWORD")
  const warehouse = yield* accounts.create({
    name: "Warehouse",
    type: {
      id: "mysql",
      properties: {
        host: "db.example.com",
        port: "3306",
        database: "sales",
        username: "etl",
        password: Redacted.value(password)
      }
    }
  })
  // Domo never echoes the properties back
  yield* Console.log(`${warehouse.id}  ${warehouse.name}  valid: ${warehouse.valid ?? "?"}`)

  yield* accounts.update(warehouse.id, { name: "Warehouse (prod)" })
  yield* accounts.share(warehouse.id, 1234567)

  yield* accounts.list().pipe(Stream.runForEach((account) => Console.log(`${account.id}  ${account.name}`)))
})

program.pipe(Effect.provide(Accounts.layer.pipe(Layer.provide(DomoNode.layer))), NodeRuntime.runMain)
