import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources in tests (the `@effect-domo/source`
// export condition), never to a possibly stale dist/. Vitest runs Node tests in Vite's SSR
// environment, so the condition goes under `ssr.resolve` as well as `resolve`.
const conditions = ["@effect-domo/source"]

/**
 * Settings every package's vitest config shares: source resolution, Effect-aware equality in
 * `expect`, timeouts for tests that run real servers.
 */
export const shared = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./vitest.setup.ts", import.meta.url).pathname],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
