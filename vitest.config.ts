import { defineConfig } from "vitest/config";

// One vitest process for the whole repository: every workspace is a project.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "bench", "docs", "examples"],
  },
});
