import { describe, expect, it } from "vitest";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  decideAddType,
  isActivityStatus,
  isActivityType,
  isFinalStatus,
  isRequestedActivityType,
  REQUESTED_ACTIVITY_TYPES,
  reportedActivityType,
} from "./activity.ts";
import { CONTACT_COLUMNS } from "./columns.ts";

describe("isFinalStatus()", () => {
  it("is true for COMPLETE and ERROR only", () => {
    expect(ACTIVITY_STATUSES.filter(isFinalStatus)).toEqual(["COMPLETE", "ERROR"]);
  });
});

describe("activity types", () => {
  it("reports every requested type but SV_ADD", () => {
    expect(REQUESTED_ACTIVITY_TYPES.filter((type) => !isActivityType(type))).toEqual(["SV_ADD"]);
    expect(ACTIVITY_TYPES.every(isRequestedActivityType)).toBe(true);
  });

  it("reports SV_ADD as ADD_CONTACTS and other types as themselves", () => {
    expect(REQUESTED_ACTIVITY_TYPES.map(reportedActivityType)).toEqual([
      "ADD_CONTACTS",
      "ADD_CONTACTS",
      "ADD_CONTACT_DETAIL",
      "REMOVE_CONTACTS_FROM_LISTS",
      "CLEAR_CONTACTS_FROM_LISTS",
      "EXPORT_CONTACTS",
    ]);
  });

  it("recognizes statuses and types case-sensitively", () => {
    expect(isActivityStatus("RUNNING")).toBe(true);
    expect(isActivityStatus("running")).toBe(false);
    expect(isRequestedActivityType("sv_add")).toBe(false);
  });
});

describe("decideAddType()", () => {
  it("is ADD_CONTACTS for the seed's EMAIL ADDRESS, FIRST NAME, LAST NAME", () => {
    expect(decideAddType(["EMAIL ADDRESS", "FIRST NAME", "LAST NAME"])).toBe("ADD_CONTACTS");
    expect(decideAddType(["EMAIL ADDRESS", "MIDDLE NAME"])).toBe("ADD_CONTACTS");
    expect(decideAddType(["EMAIL ADDRESS"])).toBe("ADD_CONTACTS");
  });

  it("is ADD_CONTACT_DETAIL as soon as any other column is present", () => {
    const others = CONTACT_COLUMNS.filter(
      (column) => !["EMAIL ADDRESS", "FIRST NAME", "MIDDLE NAME", "LAST NAME"].includes(column),
    );
    expect(others).toHaveLength(28);
    for (const column of others)
      expect(decideAddType(["EMAIL ADDRESS", "FIRST NAME", column])).toBe("ADD_CONTACT_DETAIL");
  });
});
