import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs } from "./_test_context.ts";
import {
  createImportStateWriter,
  defaultStatePath,
  type ImportState,
  readImportState,
} from "./resume-state.ts";

function newState(): ImportState {
  return {
    version: 1,
    input: { path: "contacts.csv", fileName: "contacts.csv" },
    request: {
      command: "import",
      activityType: "SV_ADD",
      lists: ["http://x/ws/customers/u/lists/1"],
      maxEncodedBytes: 1_900_000,
    },
    chunks: [],
    pending: null,
    completed: false,
    startedAt: "2026-11-23T18:00:00.000Z",
    updatedAt: "2026-11-23T18:00:00.000Z",
  };
}

afterAll(removeTempDirs);

describe("the import state file", () => {
  it("lives beside the input, and nowhere for stdin", () => {
    expect(defaultStatePath("data/contacts.csv", "/work")).toBe(
      "/work/data/contacts.csv.ctct-bulk.json",
    );
    expect(defaultStatePath("-", "/work")).toBeUndefined();
    expect(defaultStatePath("data/contacts.csv", "/work", "remove")).toBe(
      "/work/data/contacts.csv.ctct-bulk-remove.json",
    );
  });

  it("records a pending chunk before its request and the accepted chunk after its 201", async () => {
    const path = join(await makeTempDir("ctct-cli-state-"), "s.json");
    const writer = await createImportStateWriter(path, newState());
    await writer.sending({ index: 0, since: "2026-11-23T18:00:01.000Z" });
    expect((await readImportState(path))?.pending).toEqual({
      index: 0,
      since: "2026-11-23T18:00:01.000Z",
    });
    await writer.accepted({
      index: 0,
      activityId: "a07e1ffaxjyffmvqgiz",
      activityUri: "http://x/ws/customers/u/activities/a07e1ffaxjyffmvqgiz",
      rowCount: 3,
      encodedBytes: 40,
      firstLine: 2,
      lastLine: 4,
      lineRuns: [[1, 1, 4]],
      recovered: false,
      prefix: { line: 4, bytes: 30, sha256: "0".repeat(64) },
      acceptedAt: "2026-11-23T18:00:02.000Z",
    });
    const read = await readImportState(path);
    // Nothing is in doubt between a 201 and the next chunk's request.
    expect(read?.pending).toBeNull();
    expect(read?.chunks.map((chunk) => chunk.activityId)).toEqual(["a07e1ffaxjyffmvqgiz"]);
    await writer.complete();
    expect((await readImportState(path))?.completed).toBe(true);
  });

  it("settles a refused chunk and removes the file of a run that left nothing to resume", async () => {
    const path = join(await makeTempDir("ctct-cli-state-"), "s.json");
    const writer = await createImportStateWriter(path, newState());
    await writer.sending({ index: 0, since: "2026-11-23T18:00:01.000Z" });
    await writer.settle();
    expect((await readImportState(path))?.pending).toBeNull();
    await writer.remove();
    expect(await readImportState(path)).toBeUndefined();
  });

  it("is absent, or refused with a way out when it is not a state file", async () => {
    const dir = await makeTempDir("ctct-cli-state-");
    expect(await readImportState(join(dir, "none.json"))).toBeUndefined();
    await writeFile(join(dir, "bad.json"), '{"version":7}');
    await expect(readImportState(join(dir, "bad.json"))).rejects.toThrow(
      "it is not a ctct-bulk import state (version 1)",
    );
    await writeFile(join(dir, "junk.json"), "{");
    await expect(readImportState(join(dir, "junk.json"))).rejects.toThrow("it is not JSON");
    expect(await readFile(join(dir, "junk.json"), "utf8")).toBe("{");
  });
});
