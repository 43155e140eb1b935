// `ctct-bulk import` of a 1,000,000-row file end to end (quick: 20,000 rows): the CLI in its own
// process (`node apps/cli/src/bin.ts import FILE --list 2 --rate-limit 0`), against the fake server
// in a third process over loopback, beside the SDK's own importContacts() of the same file in a
// fresh process (the baseline: what the CLI adds is argument parsing, credentials, the resume
// journal and its digest, the rejects bookkeeping and the output). Both sides stream the file from
// disk, send without the client's rate limit and do not wait (the immediate clock finishes each job
// while its request is answered). Rows/s medians of interleaved runs, wall time from spawn to
// exit; peak RSS of each process (VmHWM, read from /proc while it runs), and of the CLI on a
// quarter of the rows beside it (V8 lets the heap grow to a plateau that files of a million rows
// reach: 1M, 3M and 5M rows measured 306-335 MB alike by hand).
//   pnpm bench --filter cli/bench/import
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { compare, interleave, quick, report } from "@ctct-bulk/bench";

// BENCH_ROWS=5000000 checks the five-million-row claim (minutes; not run by CI).
const rows = Number(process.env.BENCH_ROWS ?? (quick ? 20_000 : 1_000_000));
const rounds = quick ? 3 : 5;
const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const dir = await mkdtemp(join(tmpdir(), "ctct-cli-bench-"));
const file = join(dir, "contacts.csv");

// The files: a realistic width (a name, a company, a city, a state), written once; a quarter-size
// one shows the CLI's memory does not grow with the file.
async function writeContacts(path: string, count: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.once("error", reject);
    out.write("EMAIL ADDRESS,FIRST NAME,LAST NAME,COMPANY NAME,CITY,STATE/PROVINCE (US/CANADA)\n");
    let index = 0;
    const writeMore = (): void => {
      while (index < count) {
        let batch = "";
        for (let n = 0; n < 1000 && index < count; n++, index++)
          batch += `user${index}@example.com,First${index % 97},Last${index % 89},Company ${index % 31},Springfield,MA\n`;
        if (!out.write(batch)) return void out.once("drain", writeMore);
      }
      out.end(resolve);
    };
    writeMore();
  });
}
await writeContacts(file, rows);
const quarterFile = join(dir, "quarter.csv");
await writeContacts(quarterFile, rows / 4);
const fileBytes = (await stat(file)).size;

const server = spawn(process.execPath, [here("./_fake-server-child.ts")], {
  stdio: ["pipe", "pipe", "inherit"],
});
const { url, account } = JSON.parse(
  await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once("line", resolve);
    server.once("error", reject);
  }),
) as { url: string; account: { username: string; apiKey: string; password: string } };

/** Runs a process to its end; resolves to its wall time and peak RSS. */
async function measure(
  child: ChildProcess,
): Promise<{ seconds: number; peakRssBytes: number; stdout: string }> {
  const start = performance.now();
  let peak = 0;
  let stdout = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const poll = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (match) peak = Math.max(peak, Number(match[1]) * 1024);
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`Exited with ${code}: ${stdout.slice(0, 500)}`);
  return { seconds: (performance.now() - start) / 1000, peakRssBytes: peak, stdout };
}

const cliRss: number[] = [];
const sdkRss: number[] = [];
let run = 0;

async function cliRun(path = file, count = rows): Promise<number> {
  const state = join(dir, `state-${run++}.json`);
  const child = spawn(
    process.execPath,
    [
      bin,
      "import",
      path,
      "--list",
      "2",
      "--rate-limit",
      "0",
      "--state",
      state,
      "--quiet",
      "--json",
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        CTCT_BASE_URL: url,
        CTCT_USERNAME: account.username,
        CTCT_API_KEY: account.apiKey,
        CTCT_PASSWORD: account.password,
      },
    },
  );
  const { seconds, peakRssBytes, stdout } = await measure(child);
  const result = JSON.parse(stdout) as { rows: number };
  if (result.rows !== count) throw new Error(`The CLI imported ${result.rows} of ${count} rows`);
  cliRss.push(peakRssBytes);
  return count / seconds;
}

async function sdkRun(): Promise<number> {
  const child = spawn(
    process.execPath,
    [here("./_transport-import-child.ts"), file, url, JSON.stringify(account)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const { seconds, peakRssBytes, stdout } = await measure(child);
  const result = JSON.parse(stdout) as { rows: number };
  if (result.rows !== rows) throw new Error(`The SDK imported ${result.rows} of ${rows} rows`);
  sdkRss.push(peakRssBytes);
  return rows / seconds;
}

try {
  const samples = await interleave(rounds, () => cliRun(), sdkRun);
  await cliRun(quarterFile, rows / 4);
  const quarterRss = cliRss.pop()!;
  const label = rows.toLocaleString("en");
  report(
    compare(samples, {
      name: `cli: ctct-bulk import of a ${label}-row file, end to end`,
      unit: "rows/s",
      baselineName: "the SDK's importContacts() of the same file in a fresh process",
      higherIsBetter: true,
      goalRatio: 0.9,
      extra: { rows, fileMB: Number((fileBytes / 1e6).toFixed(1)), rounds },
    }),
  );
  const rss = compare(
    {
      candidate: cliRss.map((bytes) => bytes / 1e6),
      baseline: sdkRss.map((bytes) => bytes / 1e6),
    },
    {
      name: `cli: peak RSS of the ctct-bulk process importing ${label} rows`,
      unit: "MB",
      baselineName: "the SDK's importContacts() process",
      higherIsBetter: false,
      goalRatio: 1.25,
      extra: {
        fileMB: Number((fileBytes / 1e6).toFixed(1)),
        cliPeakRssMBAtAQuarterOfTheRows: Number((quarterRss / 1e6).toFixed(1)),
        note: "sources run through Node's type stripping",
      },
    },
  );
  report(rss);
} finally {
  server.stdin!.end();
  await rm(dir, { recursive: true, force: true });
}
