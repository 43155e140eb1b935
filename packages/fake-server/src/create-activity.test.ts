import { encodeFormBody, encodeFormComponent } from "@ctct-bulk/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodedDataBytes } from "./create-activity.ts";

// The property test takes about 1 s alone and over 6 s on a loaded machine (a `./dev test` beside
// other suites or benchmarks): 5 s, vitest's default, failed a clean-clone run.
describe("encodedDataBytes()", { timeout: 30_000 }, () => {
  it("counts exactly the encoded bytes of every data value, whatever the other parameters hold", () => {
    const name = fc.constantFrom("data", "database", "xdata", "lists", "activityType", "dat");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, fc.string({ unit: "binary" })), { maxLength: 6 }),
        (params) => {
          const body = new TextEncoder().encode(encodeFormBody(params));
          const expected = params
            .filter(([param]) => param === "data")
            .reduce((total, [, value]) => total + encodeFormComponent(value).length, 0);
          expect(encodedDataBytes(body)).toBe(expected);
        },
      ),
    );
  });

  it("counts a data value as sent, %0A as three bytes", () => {
    expect(
      encodedDataBytes(new TextEncoder().encode("activityType=SV_ADD&data=A%0Ab&lists=x")),
    ).toBe(5);
    expect(encodedDataBytes(new TextEncoder().encode("data="))).toBe(0);
  });
});
