import { describe, expect, it } from "vitest";
import { ContactFileError, formatContactLine } from "./contact-file.ts";

describe("formatContactLine()", () => {
  it("quotes exactly the fields that need it", () => {
    expect(formatContactLine(["a@example.com", "Fred", "Test"])).toBe("a@example.com,Fred,Test");
    expect(formatContactLine(["a@example.com", "Boston, MA", 'Joe "JJ"', " x", "y\n"])).toBe(
      'a@example.com,"Boston, MA","Joe ""JJ""",," x","y\n"'.replace(",,", ","),
    );
    expect(formatContactLine(["a, b", "c\td"], "\t")).toBe('a, b\t"c\td"');
    expect(formatContactLine([""])).toBe('""');
    expect(formatContactLine(["", ""])).toBe(",");
  });
});

describe("ContactFileError", () => {
  it("names the file, line and field, and is a SyntaxError", () => {
    const error = new ContactFileError(
      "Unterminated quoted field",
      { fileName: "c.csv", line: 3, field: "CITY", column: 2 },
      "the file ends inside the quotes",
    );
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.message).toBe(
      'Unterminated quoted field in "c.csv" at line 3, field "CITY": the file ends inside the quotes',
    );
    expect(ContactFileError.isInstance(error)).toBe(true);
    expect(new ContactFileError("Too many fields", { line: 4, column: 5 }).message).toBe(
      "Too many fields at line 4, field 5",
    );
  });
});
