import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    // The end-to-end tests start the CLI as a child process, several times per test.
    testTimeout: 30_000,
  },
});
