import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "./_backoff.ts";

describe("backoffDelay()", () => {
  it("grows by the factor, stays under the cap and keeps the jitter within its share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, initialDelay, maxDelay, factor, jitter, random) => {
          const options = { initialDelay, maxDelay, factor, jitter };
          const delay = backoffDelay(attempt, options, () => random);
          const capped = Math.min(maxDelay, initialDelay * factor ** (attempt - 1));
          expect(delay).toBeLessThanOrEqual(Math.round(capped) + 1);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(capped * (1 - jitter)) - 1);
        },
      ),
    );
  });

  it("gives the full delay with no jitter", () => {
    const options = { initialDelay: 100, maxDelay: 1_000, factor: 2, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, Math.random))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
  });
});

describe("parseRetryAfter()", () => {
  it("reads delay-seconds and HTTP dates, and ignores what it cannot read", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
