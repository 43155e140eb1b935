// An open-loop load at a constant rate: request i is due at start + i / rate, is sent when due
// whether or not earlier answers have come back, and its latency is taken from when it was due
// (not from when it went out), so that a stall of the server, or of this generator, is counted
// in full for every request it delayed (no coordinated omission; wrk2's method).
//
// Why not autocannon's `overallRate` (ADR 0160): autocannon gives each connection a quota per
// second and lets it send its quota back to back at the start of each second, then pause; at
// 2,000/s over 50 connections, every second begins with 2,000 requests at 50 concurrent, at the
// server's saturated rate, and the rest of the second is idle. It then "corrects" each sample
// with an expected interval of 1 ms, adding a synthetic sample for every millisecond a response
// took. What that measures is the tail at saturation, not at 2,000 a second. wrk2 and k6's
// constant-arrival-rate executor measure this way instead; neither installs here (wrk2 is not
// in Debian, k6 is not on npm), and the few lines below are all it takes on node:http.
import { Agent, request } from "node:http";
import type { Prepared } from "./_requests.ts";

/** What one open-loop run measured; latencies in milliseconds, from each request's due time. */
export interface OpenLoopResult {
  /** Requests sent and answered (all of them, or the run throws). */
  requests: number;
  /** The rate the requests were due at, and the rate they were answered at. */
  rate: number;
  achievedRate: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** How late this generator sent its latest request (its own stalls, counted in latency). */
  maxSendLagMs: number;
  /** The most requests in flight at once. */
  maxInFlight: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Sends `rate × duration` of the prepared requests to `path` on 127.0.0.1:`port` at a constant
 * rate, on up to `maxConnections` keep-alive connections (a request due while all are busy
 * waits, and the wait counts), and resolves with the latency percentiles; throws if any answer
 * was not 2xx, or if a request would have been sent twice.
 */
export async function openLoop(
  port: number,
  path: string,
  prepared: readonly Prepared[],
  options: {
    rate: number;
    duration: number;
    maxConnections?: number;
    /** The clock, in milliseconds (performance.now); a test moves it to stand for a stall. */
    now?: () => number;
  },
): Promise<OpenLoopResult> {
  const now = options.now ?? (() => performance.now());
  const total = Math.round(options.rate * options.duration);
  if (total > prepared.length) {
    throw new Error(`${path}: ${total} requests due but only ${prepared.length} prepared`);
  }
  const interval = 1000 / options.rate;
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 256 });
  const latencies = new Float64Array(total);
  let sent = 0;
  let answered = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let maxSendLagMs = 0;
  const failures: string[] = [];
  const start = now();
  try {
    await new Promise<void>((resolve) => {
      const fire = (index: number, due: number) => {
        const { headers, body } = prepared[index]!;
        inFlight++;
        if (inFlight > maxInFlight) maxInFlight = inFlight;
        const req = request(
          {
            agent,
            host: "127.0.0.1",
            port,
            path,
            method: "POST",
            headers: { ...headers, "content-length": Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on("end", () => {
              latencies[index] = now() - due;
              if (res.statusCode! < 200 || res.statusCode! >= 300) {
                failures.push(`HTTP ${res.statusCode}`);
              }
              inFlight--;
              if (++answered === total) resolve();
            });
          },
        );
        req.on("error", (error) => {
          failures.push(error.message);
          latencies[index] = now() - due;
          inFlight--;
          if (++answered === total) resolve();
        });
        req.end(body);
      };
      const tick = () => {
        const at = now();
        // every request due by now goes out in this tick (timers fire about once a millisecond)
        while (sent < total && start + sent * interval <= at) {
          const due = start + sent * interval;
          if (at - due > maxSendLagMs) maxSendLagMs = at - due;
          fire(sent, due);
          sent++;
        }
        if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - now()));
      };
      tick();
    });
  } finally {
    agent.destroy();
  }
  if (failures.length > 0) {
    throw new Error(`${path}: ${failures.length} requests failed (first: ${failures[0]})`);
  }
  const elapsed = (now() - start) / 1000;
  latencies.sort();
  return {
    requests: total,
    rate: options.rate,
    achievedRate: total / elapsed,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    max: latencies[latencies.length - 1]!,
    maxSendLagMs,
    maxInFlight,
  };
}
