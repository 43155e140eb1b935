// Signed pushes per second with a durable 202 (SQLite, WAL, synchronous=FULL, group commit),
// beside a bare Hono JSON POST route served by the same server in the same run; then the p99
// latency of each at a constant 2,000 requests a second, open loop: each request sent when it is
// due and timed from then (_open-loop.ts, ADR 0160), with autocannon's `overallRate` p99 beside
// it for reference.
// The rates are taken at 50, 100 and 200 connections, the same counts for both routes,
// interleaved; the result compares each route's best median (a group commit's throughput is
// taken at saturation: more connections make larger groups, not more work a push), and every
// count's samples are printed beside it (ADR 0105). The server runs in a child process (this
// file with --serve) so that autocannon's load does not share its event loop.
//   node apps/webhook/bench/pushes.bench.ts          (BENCH_QUICK=1: a few seconds)
//   BENCH_CPU_PROF=<dir>: the server child writes a V8 CPU profile (.cpuprofile) there
//   BENCH_WRITER=inline: commit on the server's event loop instead of the store's writer thread
// The requests of each run are built (and signed) before it starts, so that the load generator,
// on the same two cores, does the same work per request for both routes.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchResult, compare, interleave, median, quick, report } from "@ctct-bulk/bench";
import type autocannon from "autocannon";
import { openLoop } from "./_open-loop.ts";
import { BARE_PATH, BENCH_CONFIG, drive, PUSH_PATH, prepareRequests } from "./_requests.ts";

const round2 = (value: number) => Math.round(value * 100) / 100;
const rounded = (_key: string, value: unknown) =>
  typeof value === "number" ? round2(value) : value;

/** The connection counts the rates are taken at (the p99 is taken at 50, at 2,000/s). */
const CONNECTIONS = [50, 100, 200];

async function serve(): Promise<void> {
  const { Hono } = await import("hono");
  const { createWebhookApp } = await import("../src/app.ts");
  const { parseWebhookConfig } = await import("../src/config.ts");
  const { listenWebhookServer } = await import("../src/server.ts");
  const { openSqliteStore } = await import("../src/sqlite-store.ts");
  const dir = mkdtempSync(join(tmpdir(), "webhook-bench-"));
  const store = openSqliteStore(join(dir, "bench.db"), {
    unsafeNoSync: process.env.BENCH_NOSYNC === "1",
    ...(process.env.BENCH_WRITER
      ? { writer: process.env.BENCH_WRITER as "worker" | "inline" }
      : {}),
  });
  const config = parseWebhookConfig(BENCH_CONFIG);
  const app = new Hono();
  // the baseline: the same body parsed as JSON and answered, nothing else
  app.post(BARE_PATH, async (c) => {
    const body = await c.req.json();
    return c.json({ ok: true, size: Object.keys(body).length }, 202);
  });
  const { createNodeSigningKey, nodeSha256Hex } = await import("../src/node-crypto.ts");
  const { readNodeBody } = await import("../src/node-body.ts");
  // as the service wires it (service.ts): node:crypto and the body read from Node's request at
  // the edge (ADR 0140)
  app.route(
    "/",
    createWebhookApp({
      config,
      store,
      importKey: createNodeSigningKey,
      hashBody: nodeSha256Hex,
      readBody: readNodeBody,
    }),
  );
  const server = await listenWebhookServer({
    fetch: app.fetch,
    host: "127.0.0.1",
    port: 0,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
  });
  console.log(`LISTENING ${server.port}`);
  process.on("SIGTERM", async () => {
    await server.close();
    await store.close();
    console.log(
      `GROUP_COMMITS ${JSON.stringify({ ...store.groupCommits, commitMs: store.commitMs })}`,
    );
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

function startServer(): Promise<{ child: ChildProcess; port: number; output: string[] }> {
  const profile = process.env.BENCH_CPU_PROF;
  const flags = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      output.push(chunk);
      const match = /LISTENING (\d+)/.exec(output.join(""));
      if (match) resolve({ child, port: Number(match[1]), output });
    });
    child.once("exit", (code) => reject(new Error(`The bench server exited with ${code}`)));
  });
}

async function load(
  port: number,
  path: string,
  options: { duration: number; overallRate?: number; connections?: number },
): Promise<autocannon.Result> {
  // enough distinct requests for a run at up to 25,000 a second (each push id used once)
  return drive(port, path, prepareRequests(path, (options.duration + 1) * 25_000), options);
}

