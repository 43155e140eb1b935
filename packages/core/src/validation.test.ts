import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTACT_COLUMNS } from "./columns.ts";
import { type ContactHeader, formatContactLine, openContactFile } from "./contact-file.ts";
import {
  type Diagnostic,
  isUsCanadianRegion,
  isValidEmailAddress,
  SMALL_BATCH_THRESHOLD,
  smallBatchWarning,
  validateContactRow,
  validateContactTable,
  validateHeader,
} from "./validation.ts";

async function headerOf(line: string): Promise<ContactHeader> {
  return (await openContactFile(line)).header;
}

describe("validateHeader()", () => {
  it("accepts the seed's header for an add", async () => {
    const header = await headerOf("EMAIL ADDRESS,FIRST NAME,LAST NAME");
    expect(validateHeader(header, { activityType: "SV_ADD" })).toEqual([]);
  });

  it("says a header separated by semicolons is one, and that a sep= line is no header", async () => {
    const semicolons = await headerOf("Email Address;First Name;CITY\na@example.com;A;B");
    expect(validateHeader(semicolons, { activityType: "SV_ADD" })).toEqual([
      {
        severity: "error",
        message:
          'Unknown column "Email Address;First Name;CITY": the columns look separated by ";": separate them with commas (or tabs in a .TXT file)',
        line: 1,
        field: "Email Address;First Name;CITY",
      },
    ]);
    const excel = await headerOf("sep=;\nEMAIL ADDRESS;FIRST NAME");
    expect(validateHeader(excel, { activityType: "SV_ADD" }).map((found) => found.message)).toEqual(
      [
        'Unknown column "sep=;": a "sep=" line is a spreadsheet\'s hint, not a header: remove it, so that the first line names the columns',
        'Missing column "EMAIL ADDRESS": every contact file needs it',
      ],
    );
  });

  it("names an unknown column and the nearest valid one", async () => {
    const header = await headerOf("EMAIL ADDRESS,FIRST NAM,Favourite Colour,List Name");
    expect(validateHeader(header, { activityType: "ADD_CONTACTS" })).toEqual([
      {
        severity: "error",
        message: 'Unknown column "FIRST NAM": did you mean "FIRST NAME"?',
        line: 1,
        field: "FIRST NAM",
      },
      {
        severity: "error",
        message: expect.stringMatching(
          /^Unknown column "Favourite Colour": expected one of "EMAIL ADDRESS", "FIRST NAME", .*"CUSTOM FIELD 15"$/,
        ),
        line: 1,
        field: "Favourite Colour",
      },
      {
        severity: "error",
        message: 'Unknown column "List Name": it exists only in export files',
        line: 1,
        field: "List Name",
      },
    ]);
  });

  it("requires EMAIL ADDRESS and refuses a column named twice in any spelling", async () => {
    const header = await headerOf("First Name,FIRST  NAME");
    expect(validateHeader(header, { activityType: "SV_ADD" }).map((d) => d.message)).toEqual([
      'Duplicate column "FIRST NAME": fields 1 and 2 both name it',
      'Missing column "EMAIL ADDRESS": every contact file needs it',
    ]);
  });

  it("warns about SUB POSTAL CODE, and about every other column of a remove", async () => {
    const header = await headerOf("EMAIL ADDRESS,SUB POSTAL CODE,CITY");
    expect(validateHeader(header, { activityType: "ADD_CONTACT_DETAIL" })).toEqual([
      {
        severity: "warning",
        message: 'Ignored column "SUB POSTAL CODE": it is read-only and the server ignores it',
        line: 1,
        field: "SUB POSTAL CODE",
      },
    ]);
    const remove = validateHeader(header, { activityType: "REMOVE_CONTACTS_FROM_LISTS" });
    expect(remove.map((d) => [d.severity, d.message])).toEqual([
      ["warning", 'Ignored column "SUB POSTAL CODE": a remove reads only "EMAIL ADDRESS"'],
      ["warning", 'Ignored column "CITY": a remove reads only "EMAIL ADDRESS"'],
    ]);
  });

  it("refuses a contact file for a clear or an export", async () => {
    const header = await headerOf("EMAIL ADDRESS");
    expect(validateHeader(header, { activityType: "CLEAR_CONTACTS_FROM_LISTS" })).toEqual([
      {
        severity: "error",
        message: "Unexpected contact file: CLEAR_CONTACTS_FROM_LISTS takes no data",
        parameter: "data",
      },
    ]);
  });

  it("accepts every header of distinct canonical columns with EMAIL ADDRESS, in any case", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...CONTACT_COLUMNS.slice(1)), { maxLength: 31 }),
        fc.nat(),
        fc.boolean(),
        async (others, at, lower) => {
          const names = [...others];
          names.splice(at % (names.length + 1), 0, "EMAIL ADDRESS");
          const header = await headerOf(
            formatContactLine(lower ? names.map((n) => n.toLowerCase()) : names),
          );
          const errors = validateHeader(header, { activityType: "SV_ADD" }).filter(
            (d) => d.severity === "error",
          );
          expect(errors).toEqual([]);
        },
      ),
    );
  });
});

