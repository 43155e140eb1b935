/**
 * The benchmark harness. Every benchmark measures its candidate beside a baseline in the same
 * process and the same run, interleaving the two so that drift of the machine (timings of
 * allocation-heavy code vary 15–40% here) hits both alike, and reports medians and their ratio.
 *
 * A benchmark file is a plain script (`node some.bench.ts`) that calls {@linkcode report} once per
 * result; `bench/run.ts` runs every such file in its own process and prints one table.
 *
 * @module
 */

/** One measured result, as printed by {@linkcode report} and stored in `bench/results.json`. */
export interface BenchResult {
  /** What was measured, e.g. `"core: form-encode + chunk 200 MB"`. */
  name: string;
  /** The candidate's median value. */
  value: number;
  /** The unit of `value` and `baseline.value`, e.g. `"MB/s"`, `"ms"`, `"rows/s"`. */
  unit: string;
  /** The baseline measured in the same run. */
  baseline: { name: string; value: number };
  /** `value / baseline.value`. */
  ratio: number;
  /** Whether a larger value is better (rates) or worse (times, memory). */
  higherIsBetter: boolean;
  /** The goal the issue set, in words, e.g. `"≥ 1.0×"`. */
  goal?: string;
  /** Whether the goal was met, when the goal is a ratio the harness can check. */
  goalMet?: boolean;
  /** Other measurements worth keeping beside the result (peak RSS, sizes, counts). */
  extra?: Record<string, number | string>;
}

/** The prefix of the line a benchmark prints for each result; `bench/run.ts` reads these. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/**
 * The median of some numbers.
 *
 * @example Median of an odd and an even count
 * ```ts
 * import { median } from "@ctct-bulk/bench";
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("Cannot take the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Samples collected by {@linkcode interleave}: one array per side, in run order. */
export interface InterleavedSamples {
  candidate: number[];
  baseline: number[];
}

/**
 * Runs `candidate` and `baseline` alternately, `rounds` times each, swapping which goes first
 * every round, and collects what each returns (a time, a rate, …).
 *
 * @example Two sides measured alternately
 * ```ts
 * import { interleave, median } from "@ctct-bulk/bench";
 * const samples = await interleave(5, () => 2, () => 1);
 * median(samples.candidate) / median(samples.baseline); // 2
 * ```
 */
export async function interleave(
  rounds: number,
  candidate: () => number | Promise<number>,
  baseline: () => number | Promise<number>,
): Promise<InterleavedSamples> {
  const samples: InterleavedSamples = { candidate: [], baseline: [] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      samples.candidate.push(await candidate());
      samples.baseline.push(await baseline());
    } else {
      samples.baseline.push(await baseline());
      samples.candidate.push(await candidate());
    }
    (globalThis as { gc?: () => void }).gc?.();
  }
  return samples;
}

/** Options of {@linkcode compare}. */
export interface CompareOptions {
  name: string;
  unit: string;
  baselineName: string;
  higherIsBetter: boolean;
  /** A goal on the ratio: candidate/baseline must be at least this (rates) or at most this (times). */
  goalRatio?: number;
  extra?: Record<string, number | string>;
}

/**
 * Builds a {@linkcode BenchResult} from interleaved samples: medians, ratio and goal.
 *
 * @example A rate compared with its baseline
 * ```ts
 * import { compare } from "@ctct-bulk/bench";
 * const result = compare({ candidate: [90, 110, 100], baseline: [50, 50, 50] }, {
 *   name: "x", unit: "MB/s", baselineName: "y", higherIsBetter: true, goalRatio: 1,
 * });
 * result.ratio; // 2
 * result.goalMet; // true
 * ```
 */
export function compare(samples: InterleavedSamples, options: CompareOptions): BenchResult {
  const value = median(samples.candidate);
  const baselineValue = median(samples.baseline);
  const ratio = value / baselineValue;
  const result: BenchResult = {
    name: options.name,
    value,
    unit: options.unit,
    baseline: { name: options.baselineName, value: baselineValue },
    ratio,
    higherIsBetter: options.higherIsBetter,
  };
  if (options.goalRatio !== undefined) {
    result.goal = `${options.higherIsBetter ? "≥" : "≤"} ${options.goalRatio}×`;
    result.goalMet = options.higherIsBetter
      ? ratio >= options.goalRatio
      : ratio <= options.goalRatio;
  }
  if (options.extra) result.extra = options.extra;
  return result;
}

/** Prints one result as a line that `bench/run.ts` collects. */
export function report(result: BenchResult): void {
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

/**
 * This process's peak resident set size in bytes (Linux `VmHWM`), or the current RSS where the
 * kernel does not say. Each benchmark file runs in its own process, so this is its own peak.
 */
export async function peakRssBytes(): Promise<number> {
  try {
    const { readFile } = await import("node:fs/promises");
    const status = await readFile("/proc/self/status", "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through to the current RSS
  }
  return process.memoryUsage().rss;
}

/** Whether the run asked for small inputs (`BENCH_QUICK=1`), as CI's smoke run does. */
export const quick: boolean = process.env.BENCH_QUICK === "1";
