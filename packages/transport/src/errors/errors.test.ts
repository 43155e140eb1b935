import { describe, expect, it } from "vitest";
import { CtctError } from "../ctct-error.ts";
import * as transport from "../mod.ts";

const errorClasses = Object.entries(transport).filter(
  ([name, value]) => typeof value === "function" && name.endsWith("Error") && name !== "CtctError",
) as [string, typeof CtctError][];

describe("the error tree", () => {
  it("has one class per case, each a CtctError with a literal name", () => {
    expect(errorClasses.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "BadRequestError",
        "UnauthorizedError",
        "ForbiddenError",
        "NotFoundError",
        "MethodNotAllowedError",
        "ConflictError",
        "PayloadTooLargeError",
        "UnsupportedMediaTypeError",
        "RateLimitedError",
        "ServerError",
        "TimeoutError",
        "NetworkError",
        "ActivityFailedError",
      ]),
    );
    for (const [name, ErrorClass] of errorClasses) {
      const error = new ErrorClass("Boom", {
        method: "GET",
        url: "https://a:b@x.test/y",
        status: 500,
      });
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(CtctError);
      expect(CtctError.isInstance(error)).toBe(true);
      expect((ErrorClass as unknown as { isInstance(v: unknown): boolean }).isInstance(error)).toBe(
        true,
      );
      expect(error.url).toBe("https://x.test/y");
    }
  });

  it("recognises errors of another copy of the package by their symbols, and tells classes apart", () => {
    for (const [name, ErrorClass] of errorClasses) {
      const foreign = Object.assign(new Error("x"), {
        [Symbol.for("@ctct-bulk/transport/CtctError")]: true,
        [Symbol.for(`@ctct-bulk/transport/${name}`)]: true,
      });
      const guard = ErrorClass as unknown as { isInstance(v: unknown): boolean };
      expect(guard.isInstance(foreign)).toBe(true);
      expect(CtctError.isInstance(foreign)).toBe(true);
      for (const [other, OtherClass] of errorClasses) {
        if (other === name) continue;
        expect(
          (OtherClass as unknown as { isInstance(v: unknown): boolean }).isInstance(foreign),
        ).toBe(false);
      }
    }
    expect(CtctError.isInstance(new Error("x"))).toBe(false);
    expect(CtctError.isInstance(null)).toBe(false);
  });

  it("serialises to JSON with its fields and its cause's message", () => {
    const error = new transport.RateLimitedError("Rate limited (429)", {
      method: "GET",
      url: "https://x.test/a",
      status: 429,
      retryAfter: 2_000,
      cause: new Error("under"),
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "RateLimitedError",
      message: "Rate limited (429)",
      method: "GET",
      url: "https://x.test/a",
      status: 429,
      retryAfter: 2_000,
      cause: "Error: under",
    });
  });
});