async function measure(): Promise<void> {
  const { child, port, output } = await startServer();
  try {
    const duration = quick ? 1 : 5;
    const rounds = quick ? 1 : 3;
    // warm up both routes
    await load(port, PUSH_PATH, { duration: 1 });
    await load(port, BARE_PATH, { duration: 1 });
    const counts = quick ? [50] : CONNECTIONS;
    const byCount = new Map<number, { candidate: number[]; baseline: number[] }>();
    for (const connections of counts) byCount.set(connections, { candidate: [], baseline: [] });
    // the rounds go through every count in turn, and the route that goes first alternates, so
    // that the machine's drift hits all alike
    for (let round = 0; round < rounds; round++) {
      for (const [index, connections] of counts.entries()) {
        const samples = byCount.get(connections)!;
        const push = async () =>
          samples.candidate.push(
            (await load(port, PUSH_PATH, { duration, connections })).requests.average,
          );
        const bare = async () =>
          samples.baseline.push(
            (await load(port, BARE_PATH, { duration, connections })).requests.average,
          );
        if ((round + index) % 2 === 0) {
          await push();
          await bare();
        } else {
          await bare();
          await push();
        }
        (globalThis as { gc?: () => void }).gc?.();
      }
    }
    const extra: Record<string, string> = {};
    let best = { push: 0, pushAt: 0, bare: 0, bareAt: 0 };
    for (const [connections, samples] of byCount) {
      const push = median(samples.candidate);
      const bare = median(samples.baseline);
      extra[`push${connections}`] =
        `${Math.round(push)} (${samples.candidate.map(Math.round).join(", ")})`;
      extra[`bare${connections}`] =
        `${Math.round(bare)} (${samples.baseline.map(Math.round).join(", ")})`;
      if (push > best.push) best = { ...best, push, pushAt: connections };
      if (bare > best.bare) best = { ...best, bare, bareAt: connections };
    }
    const rate: BenchResult = {
      name: "webhook: signed pushes/s, durable 202 (SQLite group commit)",
      value: best.push,
      unit: "req/s",
      baseline: { name: "bare Hono JSON POST, same server", value: best.bare },
      ratio: best.push / best.bare,
      higherIsBetter: true,
      goal: "≥ 0.5×",
      goalMet: best.push / best.bare >= 0.5,
      extra: {
        best: `pushes at ${best.pushAt} connections, bare at ${best.bareAt}`,
        ...extra,
      },
    };
    report(rate);
    // the p99 at 2,000/s: an open-loop load at that constant rate, latency from each request's
    // due time (_open-loop.ts, ADR 0160); autocannon's `overallRate` figure, which measures each
    // second's opening burst at saturation, is printed beside it, not judged
    const seconds = quick ? 2 : 5;
    const steady = async (path: string) => {
      const run = await openLoop(port, path, prepareRequests(path, seconds * 2000), {
        rate: 2000,
        duration: seconds,
      });
      console.error(`open loop ${path}: ${JSON.stringify(run, rounded)}`);
      return run.p99;
    };
    const p99 = await interleave(
      rounds,
      () => steady(PUSH_PATH),
      () => steady(BARE_PATH),
    );
    const bursts = await interleave(
      rounds,
      async () =>
        (await load(port, PUSH_PATH, { duration: seconds, overallRate: 2000 })).latency.p99,
      async () =>
        (await load(port, BARE_PATH, { duration: seconds, overallRate: 2000 })).latency.p99,
    );
    const latency: BenchResult = compare(p99, {
      name: "webhook: p99 latency at a constant 2,000 signed pushes/s (open loop)",
      unit: "ms",
      baselineName: "bare Hono JSON POST at a constant 2,000/s",
      higherIsBetter: false,
      extra: {
        pushSamples: p99.candidate.map(round2).join(", "),
        bareSamples: p99.baseline.map(round2).join(", "),
        autocannonOverallRateP99: `pushes ${median(bursts.candidate)} (${bursts.candidate.join(", ")}), bare ${median(bursts.baseline)} (${bursts.baseline.join(", ")}); each second's 2,000 sent at once, not judged`,
      },
    });
    latency.goal = "p99 ≤ 25 ms";
    latency.goalMet = latency.value <= 25;
    report(latency);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    const commits = /GROUP_COMMITS (.+)/.exec(output.join(""));
    if (commits) console.error(`group commits: ${commits[1]}`);
  }
}

if (process.argv[2] === "--serve") {
  await serve();
} else {
  await measure();
}