describe("validateContactRow()", () => {
  it("predicts the seed's per-line errors: Test2 at line 3, Test3 at line 4", async () => {
    const table = await openContactFile(
      "Email Address,First Name,State/Province (US/Canada)\ntest1@test.com,Test1,MA\ntest2@test.com,Test2,Test2\ntest3@test.com,Test3,Test3\n",
    );
    const found: Diagnostic[] = [];
    for await (const row of table.rows) found.push(...validateContactRow(table.header, row));
    expect(found).toEqual([
      {
        severity: "error",
        message: 'Unknown US/Canadian state/prov "Test2"',
        line: 3,
        email: "test2@test.com",
        field: "STATE/PROVINCE (US/CANADA)",
      },
      {
        severity: "error",
        message: 'Unknown US/Canadian state/prov "Test3"',
        line: 4,
        email: "test3@test.com",
        field: "STATE/PROVINCE (US/CANADA)",
      },
    ]);
  });

  it("checks STATE only for the US, Canada or no country", async () => {
    const header = await headerOf("EMAIL ADDRESS,STATE,COUNTRY");
    const check = (state: string, country: string): string[] =>
      validateContactRow(header, { line: 2, fields: ["a@x.com", state, country] }).map(
        (d) => d.message,
      );
    expect(check("Bavaria", "Germany")).toEqual([]);
    expect(check("Bavaria", "")).toEqual(['Unknown US/Canadian state/prov "Bavaria"']);
    expect(check("Bavaria", "united states")).toEqual(['Unknown US/Canadian state/prov "Bavaria"']);
    expect(check("qc", "Canada")).toEqual([]);
    expect(check("New  York", "USA")).toEqual([]);
    expect(check("", "USA")).toEqual([]);
  });

  it("reports an invalid email address as the server words it", async () => {
    const header = await headerOf("EMAIL ADDRESS,FIRST NAME");
    expect(validateContactRow(header, { line: 7, fields: ["joe at example.com", "Joe"] })).toEqual([
      {
        severity: "error",
        message: 'Invalid email address "joe at example.com"',
        line: 7,
        email: "joe at example.com",
        field: "EMAIL ADDRESS",
      },
    ]);
  });

  it("counts fields: too many is an error, too few a warning", async () => {
    const header = await headerOf("EMAIL ADDRESS,FIRST NAME,LAST NAME");
    const row = (fields: string[]): [string, string][] =>
      validateContactRow(header, { line: 2, fields }).map((d) => [d.severity, d.message]);
    expect(row(["a@x.com", "A", "B", "C"])).toEqual([
      ["error", "Too many fields: expected 3, got 4"],
    ]);
    expect(row(["a@x.com"])).toEqual([
      ["warning", "Too few fields: expected 3, got 1 (the missing ones are empty)"],
    ]);
  });

  it("checks only the email address of a remove", async () => {
    const header = await headerOf("EMAIL ADDRESS,STATE");
    const row = { line: 2, fields: ["a@x.com", "Nowhere"] };
    expect(validateContactRow(header, row, { activityType: "REMOVE_CONTACTS_FROM_LISTS" })).toEqual(
      [],
    );
    expect(validateContactRow(header, row)).toHaveLength(1);
  });
});

