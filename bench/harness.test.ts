import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compare, interleave, median } from "./harness.ts";

describe("median()", () => {
  it("returns the middle of an odd count and the mean of the middle two of an even count", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("lies between the smallest and the largest value and ignores order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1 }), (values) => {
        const m = median(values);
        expect(m).toBeGreaterThanOrEqual(Math.min(...values));
        expect(m).toBeLessThanOrEqual(Math.max(...values));
        expect(median([...values].reverse())).toBe(m);
      }),
    );
  });
  it("refuses an empty list", () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe("interleave()", () => {
  it("alternates which side runs first", async () => {
    const order: string[] = [];
    await interleave(
      4,
      () => order.push("c"),
      () => order.push("b"),
    );
    expect(order.join("")).toBe("cbbccbbc");
  });
});

describe("compare()", () => {
  it("checks a time goal as an upper bound", () => {
    const r = compare(
      { candidate: [12, 12, 12], baseline: [10, 10, 10] },
      { name: "t", unit: "ms", baselineName: "b", higherIsBetter: false, goalRatio: 1.1 },
    );
    expect(r.ratio).toBeCloseTo(1.2);
    expect(r.goalMet).toBe(false);
    expect(r.goal).toBe("≤ 1.1×");
  });
});
