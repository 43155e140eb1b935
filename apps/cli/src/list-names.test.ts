import { describe, expect, it } from "vitest";
import { isNeverClearable } from "./list-names.ts";

describe("isNeverClearable()", () => {
  it("refuses system lists by id or URI, and the named lists by name", () => {
    for (const value of [
      "active",
      "do-not-mail",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/removed",
      "Do-Not-Mail",
      "do not mail",
      "Awaiting  Confirmation",
      "ALL",
    ])
      expect(isNeverClearable(value), value).toBe(true);
  });

  it("lets numbered lists and other names through", () => {
    for (const value of [
      "2",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/2",
      "VIP customers",
      "All stars",
    ])
      expect(isNeverClearable(value), value).toBe(false);
  });
});
