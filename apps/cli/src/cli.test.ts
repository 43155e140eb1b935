import { describe, expect, it } from "vitest";
import { buildCli } from "./cli.ts";

describe("buildCli()", () => {
  it("refuses to run without a command", async () => {
    const errors: string[] = [];
    await buildCli([])
      .fail((message) => errors.push(message))
      .parseAsync();
    expect(errors[0]).toMatch(/Name a command/);
  });
});
