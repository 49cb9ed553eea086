import { defineWorkspace } from "vitest/config"

// One vitest project per workspace package; each package's vitest.config.ts names itself.
export default defineWorkspace(["packages/*"])
