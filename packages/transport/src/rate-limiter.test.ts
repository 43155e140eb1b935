import { describe, expect, it } from "vitest";
import { createVirtualClock } from "./clock.ts";
import { createRateLimiter } from "./rate-limiter.ts";

describe("createRateLimiter()", () => {
  it("lets a burst through, then spaces requests at the configured rate", async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ requestsPerSecond: 4, burst: 2, concurrency: 10 }, clock);
    const startTimes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const slot = await limiter.acquire();
      startTimes.push(clock.now());
      slot.release();
    }
    expect(startTimes.slice(0, 2)).toEqual([0, 0]);
    // after the burst, one request every 250 ms of the clock
    expect(startTimes[5]! - startTimes[2]!).toBeGreaterThanOrEqual(750);
    expect(startTimes[5]!).toBeLessThanOrEqual(1_000 + 10);
  });

  it("never has more requests in flight than its concurrency", async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ requestsPerSecond: 1_000, concurrency: 2 }, clock);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        const slot = await limiter.acquire();
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        slot.release();
      }),
    );
    expect(most).toBe(2);
  });

  it("stops waiting when the signal aborts, and gives the slot to the next in line", async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ requestsPerSecond: 1_000, concurrency: 1 }, clock);
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error("Cancelled"));
    await expect(waiting).rejects.toThrow("Cancelled");
    first.release();
    const slot = await next;
    slot.release();
  });

  it("lets a waiter give up while others are ahead of it in line, and keeps the line's order", async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ requestsPerSecond: 1_000, concurrency: 1 }, clock);
    const order: string[] = [];
    const first = await limiter.acquire();
    const second = limiter.acquire().then((slot) => {
      order.push("second");
      return slot;
    });
    const controller = new AbortController();
    const third = limiter.acquire(controller.signal);
    const fourth = limiter.acquire().then((slot) => {
      order.push("fourth");
      return slot;
    });
    controller.abort(new Error("Gave up"));
    await expect(third).rejects.toThrow("Gave up");
    first.release();
    (await second).release();
    (await fourth).release();
    expect(order).toEqual(["second", "fourth"]);
  });

  it("refuses a rate that is not above zero", () => {
    expect(() => createRateLimiter({ requestsPerSecond: 0 }, createVirtualClock())).toThrow(
      /Invalid rateLimit.requestsPerSecond "0"/,
    );
  });
});
