import { defineProject } from "vitest/config";

// The docs' own tests: the snippet checker and the site's page helpers.
export default defineProject({
  test: { name: "docs", include: ["*.test.ts", ".vitepress/*.test.ts"], testTimeout: 120_000 },
});
