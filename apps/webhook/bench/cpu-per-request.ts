// The server's CPU time per request, by thread, for signed pushes beside the bare Hono JSON POST
// route, in the same server and the same run, interleaved (ADR 0130). CPU a request is far less
// disturbed by the other work on the machine than a rate is, so a change on the push path can be
// measured with it when the machine is shared. Each sample sends a fixed rate for a few seconds
// (autocannon, `overallRate`) to the pushes bench's server child (`pushes.bench.ts --serve`) and
// reads the child's /proc/<pid>/task/*/stat (utime + stime) before and after.
//   node apps/webhook/bench/cpu-per-request.ts [rate=1500] [seconds=4] [rounds=5]
//   BENCH_CPU_PROF=<dir> / BENCH_HEAP_PROF=<dir>: the server child writes V8 profiles there
//   BENCH_SERVER=<path>: serve from another copy of pushes.bench.ts (the code before a change)
// Prints each sample and the medians, in µs a request: the event loop ("main"), the V8 helper
// threads (GC, compilation), the store's writer thread, libuv's pool, and all threads.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "@ctct-bulk/bench";
import { BARE_PATH, drive, PUSH_PATH, prepareRequests } from "./_requests.ts";

const TICK_US = 1e6 / 100; // clock ticks (USER_HZ) are 100 a second on Linux

const [rate = 1500, seconds = 4, rounds = 5] = process.argv.slice(2).map(Number);

let output = "";

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const flags: string[] = [];
  if (process.env.BENCH_CPU_PROF) {
    flags.push("--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
  }
  if (process.env.BENCH_HEAP_PROF) {
    flags.push("--heap-prof", `--heap-prof-dir=${process.env.BENCH_HEAP_PROF}`);
  }
  if (process.env.BENCH_TRACE_GC) flags.push("--trace-gc");
  // BENCH_SERVER: another copy of pushes.bench.ts (e.g. the code before a change, for an A/B)
  const server =
    process.env.BENCH_SERVER ?? fileURLToPath(new URL("./pushes.bench.ts", import.meta.url));
  const child = spawn(process.execPath, [...flags, server, "--serve"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      output += chunk;
      if (process.env.BENCH_TRACE_GC) process.stderr.write(chunk);
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once("exit", (code) => reject(new Error(`The bench server exited with ${code}`)));
  });
}

/** CPU ticks by thread kind, from /proc. */
function cpuOf(pid: number): Record<string, number> {
  const ticks: Record<string, number> = { main: 0, v8: 0, writer: 0, libuv: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const used = Number(fields[11]) + Number(fields[12]);
    const kind =
      Number(tid) === pid
        ? "main"
        : /V8/i.test(name)
          ? "v8"
          : /libuv/i.test(name)
            ? "libuv"
            : /Worker/i.test(name)
              ? "writer"
              : "other";
    ticks[kind]! += used;
  }
  return ticks;
}

async function sample(pid: number, port: number, path: string): Promise<Record<string, number>> {
  const prepared = prepareRequests(path, Math.ceil(rate * (seconds + 1) * 1.2));
  const before = cpuOf(pid);
  const result = await drive(port, path, prepared, { duration: seconds, overallRate: rate });
  const after = cpuOf(pid);
  const requests = result.requests.total;
  const perRequest: Record<string, number> = {};
  let all = 0;
  for (const kind of Object.keys(after)) {
    const us = (((after[kind] ?? 0) - (before[kind] ?? 0)) * TICK_US) / requests;
    perRequest[kind] = us;
    all += us;
  }
  perRequest.all = all;
  return perRequest;
}

const { child, port } = await startServer();
const pid = child.pid!;
try {
  await sample(pid, port, PUSH_PATH); // warm up
  await sample(pid, port, BARE_PATH);
  const samples: Record<string, Record<string, number>[]> = { push: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["push", "bare"] : ["bare", "push"];
    for (const route of order) {
      const s = await sample(pid, port, route === "push" ? PUSH_PATH : BARE_PATH);
      samples[route]!.push(s);
      console.log(
        `${route} ${Object.entries(s)
          .map(([k, v]) => `${k} ${Math.round(v)}`)
          .join(" ")}`,
      );
    }
  }
  for (const route of ["push", "bare"]) {
    const list = samples[route]!;
    const kinds = Object.keys(list[0]!);
    console.log(
      `MEDIAN ${route} µs/request: ${kinds
        .map((k) => `${k} ${Math.round(median(list.map((s) => s[k]!)))}`)
        .join(" ")}`,
    );
  }
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  const commits = /GROUP_COMMITS (.+)/.exec(output);
  if (commits) console.log(`group commits: ${commits[1]}`);
}
