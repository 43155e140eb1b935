import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Activity } from "@ctct-bulk/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs, testContext } from "../_test_context.ts";
import { openInputFile } from "../input.ts";
import type { ProgressDisplay } from "../output.ts";
import { createOutput } from "../output.ts";
import type { JournaledChunk } from "../resume-state.ts";
import {
  describeImport,
  type ImportCommandResult,
  importProgress,
  matchLostChunk,
  resumeCommandLine,
  writeRejects,
} from "./import.ts";

afterAll(removeTempDirs);

describe("writeRejects()", () => {
  it("writes the refused rows in the file's order, whatever the errors' order, with a line's reasons together", async () => {
    const dir = await makeTempDir("ctct-cli-rejects-");
    await writeFile(
      join(dir, "in.csv"),
      'EMAIL ADDRESS,CITY\na@example.com,X\nbad2,"two\nlines"\nok@example.com,Y\nbad5,Z\nlast@example.com,W\n',
    );
    const context = testContext({ cwd: dir });
    const session = {
      context,
      output: createOutput(context),
      globals: {} as never,
    };
    const error = (line: number | undefined, message: string) => ({
      ...(line === undefined ? { email: "lost@example.com" } : { line }),
      chunkIndex: 0,
      activityId: "a07e",
      message,
    });
    const count = await writeRejects(
      "out.csv",
      () => openInputFile("in.csv", context),
      [
        error(6, 'Invalid email address "bad5"'),
        error(3, 'Invalid email address "bad2"'),
        error(undefined, "Unknown"),
        error(6, "Second reason"),
      ],
      session,
    );
    expect(count).toBe(3);
    expect(await readFile(join(dir, "out.csv"), "utf8")).toBe(
      [
        "EMAIL ADDRESS,CITY,REJECTED LINE,REJECTED REASON",
        'bad2,"two\nlines",3,"Invalid email address ""bad2"""',
        'bad5,Z,6,"Invalid email address ""bad5""; Second reason"',
        "lost@example.com,,0,Unknown (the server gave no line number)",
        "",
      ].join("\n"),
    );
  });
});

const chunk: JournaledChunk = {
  index: 3,
  activityId: "",
  activityUri: "",
  rowCount: 500,
  encodedBytes: 40_000,
  firstLine: 1502,
  lastLine: 2001,
  lineRuns: [
    [1, 1, 1],
    [2, 1502, 500],
  ],
  recovered: true,
  prefix: { line: 2001, bytes: 90_000, sha256: "0".repeat(64) },
  acceptedAt: "2026-11-23T18:00:00.000Z",
};

function activity(id: string, fields: Partial<Activity>): Activity {
  return {
    uri: `http://api.constantcontact.com/ws/customers/joesflowers/activities/${id}`,
    id,
    type: "ADD_CONTACTS",
    status: "COMPLETE",
    fileName: "",
    transactionCount: 500,
    errors: [],
    errorCount: 0,
    ...fields,
  };
}

describe("matchLostChunk()", () => {
  it("takes the one activity whose type and counts fit the chunk", () => {
    const ours = activity("a07eaaaaaaaaaaaaaa1", { transactionCount: 497, errorCount: 3 });
    const other = activity("a07eaaaaaaaaaaaaaa2", { transactionCount: 20 });
    const detail = activity("a07eaaaaaaaaaaaaaa3", { type: "ADD_CONTACT_DETAIL" });
    expect(matchLostChunk([other, ours, detail], chunk, "ADD_CONTACTS")).toBe(ours);
  });

  it("counts an unfinished activity of the right type as a fit", () => {
    const running = activity("a07eaaaaaaaaaaaaaa4", { status: "RUNNING", transactionCount: 0 });
    expect(matchLostChunk([running], chunk, "ADD_CONTACTS")).toBe(running);
  });

  it("finds nothing when no activity fits: the chunk never arrived", () => {
    expect(
      matchLostChunk(
        [activity("a07eaaaaaaaaaaaaaa5", { transactionCount: 12 })],
        chunk,
        "ADD_CONTACTS",
      ),
    ).toBeUndefined();
    expect(matchLostChunk([], chunk, "ADD_CONTACTS")).toBeUndefined();
  });

  it("refuses to guess between several fitting activities, naming them", () => {
    const first = activity("a07eaaaaaaaaaaaaaa6", { status: "QUEUED" });
    const second = activity("a07eaaaaaaaaaaaaaa7", {});
    expect(() => matchLostChunk([first, second], chunk, "ADD_CONTACTS")).toThrow(
      'Cannot tell whether chunk 3 (lines 1502–2001) of the interrupted run reached the server: 2 activities could be its: "a07eaaaaaaaaaaaaaa6", "a07eaaaaaaaaaaaaaa7"',
    );
  });

  it("names at most three of many fitting activities, and points at --forget-pending", () => {
    const many = Array.from({ length: 170 }, (_, i) =>
      activity(`a07ebbbbbbbbbbbb${String(i).padStart(3, "0")}`, { status: "QUEUED" }),
    );
    let error: unknown;
    try {
      matchLostChunk(many, chunk, "ADD_CONTACTS");
    } catch (caught) {
      error = caught;
    }
    const { message, hint } = error as { message: string; hint: string };
    expect(message).toMatch(
      /170 activities could be its: "[^"]+", "[^"]+", "[^"]+" … and 167 more$/,
    );
    expect(hint).toContain("--resume --forget-pending");
    expect(hint).not.toContain('pending" entry');
  });
});

