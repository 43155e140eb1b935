import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSecrets, redactUrl } from "./_redact.ts";

describe("redactUrl()", () => {
  it("strips user info and secret-looking query parameters", () => {
    expect(
      redactUrl("https://key%25joe:pw@api.example/ws/customers/joe?access_token=abc&next=2"),
    ).toBe("https://api.example/ws/customers/joe?access_token=REDACTED&next=2");
    expect(redactUrl("not a url //user:pw@host/x")).toBe("not a url //host/x");
  });

  it("never returns a password that was in the URL's user info", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{6,20}$/), (password) => {
        expect(redactUrl(`https://joe:${password}@h.example/path`)).not.toContain(password);
      }),
    );
  });
});

describe("redactSecrets()", () => {
  it("replaces every occurrence of every secret", () => {
    expect(redactSecrets("a SECRET b SECRET c tok", ["SECRET", "tok"])).toBe(
      "a [REDACTED] b [REDACTED] c [REDACTED]",
    );
  });
});
