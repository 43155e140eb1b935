/**
 * Time as the transport sees it: `now()` for deadlines and `sleep()` for backoff and polling.
 * Tests hand in a virtual clock, so that waits of minutes run in microseconds.
 *
 * @example A clock that never really waits
 * ```ts
 * import type { Clock } from "@ctct-bulk/transport";
 * let time = 0;
 * const clock: Clock = { now: () => time, sleep: async (ms) => { time += ms; } };
 * await clock.sleep(1000);
 * clock.now(); // 1000
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds; rejects with the signal's reason if it aborts first.
   *
   * @param ms How long to wait.
   * @param signal Cuts the wait short.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example Sleeping for a moment
 * ```ts
 * import { systemClock } from "@ctct-bulk/transport";
 * const before = systemClock.now();
 * await systemClock.sleep(5);
 * systemClock.now() >= before; // true
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * A virtual clock for tests and simulations: `sleep()` moves time forward at once.
 *
 * @param start The time to start at, in milliseconds.
 * @returns A clock whose `sleep()` never really waits, and the list of sleeps it was asked for.
 *
 * @example Time moves only when someone sleeps
 * ```ts
 * import { createVirtualClock } from "@ctct-bulk/transport";
 * const clock = createVirtualClock(1_000);
 * await clock.sleep(250);
 * clock.now(); // 1250
 * clock.sleeps; // [250]
 * ```
 */
export function createVirtualClock(
  start = 0,
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let time = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      time += Math.max(0, ms);
      await Promise.resolve();
      if (signal?.aborted) throw signal.reason;
    },
  };
}
