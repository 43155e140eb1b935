// Runs every benchmark of the repository, each file in its own process (so that peak memory is
// its own), and prints one table; writes bench/results.json.
//   node bench/run.ts [--filter text] [--quick]
import { spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchResult, RESULT_PREFIX } from "./harness.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const filterIndex = args.indexOf("--filter");
const filter = filterIndex >= 0 ? args[filterIndex + 1] : undefined;
const env = { ...process.env, ...(args.includes("--quick") ? { BENCH_QUICK: "1" } : {}) };

async function findBenchFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const group of ["packages", "apps"]) {
    const dirs = await readdir(join(root, group)).catch(() => [] as string[]);
    for (const dir of dirs.sort()) {
      const benchDir = join(root, group, dir, "bench");
      const names = await readdir(benchDir).catch(() => [] as string[]);
      for (const name of names.sort())
        if (name.endsWith(".bench.ts")) files.push(join(benchDir, name));
    }
  }
  return files.filter((f) => !filter || f.includes(filter));
}

function runFile(file: string): Promise<BenchResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", file], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const results: BenchResult[] = [];
    let buffer = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith(RESULT_PREFIX))
          results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
        else process.stderr.write(`  ${line}\n`);
        newline = buffer.indexOf("\n");
      }
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(results)
        : reject(new Error(`${relative(root, file)} exited with ${code}`)),
    );
  });
}

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 1000 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(3);
}

const files = await findBenchFiles();
const all: BenchResult[] = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: ${relative(root, file)}\n`);
  try {
    all.push(...(await runFile(file)));
  } catch (error) {
    failed++;
    process.stderr.write(`bench: ${(error as Error).message}\n`);
  }
}

const rows = all.map((r) => [
  r.name,
  `${format(r.value)} ${r.unit}`,
  `${r.baseline.name}: ${format(r.baseline.value)} ${r.unit}`,
  `${r.ratio.toFixed(2)}×`,
  r.goal ? `${r.goal} ${r.goalMet === undefined ? "" : r.goalMet ? "met" : "MISSED"}` : "",
  r.extra
    ? Object.entries(r.extra)
        .map(([k, v]) => `${k}=${typeof v === "number" ? format(v) : v}`)
        .join(" ")
    : "",
]);
const header = ["benchmark", "value", "baseline (same run)", "ratio", "goal", "also"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
for (const row of rows) console.log(line(row));
await writeFile(join(root, "bench", "results.json"), `${JSON.stringify(all, null, 2)}\n`);
console.log(`\n${all.length} results from ${files.length} files written to bench/results.json`);
if (failed > 0) process.exitCode = 1;
