/**
 * How the fake server's time moves, and so how fast its jobs move through their statuses:
 *
 * - `"immediate"`: a job runs to `COMPLETE` (or `ERROR`) while its `POST` is answered, so the
 *   first `GET` already sees the final entry and the state already reflects it.
 * - `"realistic"`: the clock follows real time; each status step takes `jobDelay` ms.
 * - `"manual"`: the clock stands still until a test calls `control.advance(ms)` (each status
 *   step takes `jobDelay` ms of that clock) or `control.runJobs()`.
 */
export type ClockMode = "immediate" | "realistic" | "manual";

/** The fake server's clock: real time plus an offset, or a hand-moved time. */
export interface FakeClock {
  readonly mode: ClockMode;
  /** The server's current time, in ms since the epoch. */
  now(): number;
  /** Moves the clock forward by `ms` (in every mode: e.g. to let activities expire). */
  advance(ms: number): void;
  /** Puts the clock back to where it started. */
  reset(): void;
}

/**
 * Creates a clock.
 *
 * @param mode How time moves.
 * @param start The time the clock starts at (default: the real time now).
 * @returns The clock.
 */
export function createFakeClock(mode: ClockMode, start?: number): FakeClock {
  const initialOffset = start === undefined ? 0 : start - Date.now();
  const manualStart = start ?? Date.now();
  let offset = initialOffset;
  let manualNow = manualStart;
  return {
    mode,
    now: () => (mode === "manual" ? manualNow : Date.now() + offset),
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`Invalid clock step "${ms}": expected a number of ms ≥ 0`);
      if (mode === "manual") manualNow += ms;
      else offset += ms;
    },
    reset() {
      offset = initialOffset;
      manualNow = manualStart;
    },
  };
}
