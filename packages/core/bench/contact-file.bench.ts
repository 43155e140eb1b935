// Reading contact rows: openContactFile() (the whole path: delimiter detection, quotes, trimming,
// line numbers, async iteration) vs bare papaparse on the same generated text, MB/s medians of
// interleaved runs. Goal: at least 0.9x papaparse. BENCH_QUICK=1 → ~2 MB instead of ~50 MB.
// Then memory: the heap retained while streaming 20 MB and then 400 MB of bytes through the reader
// (quick: 10 and 40 MB); goal: flat (≤ 1.1x), i.e. constant memory whatever the size.
//   pnpm bench --filter contact-file
import { compare, interleave, peakRssBytes, quick, report } from "@ctct-bulk/bench";
import Papa from "papaparse";
import { openContactFile } from "../src/contact-file.ts";

const targetBytes = quick ? 2_000_000 : 50_000_000;
const rounds = quick ? 15 : 9;

function generate(bytes: number): string {
  const header =
    "EMAIL ADDRESS,FIRST NAME,LAST NAME,COMPANY NAME,CITY,STATE/PROVINCE (US/CANADA),POSTAL CODE,CUSTOM FIELD 1";
  const lines = [header];
  let size = header.length;
  const cities = ["Boston", '"Portland, ME"', "Springfield", '"St. John\'s, NL"', " Austin "];
  for (let index = 0; size < bytes; index++) {
    const company =
      index % 7 === 0 ? `"Acme ""No. ${index % 100}"" Inc"` : `Company ${index % 1000}`;
    const note = index % 50 === 0 ? '"two\nlines"' : `note ${index}`;
    const line = `user${index}@example.com, First${index % 97}, Last${index % 89},${company},${cities[index % 5]},MA,0${index % 10000},${note}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

/** Streams `megabytes` of contact-file bytes without ever holding them: one block, repeated. */
async function* streamedFile(bytes: number): AsyncGenerator<Uint8Array> {
  const block = new TextEncoder().encode(
    generate(256 * 1024)
      .split("\n")
      .slice(1)
      .join("\n"),
  );
  yield new TextEncoder().encode(
    "EMAIL ADDRESS,FIRST NAME,LAST NAME,COMPANY NAME,CITY,STATE/PROVINCE (US/CANADA),POSTAL CODE,CUSTOM FIELD 1\n",
  );
  for (let sent = 0; sent < bytes; sent += block.length) yield block;
}

/**
 * Streams `bytes` through the reader and returns the most heap it retained: sampled after a full
 * GC every 100,000 rows (peak RSS is no measure here: V8 grows its heap lazily whatever it keeps).
 */
async function streamRows(bytes: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("Run with --expose-gc (pnpm bench does)");
  const table = await openContactFile(streamedFile(bytes));
  let rows = 0;
  let retained = 0;
  for await (const _ of table.rows) {
    if (++rows % 100_000 === 0) {
      gc();
      retained = Math.max(retained, process.memoryUsage().heapUsed);
    }
  }
  if (rows < 100_000) throw new Error("Benchmark streamed too few rows to sample");
  return retained;
}

// Memory first, before the in-memory text below raises the heap.
const smallStream = quick ? 10_000_000 : 20_000_000;
const largeStream = quick ? 40_000_000 : 400_000_000;
const retainedSmall = await streamRows(smallStream);
const retainedLarge = await streamRows(largeStream);
report(
  compare(
    { candidate: [retainedLarge / 1e6], baseline: [retainedSmall / 1e6] },
    {
      name: `core: heap retained streaming ${largeStream / 1e6} MB of contact rows`,
      unit: "MB",
      baselineName: `streaming ${smallStream / 1e6} MB`,
      higherIsBetter: false,
      goalRatio: 1.1,
      extra: { peakRssMB: (await peakRssBytes()) / 1e6 },
    },
  ),
);

const text = generate(targetBytes);
const megabytes = new TextEncoder().encode(text).length / 1e6;

async function readRows(): Promise<number> {
  const start = performance.now();
  const table = await openContactFile(text);
  let rows = 0;
  let lastLine = 0;
  for await (const row of table.rows) {
    rows++;
    lastLine = row.line;
  }
  const seconds = (performance.now() - start) / 1000;
  if (rows === 0 || lastLine === 0) throw new Error("Benchmark read no rows");
  return megabytes / seconds;
}

function papaparse(): number {
  const start = performance.now();
  const result = Papa.parse<string[]>(text, { delimiter: ",", skipEmptyLines: true });
  const seconds = (performance.now() - start) / 1000;
  if (result.data.length === 0) throw new Error("Benchmark parsed no rows");
  return megabytes / seconds;
}

await readRows();
papaparse();
const samples = await interleave(rounds, readRows, papaparse);
report(
  compare(samples, {
    name: `core: read contact rows ${megabytes.toFixed(0)} MB`,
    unit: "MB/s",
    baselineName: "papaparse (bare, whole string)",
    higherIsBetter: true,
    goalRatio: 0.9,
    extra: { megabytes, rounds, peakRssMB: (await peakRssBytes()) / 1e6 },
  }),
);
