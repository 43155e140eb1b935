import { describe, expect, it } from "vitest";
import { CtctError } from "./ctct-error.ts";

describe("CtctError.isInstance()", () => {
  it("recognises an error from another copy of the package by its symbol", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("@ctct-bulk/transport/CtctError")]: true,
    });
    expect(CtctError.isInstance(foreign)).toBe(true);
    expect(CtctError.isInstance(new Error("x"))).toBe(false);
    expect(new CtctError("Boom").name).toBe("CtctError");
  });
});
