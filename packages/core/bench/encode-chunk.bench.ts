// Form-encoding + chunking a generated contacts file: chunkContactRows() over streamed rows handed
// over in arrays of 1,000 (`batches`; openContactFile hands over at most 128 since ADR 0125),
// and again over `rows` only (one await per row), reported beside it (each row formatted,
// form-encoded once into its chunk, line maps kept, chunks ≤ 1,900,000 encoded bytes) vs bare
// encodeURIComponent over the same text in
// 1 MB pieces, MB/s medians of interleaved runs. Goal: at least 1.0x. The rows are generated as
// they are consumed (a pool of distinct rows, repeated with fresh line numbers), never held: 200 MB
// of input (BENCH_QUICK=1: 4 MB).
// Then memory: peak RSS of a child process chunking 20 MB vs one chunking 200 MB (quick: 2 and
// 8 MB), each in its own process since a peak never falls; goal: flat (≤ 1.2x). Also the encoder
// alone (encodeFormComponentBytes) on the same 1 MB pieces, to show where the chunker's time goes.
//
// What is timed (ADR 0080): the baseline and the encoder alone time their encoding calls only.
// Before that they also timed the joining of each 1 MB piece from the pool's lines, about a third
// of the baseline's time, which flattered the chunker. The chunker's side still includes making its
// input (a `{ line, fields }` object per row, from the pool), a few percent of its profile, since
// rows are produced while it consumes them.
//   pnpm bench --filter encode-chunk
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compare, interleave, peakRssBytes, quick, report } from "@ctct-bulk/bench";
import { type ContactChunk, chunkContactRows } from "../src/chunker.ts";
import {
  type ContactHeader,
  type ContactRow,
  type ContactTable,
  formatContactLine,
} from "../src/contact-file.ts";
import { encodeFormComponentBytes } from "../src/form-urlencoded.ts";

const HEADER_NAMES = [
  "EMAIL ADDRESS",
  "FIRST NAME",
  "LAST NAME",
  "COMPANY NAME",
  "CITY",
  "STATE/PROVINCE (US/CANADA)",
  "POSTAL CODE",
  "CUSTOM FIELD 1",
];
const HEADER: ContactHeader = {
  names: HEADER_NAMES,
  columns: HEADER_NAMES as ContactHeader["columns"],
  delimiter: ",",
  line: 1,
};

/** A pool of distinct rows like real exports: spaces, commas in quotes, some non-ASCII. */
function rowPool(count: number): string[][] {
  const first = ["Fred", "Joan", "Ann", "José", "Zoë", "Li", "Mary Ann", "O'Neil"];
  const cities = ["Boston", "Portland, ME", "Springfield", "Montréal", "St. John's, NL", "Austin"];
  const regions = ["MA", "ME", "IL", "QC", "NL", "TX"];
  const rows: string[][] = [];
  for (let index = 0; index < count; index++) {
    rows.push([
      `user.${index}+tag@example${index % 13}.com`,
      first[index % first.length]!,
      `Test${index % 89}`,
      index % 7 === 0 ? `Acme "No. ${index % 100}" Inc` : `Company ${index % 1000} LLC`,
      cities[index % cities.length]!,
      regions[index % regions.length]!,
      `0${(index * 7919) % 100000}`.padStart(5, "0"),
      index % 50 === 0 ? "two\nlines" : `note ${index}; 50% off & more`,
    ]);
  }
  return rows;
}

const pool = rowPool(10_000);
const poolLines = pool.map((fields) => formatContactLine(fields));
const poolSizes = poolLines.map((line) => new TextEncoder().encode(line).length + 1);
const headerLine = formatContactLine(HEADER_NAMES);

/** Rows totalling `bytes` of file text, generated as they are taken. */
async function* generatedRows(bytes: number): AsyncGenerator<ContactRow> {
  let size = headerLine.length + 1;
  let line = 2;
  for (let index = 0; size < bytes; index = (index + 1) % pool.length) {
    yield { line, fields: pool[index]! };
    line += index % 50 === 0 ? 2 : 1;
    size += poolSizes[index]!;
  }
}

const BATCH_ROWS = 1_000;

/**
 * The same rows in arrays of about 1,000 (`batches`; `openContactFile` hands over at most 128
 * since ADR 0125, and the chunker takes arrays of any size).
 */