describe("isValidEmailAddress()", () => {
  it("follows SPEC §4: one @, a local part, a dotted domain, no spaces", () => {
    for (const good of ["wstest3@example.com", "a.b+c@mail.example.co.uk", "ü@exämple.de"])
      expect(isValidEmailAddress(good)).toBe(true);
    for (const bad of [
      "",
      "a",
      "@example.com",
      "a@",
      "a@example",
      "a@@example.com",
      "a@b@c.com",
      "a b@c.com",
      "a@.com",
      "a@example.",
      "a@b..com",
    ])
      expect(isValidEmailAddress(bad), bad).toBe(false);
  });

  it("refuses control characters and lone surrogates, which no address holds and XML cannot carry", () => {
    for (const bad of [
      "bad\u0001ctl@example.com",
      "a@exa\u0000mple.com",
      "del\u007f@example.com",
      "c1\u0085@example.com",
      "sur\ud800@example.com",
      "a@example.com\udfff",
      "non\ufffe@example.com",
    ])
      expect(isValidEmailAddress(bad), JSON.stringify(bad)).toBe(false);
    expect(isValidEmailAddress("emoji😀@example.com")).toBe(true); // a surrogate pair is a character
  });

  it("refuses any address with whitespace or a second @", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9.]{1,10}$/),
        fc.constantFrom(" ", "\t", "\u00a0", "@"),
        fc.nat(20),
        (local, bad, at) => {
          const address = `${local}@example.com`;
          const broken =
            address.slice(0, at % address.length) + bad + address.slice(at % address.length);
          expect(isValidEmailAddress(broken)).toBe(false);
        },
      ),
    );
  });
});

describe("isUsCanadianRegion()", () => {
  it("knows codes and names of states and provinces, in any case", () => {
    for (const good of [
      "MA",
      "ma",
      "Massachusetts",
      "DC",
      "PR",
      "British Columbia",
      "Québec",
      "ON",
      "nl",
    ])
      expect(isUsCanadianRegion(good), good).toBe(true);
    for (const bad of ["Test2", "XX", "Bavaria", "M A", ""])
      expect(isUsCanadianRegion(bad), bad).toBe(false);
  });
});

describe("smallBatchWarning()", () => {
  it("warns under 25 contacts only", () => {
    expect(SMALL_BATCH_THRESHOLD).toBe(25);
    expect(smallBatchWarning(24)).toEqual({
      severity: "warning",
      message:
        "Small batch: 24 contacts, fewer than the 25 this resource is meant for (use the Contacts collection for small sets)",
    });
    expect(smallBatchWarning(1)?.message).toMatch(/^Small batch: 1 contact,/);
    expect(smallBatchWarning(25)).toBeUndefined();
    expect(smallBatchWarning(100_000)).toBeUndefined();
  });
});

describe("validateContactTable()", () => {
  it("reports header, rows, a malformed row and stops there", async () => {
    const table = await openContactFile('EMAIL ADDRESS,FIRST NAM\nbad,X\ngood@x.com,"Y\n');
    const found: Diagnostic[] = [];
    for await (const d of validateContactTable(table, { activityType: "SV_ADD" })) found.push(d);
    expect(found.map((d) => [d.line, d.message.slice(0, 30)])).toEqual([
      [1, 'Unknown column "FIRST NAM": di'],
      [2, 'Invalid email address "bad"'],
      [3, "Unterminated quoted field at l"],
    ]);
  });

  it("adds the small-batch warning after the rows", async () => {
    const table = await openContactFile("EMAIL ADDRESS\na@x.com\n");
    const found: Diagnostic[] = [];
    for await (const d of validateContactTable(table, { activityType: "SV_ADD" })) found.push(d);
    expect(found).toEqual([smallBatchWarning(1)]);
  });
});
