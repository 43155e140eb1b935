import type { Activity } from "@ctct-bulk/core";
import { describe, expect, it } from "vitest";
import type { JournaledChunk } from "../resume-state.ts";
import { matchLostChunk } from "./import.ts";

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
