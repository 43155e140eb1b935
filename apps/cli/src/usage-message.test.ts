import { describe, expect, it } from "vitest";
import { usageMessage } from "./usage-message.ts";

describe("usageMessage()", () => {
  it("names a required option with its dashes", () => {
    expect(usageMessage("Missing required argument: list", ["import", "a.csv"])).toBe(
      "Missing --list",
    );
    expect(usageMessage("Missing required arguments: list, out", ["export"])).toBe(
      "Missing --list, --out",
    );
  });

  it("names an option typed without its value", () => {
    expect(
      usageMessage("Not enough arguments following: chunk-size", [
        "import",
        "a.csv",
        "--chunk-size",
      ]),
    ).toBe("Missing the value of --chunk-size");
  });

  it("quotes a value outside an option's choices, as the other bad values are", () => {
    expect(
      usageMessage('Invalid values:\n  Argument: sort, Given: "size", Choices: "email", "date"', [
        "export",
      ]),
    ).toBe('Invalid --sort "size": expected one of "email", "date"');
    expect(
      usageMessage(
        'Invalid values:\n  Argument: status, Given: "A", Choices: "B"\n  Argument: type, Given: "C", Choices: "D"',
        ["activities"],
      ),
    ).toBe('Invalid --status "A": expected one of "B"; invalid --type "C": expected one of "D"');
  });

  it("names both options of a conflict", () => {
    expect(usageMessage("Arguments json and ndjson are mutually exclusive", ["lists"])).toBe(
      "--json and --ndjson cannot be used together",
    );
  });

  it("tells an unknown option (as typed: long or short) from an extra argument", () => {
    expect(usageMessage("Unknown argument: bogus", ["lists", "--bogus"])).toBe(
      "Unknown option --bogus",
    );
    expect(usageMessage("Unknown argument: bogus", ["lists", "--bogus=1"])).toBe(
      "Unknown option --bogus",
    );
    expect(usageMessage("Unknown argument: x", ["lists", "-x"])).toBe("Unknown option -x");
    expect(usageMessage("Unknown argument: b.csv", ["import", "a.csv", "b.csv"])).toBe(
      'Unexpected argument "b.csv"',
    );
    expect(usageMessage("Unknown arguments: x, b.csv", ["import", "-x", "a.csv", "b.csv"])).toBe(
      'Unknown option -x; unexpected argument "b.csv"',
    );
  });

  it("leaves the CLI's own messages alone", () => {
    expect(usageMessage('Invalid --timeout "0": expected a number', ["wait"])).toBe(
      'Invalid --timeout "0": expected a number',
    );
  });
});
