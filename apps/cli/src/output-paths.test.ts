import { link, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs } from "./_test_context.ts";
import { checkOutputPaths } from "./output-paths.ts";

afterAll(removeTempDirs);

describe("checkOutputPaths()", () => {
  it("refuses an output that is the input, by path or through a hard link, or another output", async () => {
    const dir = await makeTempDir("ctct-outputs-");
    await writeFile(join(dir, "in.csv"), "EMAIL ADDRESS\n");
    await link(join(dir, "in.csv"), join(dir, "linked.csv"));
    expect(() =>
      checkOutputPaths(dir, "in.csv", [{ option: "--rejects", path: "./in.csv" }]),
    ).toThrow(
      'Invalid --rejects "./in.csv": it is the input file, which it would overwrite: name another file',
    );
    expect(() =>
      checkOutputPaths(dir, "in.csv", [{ option: "--state", path: "linked.csv" }]),
    ).toThrow('Invalid --state "linked.csv": it is the input file');
    expect(() =>
      checkOutputPaths(dir, "-", [
        { option: "--state", path: "s.json" },
        { option: "--rejects", path: join(dir, "s.json") },
      ]),
    ).toThrow("it is the file of --state");
    expect(() =>
      checkOutputPaths(dir, "in.csv", [
        { option: "--state", path: undefined },
        { option: "--rejects", path: "refused.csv" },
      ]),
    ).not.toThrow();
  });
});
