import { describe, expect, it } from "vitest";
import { checkNumberOptions, rawOptionValue } from "./number-options.ts";

describe("rawOptionValue()", () => {
  it("finds the typed text of --name value and --name=value, the last one winning", () => {
    expect(rawOptionValue(["import", "a.csv", "--chunk-size", "abc"], "chunk-size")).toBe("abc");
    expect(rawOptionValue(["--limit=1x", "--limit", "2y"], "limit")).toBe("2y");
    expect(rawOptionValue(["--limits", "3"], "limit")).toBeUndefined();
    expect(rawOptionValue(["--", "--limit", "3"], "limit")).toBeUndefined();
  });
});

describe("checkNumberOptions()", () => {
  it("names the option and what was typed when it is not a number", () => {
    expect(() =>
      checkNumberOptions({ chunkSize: Number.NaN, "chunk-size": Number.NaN }, [
        "import",
        "a.csv",
        "--chunk-size",
        "abc",
      ]),
    ).toThrow('Invalid --chunk-size "abc": expected a number');
    expect(() =>
      checkNumberOptions({ rateLimit: Number.NaN }, ["lists", "--rate-limit=fast"]),
    ).toThrow('Invalid --rate-limit "fast": expected a number');
  });

  it("refuses a --timeout that is not above 0", () => {
    expect(() => checkNumberOptions({ timeout: -1 }, ["wait", "x", "--timeout", "-1"])).toThrow(
      'Invalid --timeout "-1": expected a number of seconds above 0',
    );
    expect(() => checkNumberOptions({ timeout: 0 }, ["wait", "x", "--timeout", "0"])).toThrow(
      'Invalid --timeout "0"',
    );
    expect(() => checkNumberOptions({ timeout: 0.5, limit: 3 }, [])).not.toThrow();
  });
});