async function* generatedBatches(bytes: number): AsyncGenerator<readonly ContactRow[]> {
  let size = headerLine.length + 1;
  let line = 2;
  let batch: ContactRow[] = [];
  for (let index = 0; size < bytes; index = (index + 1) % pool.length) {
    batch.push({ line, fields: pool[index]! });
    line += index % 50 === 0 ? 2 : 1;
    size += poolSizes[index]!;
    if (batch.length === BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A table as the reader makes it (`rows` and `batches`), or one offering `rows` only. */
function table(bytes: number, batched = true): ContactTable {
  if (!batched) return { header: HEADER, rows: generatedRows(bytes) };
  return { header: HEADER, rows: generatedRows(bytes), batches: generatedBatches(bytes) };
}

/** The file text those rows make, in pieces of about 1 MB, never whole. */
function* textPieces(bytes: number): Generator<string> {
  let size = headerLine.length + 1;
  let index = 0;
  let piece = [headerLine];
  let pieceSize = size;
  while (size < bytes) {
    piece.push(poolLines[index]!);
    size += poolSizes[index]!;
    pieceSize += poolSizes[index]!;
    index = (index + 1) % pool.length;
    if (pieceSize >= 1_000_000) {
      yield piece.join("\n");
      piece = [];
      pieceSize = 0;
    }
  }
  if (piece.length > 0) yield piece.join("\n");
}

async function chunkAll(
  bytes: number,
  onChunk?: (chunk: ContactChunk) => void,
  batched = true,
): Promise<number> {
  let encoded = 0;
  for await (const chunk of chunkContactRows(table(bytes, batched))) {
    encoded += chunk.encodedBytes;
    onChunk?.(chunk);
  }
  return encoded;
}

// Child mode: chunk `bytes` and print this process's peak RSS and retained heap.
const memoryArg = process.argv.indexOf("--memory");
if (memoryArg >= 0) {
  const bytes = Number(process.argv[memoryArg + 1]);
  const gc = (globalThis as { gc?: () => void }).gc;
  let retained = 0;
  let chunks = 0;
  await chunkAll(bytes, () => {
    if (gc) {
      chunks++;
      gc();
      retained = Math.max(retained, process.memoryUsage().heapUsed);
    }
  });
  console.log(JSON.stringify({ peakRss: await peakRssBytes(), retained, chunks }));
  process.exit(0);
}

function measureInChild(bytes: number): Promise<{ peakRss: number; retained: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), "--memory", String(bytes)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      output += text;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(output.trim().split("\n").pop()!))
        : reject(new Error(`Memory child for ${bytes} bytes exited with ${code}`)),
    );
  });
}

const totalBytes = quick ? 4_000_000 : 200_000_000;
const rounds = quick ? 5 : 5;
const megabytes = totalBytes / 1e6;

async function candidate(batched = true): Promise<number> {
  const start = performance.now();
  const encoded = await chunkAll(totalBytes, undefined, batched);
  const seconds = (performance.now() - start) / 1000;
  if (encoded < totalBytes) throw new Error("Benchmark encoded too little");
  return megabytes / seconds;
}

function baseline(): number {
  let spent = 0;
  let encoded = 0;
  for (const piece of textPieces(totalBytes)) {
    const start = performance.now();
    encoded += encodeURIComponent(piece).length;
    spent += performance.now() - start;
  }
  const seconds = spent / 1000;
  if (encoded < totalBytes) throw new Error("Benchmark encoded too little");
  return megabytes / seconds;
}

/** The encoder alone on the same pieces: where the chunker's time goes. */
function encoderOnly(): number {
  let spent = 0;
  let encoded = 0;
  for (const piece of textPieces(totalBytes)) {
    const start = performance.now();
    encoded += encodeFormComponentBytes(piece).length;
    spent += performance.now() - start;
  }
  const seconds = spent / 1000;
  if (encoded < totalBytes) throw new Error("Benchmark encoded too little");
  return megabytes / seconds;
}

const smallBytes = quick ? 2_000_000 : 20_000_000;
const largeBytes = quick ? 8_000_000 : 200_000_000;
const small = await measureInChild(smallBytes);
const large = await measureInChild(largeBytes);

encoderOnly();
const encoderSamples = await interleave(rounds, encoderOnly, baseline);
report(
  compare(encoderSamples, {
    name: `core: encodeFormComponentBytes alone, ${megabytes} MB in 1 MB pieces`,
    unit: "MB/s",
    baselineName: "encodeURIComponent (bare, 1 MB pieces, encoding timed only)",
    higherIsBetter: true,
    goalRatio: 1.0,
    extra: { megabytes, rounds },
  }),
);
await candidate();
baseline();
const samples = await interleave(rounds, candidate, baseline);
report(
  compare(samples, {
    name: `core: form-encode + chunk ${megabytes} MB of contact rows, in batches of 1,000`,
    unit: "MB/s",
    baselineName: "encodeURIComponent (bare, 1 MB pieces, encoding timed only)",
    higherIsBetter: true,
    goalRatio: 1.0,
    extra: {
      megabytes,
      rounds,
      [`peakRssMB_${smallBytes / 1e6}MB`]: Math.round(small.peakRss / 1e5) / 10,
      [`peakRssMB_${largeBytes / 1e6}MB`]: Math.round(large.peakRss / 1e5) / 10,
      peakRssMBThisProcess: Math.round((await peakRssBytes()) / 1e5) / 10,
    },
  }),
);
// The same over a table that offers `rows` only (one await per row), so that nothing is hidden.
await candidate(false);
const perRowSamples = await interleave(rounds, () => candidate(false), baseline);
report(
  compare(perRowSamples, {
    name: `core: form-encode + chunk ${megabytes} MB of contact rows, rows only (no batches)`,
    unit: "MB/s",
    baselineName: "encodeURIComponent (bare, 1 MB pieces, encoding timed only)",
    higherIsBetter: true,
    goalRatio: 1.0,
    extra: { megabytes, rounds },
  }),
);
report(
  compare(
    { candidate: [large.peakRss / 1e6], baseline: [small.peakRss / 1e6] },
    {
      name: `core: peak RSS chunking ${largeBytes / 1e6} MB of contact rows`,
      unit: "MB",
      baselineName: `chunking ${smallBytes / 1e6} MB`,
      higherIsBetter: false,
      goalRatio: 1.2,
      extra: {
        heapRetainedMB_small: Math.round(small.retained / 1e5) / 10,
        heapRetainedMB_large: Math.round(large.retained / 1e5) / 10,
      },
    },
  ),
);
