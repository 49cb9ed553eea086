// Every ```ts block in README.md and docs/*.md must appear verbatim in a file under
// docs/examples/, which `pnpm check` type-checks: documentation that compiles, or a failing check.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const examplesDir = join(root, "docs", "examples")
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(join(examplesDir, f), "utf8"))
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))
]

let missing = 0
for (const page of pages) {
  const text = readFileSync(join(root, page), "utf8")
  for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    if (!examples.some((source) => source.includes(match[1].trim()))) {
      missing++
      console.error(`docs-snippets: ${page}: a ts block is not in docs/examples/:\n${match[1].slice(0, 200)}`)
    }
  }
}
if (missing > 0) process.exit(1)
console.log(`docs-snippets: ${pages.length} pages, every ts block is type-checked`)
