import { describe, expect, it } from "vitest";
import { ACTIVITY_STATUSES, isFinalStatus } from "./activity.ts";

describe("isFinalStatus()", () => {
  it("is true for COMPLETE and ERROR only", () => {
    expect(ACTIVITY_STATUSES.filter(isFinalStatus)).toEqual(["COMPLETE", "ERROR"]);
  });
});