function importResult(chunks: number, errors: number): ImportCommandResult {
  return {
    command: "import",
    file: "big.csv",
    lists: ["http://x/ws/customers/u/lists/3"],
    rows: chunks * 100,
    chunks: Array.from({ length: chunks }, (_, index) => ({
      index,
      activityId: `a07e${String(index).padStart(15, "0")}`,
      activityUri: `http://x/ws/customers/u/activities/a07e${index}`,
      firstLine: index * 100 + 2,
      lastLine: index * 100 + 101,
      rowCount: 100,
      status: "COMPLETE",
      resumed: false,
      recovered: false,
    })),
    outcome: errors > 0 ? "complete-with-errors" : "complete",
    errorCount: errors,
    errors: Array.from({ length: errors }, (_, i) => ({
      line: i + 2,
      chunkIndex: 0,
      activityId: "a07e000000000000000",
      message: "Invalid email address",
    })),
    warnings: [],
  };
}

describe("describeImport()", () => {
  it("says how many refused lines it does not show, without pluralising the word more", () => {
    const text = describeImport(importResult(1, 30), undefined);
    expect(text).toContain("  … and 10 more\n");
    expect(text).not.toContain("mores");
  });

  it("never hides a single chunk behind an ellipsis, and elides two or more", () => {
    const eleven = describeImport(importResult(11, 0), undefined);
    expect(eleven).not.toContain("…");
    expect(eleven).toContain("a07e000000000000005");
    const twelve = describeImport(importResult(12, 0), undefined);
    expect(twelve).toContain("2 more");
    expect(twelve).not.toContain("a07e000000000000005");
  });

  it("names the jobs that failed, their lines and activities", () => {
    const result = importResult(3, 0);
    result.outcome = "error";
    result.chunks[1]!.status = "ERROR";
    expect(describeImport(result, undefined)).toContain(
      'A job failed (status ERROR), lines 102–201 of "big.csv": see ctct-bulk status a07e000000000000001',
    );
    result.chunks[2]!.status = "ERROR";
    expect(describeImport(result, undefined)).toContain(
      "2 jobs failed (status ERROR), lines 102–201, 202–301 of",
    );
  });

  it("speaks of one job in the singular", () => {
    expect(describeImport(importResult(1, 0), undefined)).toContain(
      "The job completed, no line refused",
    );
    expect(describeImport(importResult(3, 0), undefined)).toContain(
      "All 3 jobs completed, no line refused",
    );
  });
});

describe("importProgress()", () => {
  function recordingBar(): { bar: ProgressDisplay; values: number[]; totals: number[] } {
    const values: number[] = [];
    const totals: number[] = [];
    return {
      values,
      totals,
      bar: {
        update: (value) => values.push(value),
        setTotal: (total) => totals.push(total),
        stop: () => {},
      },
    };
  }

  it("shows bytes while sending, then jobs while waiting, never alternating", () => {
    const { bar, values, totals } = recordingBar();
    const progress = importProgress(bar, 1000);
    progress.tick(990, {});
    progress.waiting(2, 11, {});
    progress.tick(990, {}); // the timer still ticks with bytes: ignored now
    progress.waiting(4, 11, {});
    expect(values).toEqual([990, 2, 2, 4]);
    expect(totals).toEqual([11]);
  });

  it("never goes back within a phase, whatever the ticks (property)", () => {
    const step = fc.oneof(
      fc.record({ tick: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ finished: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { bar, values, totals } = recordingBar();
        const progress = importProgress(bar, 1000);
        let finished = 0;
        let switchedAt = -1;
        for (const next of steps) {
          if ("tick" in next) progress.tick(next.tick, {});
          else {
            finished = Math.max(finished, next.finished); // jobs only ever finish
            if (switchedAt < 0) switchedAt = values.length;
            progress.waiting(finished, 20, {});
          }
        }
        expect(totals.length).toBeLessThanOrEqual(1);
        for (let i = 1; i < values.length; i++)
          if (i !== switchedAt) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
        for (const value of values) expect(value).toBeLessThanOrEqual(1000);
      }),
    );
  });
});

describe("resumeCommandLine()", () => {
  it("repeats what must be the same, quoted for a shell, then --resume", () => {
    expect(
      resumeCommandLine("import", {
        file: "my contacts.csv",
        list: ["VIP customers", "4"],
        chunkSize: 20000,
        wait: true,
        encoding: "windows-1252",
      }),
    ).toBe(
      "ctct-bulk import 'my contacts.csv' --list 'VIP customers' --list 4 --chunk-size 20000 --encoding windows-1252 --wait --resume",
    );
    expect(
      resumeCommandLine("remove", {
        file: "",
        list: ["O'Brien's"],
        state: "s.json",
        rejects: "r.csv",
        wait: true,
      }),
    ).toBe("ctct-bulk remove - --list 'O'\\''Brien'\\''s' --state s.json --rejects r.csv --resume");
  });
});
