import { defineConfig } from "vitest/config"

/**
 * Settings every package's vitest config shares: resolve workspace packages to their TypeScript
 * sources (the `@effect-domo/source` export condition), Effect-aware equality in `expect`.
 */
export const shared = defineConfig({
  resolve: { conditions: ["@effect-domo/source"] },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./vitest.setup.ts", import.meta.url).pathname],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
