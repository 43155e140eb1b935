import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { isCi, sharedMaterial } from "./_test_shared.ts";

const here = pathToFileURL(`${mkdtempSync(join(tmpdir(), "ctct-shared-"))}/`);
const missing = new URL("no-such-dir/seeds/", here);

describe("sharedMaterial()", () => {
  it("finds a folder that is there", () => {
    expect(sharedMaterial(here, {})).toEqual({ present: true });
  });

  it("gives a reason to skip, naming the folder, outside CI", () => {
    const found = sharedMaterial(missing, {});
    expect(found.present).toBe(false);
    expect(!found.present && found.reason).toContain(`${missing.pathname.replace(/\/$/, "")}`);
    expect(!found.present && found.reason).toContain("shared/ beside the clone");
  });

  it("refuses to skip in CI: the seed tests must run there", () => {
    expect(() => sharedMaterial(missing, { CI: "true" })).toThrow(
      /no-such-dir\/seeds is missing, and CI=true/,
    );
  });

  it("reads CI as CI tools set it", () => {
    expect(isCi({ CI: "true" })).toBe(true);
    expect(isCi({ CI: "1" })).toBe(true);
    expect(isCi({ CI: "false" })).toBe(false);
    expect(isCi({ CI: "0" })).toBe(false);
    expect(isCi({ CI: "" })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});
