import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONTACT_COLUMNS,
  EXPORT_COLUMNS,
  EXPORT_OPTION_COLUMNS,
  findContactColumn,
  findExportOptionColumn,
  isIgnoredColumn,
  nearestContactColumn,
} from "./columns.ts";

describe("CONTACT_COLUMNS", () => {
  it("holds 32 distinct names, EMAIL ADDRESS first, and 31 export columns", () => {
    expect(CONTACT_COLUMNS).toHaveLength(32);
    expect(new Set(CONTACT_COLUMNS).size).toBe(32);
    expect(CONTACT_COLUMNS[0]).toBe("EMAIL ADDRESS");
    expect(EXPORT_COLUMNS).toHaveLength(31);
    expect(EXPORT_COLUMNS).not.toContain("EMAIL ADDRESS");
  });

  it("flags only SUB POSTAL CODE as ignored", () => {
    expect(CONTACT_COLUMNS.filter(isIgnoredColumn)).toEqual(["SUB POSTAL CODE"]);
  });
});

describe("findContactColumn()", () => {
  it("matches the seeds' 'Email Address' and odd spacing", () => {
    expect(findContactColumn("Email Address")).toBe("EMAIL ADDRESS");
    expect(findContactColumn("  state/province   (us/canada) ")).toBe("STATE/PROVINCE (US/CANADA)");
    expect(findContactColumn("custom\tfield 15")).toBe("CUSTOM FIELD 15");
  });

  it("finds nothing for a near miss or an export-only column", () => {
    expect(findContactColumn("FIRST NAM")).toBeUndefined();
    expect(findContactColumn("CUSTOM FIELD 16")).toBeUndefined();
    expect(findContactColumn("LIST NAME")).toBeUndefined();
    expect(findExportOptionColumn("list name")).toBe(EXPORT_OPTION_COLUMNS.listName);
  });

  it("finds every column whatever its case", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONTACT_COLUMNS),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (column, upper) => {
          const mixed = [...column]
            .map((char, index) => (upper[index % 30] ? char : char.toLowerCase()))
            .join("");
          expect(findContactColumn(mixed)).toBe(column);
        },
      ),
    );
  });
});

describe("nearestContactColumn()", () => {
  it("suggests FIRST NAME for FIRST NAM and EMAIL ADDRESS for EMAIL ADRESS", () => {
    expect(nearestContactColumn("FIRST NAM")).toBe("FIRST NAME");
    expect(nearestContactColumn("email adress")).toBe("EMAIL ADDRESS");
    expect(nearestContactColumn("Custom Feild 15")).toBe("CUSTOM FIELD 15");
  });

  it("suggests the column of a common spreadsheet name", () => {
    expect(nearestContactColumn("Email")).toBe("EMAIL ADDRESS");
    expect(nearestContactColumn("zip code")).toBe("POSTAL CODE");
    expect(nearestContactColumn("Company")).toBe("COMPANY NAME");
    expect(findContactColumn("Email")).toBeUndefined();
  });

  it("suggests nothing for a name far from every column", () => {
    expect(nearestContactColumn("favourite colour")).toBeUndefined();
    expect(nearestContactColumn("")).toBeUndefined();
  });
});
