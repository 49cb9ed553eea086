// Packs every public workspace package as `pnpm pack` would publish it, and checks the tarball:
// built ESM with declarations and source maps, an exports map that resolves inside the tarball,
// bins that exist, workspace: ranges rewritten, and nothing that should not ship (tests,
// build info). Run after `pnpm build`. Exits non-zero on the first problem found.
import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const packages = ["client", "emulator", "cli"]
const pnpm = process.env.npm_execpath?.includes("pnpm")
  ? [process.execPath, process.env.npm_execpath]
  : ["npx", "--yes", "pnpm@10"]

let failures = 0
const fail = (pkg, message) => {
  failures++
  console.error(`pack-check: ${pkg}: ${message}`)
}

for (const name of packages) {
  const dir = join(root, "packages", name)
  const out = mkdtempSync(join(tmpdir(), `pack-${name}-`))
  try {
    execFileSync(pnpm[0], [...pnpm.slice(1), "pack", "--pack-destination", out], { cwd: dir, stdio: "pipe" })
    const tarball = readdirSync(out).find((f) => f.endsWith(".tgz"))
    if (!tarball) {
      fail(name, "no tarball produced")
      continue
    }
    const files = execFileSync("tar", ["-tzf", join(out, tarball)], { encoding: "utf8" })
      .split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""))
    const has = (f) => files.includes(f)
    for (const f of ["package.json", "dist/index.js", "dist/index.d.ts", "dist/index.js.map", "src/index.ts"]) {
      if (!has(f)) fail(name, `missing ${f}`)
    }
    for (const f of files) {
      if (/^test\//.test(f) || f.includes("tsbuildinfo") || f.startsWith("node_modules/")) {
        fail(name, `ships ${f}`)
      }
    }
    execFileSync("tar", ["-xzf", join(out, tarball), "-C", out, "package/package.json"])
    const manifest = JSON.parse(readFileSync(join(out, "package", "package.json"), "utf8"))
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies }
    for (const [dep, range] of Object.entries(ranges)) {
      if (String(range).startsWith("workspace:")) fail(name, `${dep} still has range ${range}`)
    }
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (target === null || typeof target === "string") continue
      if (subpath.includes("*")) continue
      for (const condition of ["types", "default"]) {
        const file = target[condition]?.replace(/^\.\//, "")
        if (!file || !has(file)) fail(name, `exports["${subpath}"].${condition} -> ${file} is not in the tarball`)
      }
    }
    for (const [bin, file] of Object.entries(manifest.bin ?? {})) {
      if (!has(file.replace(/^\.\//, ""))) fail(name, `bin ${bin} -> ${file} is not in the tarball`)
    }
    console.log(`pack-check: ${manifest.name}@${manifest.version}: ${files.length} files ok`)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

if (failures > 0) {
  console.error(`pack-check: ${failures} problem(s)`)
  process.exit(1)
}
