import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/mod.ts";
import { REFERENCE_PATH, renderReference } from "./generate-reference.ts";

describe("docs/cli/reference.md", () => {
  it("is what the yargs definitions generate (run node apps/cli/scripts/generate-reference.ts)", async () => {
    expect(await readFile(REFERENCE_PATH, "utf8")).toBe(await renderReference());
  });

  it("documents every command and every option", async () => {
    const page = await renderReference();
    for (const definition of COMMANDS) {
      expect(page).toContain(`## \`ctct-bulk ${definition.command}\``);
      for (const option of Object.keys(definition.options ?? {}))
        expect(page).toContain(`\`--${option}\``);
    }
  });
});
