import { DomoScope } from "@effect-domo/client"
import * as Either from "effect/Either"

// DOMO_SCOPES accepts spaces or commas; an unknown scope is named in the error.
const scopes = DomoScope.parseList(process.env.DOMO_SCOPES ?? "data, user")
console.log(Either.isRight(scopes) ? DomoScope.format(scopes.right) : scopes.left)
