// The big import: importContacts() of 1,000,000 generated contacts (quick: 20,000) into the fake
// server over loopback (startFakeServer in a child process, immediate clock), vs a plain fetch()
// upload of the same chunks pre-encoded in memory (the baseline does no reading, chunking or
// encoding while timed). Contacts/s medians of interleaved runs; goal ≥ 0.9×.
// The input: the generated contacts are written once to a file in a temporary folder, and the
// client imports that file as a Blob (openAsBlob, read as it is pulled, as the CLI and the guide
// read one); the baseline's bodies are encoded from the same file (ADR 0145). The same contacts
// also go to the client as generated text in memory (a generator of 1,000-row strings, as before
// ADR 0145), for the rate and one memory row: that generator itself keeps about 650 KB alive at
// every young collection, which grows V8's young generation to its largest (ADR 0125), so it
// measures the generator as much as the client.
// The client reads and chunks the next chunk while one uploads (about 1.4 s of CPU per million
// rows here, the server about 4 s): with a core free for each side the two overlap and the ratio
// nears 1; when other processes load the machine they share the cores and it falls. The client
// streams each body (Node's own fetch: uploadBodies "auto"), its pieces whole, so the system sends
// them while JavaScript reads the next chunk (ADR 0100), and its reading gives the event loop a
// turn every millisecond so that the create in flight is written and answered meanwhile (ADR 0145).
// Memory: the peak RSS of a fresh process importing the file through the client, beside one doing
// the same import without it (core's chunks and a plain fetch() of each body as bytes), medians of
// interleaved runs, in four ways of running the process: the sources or bundled JS, V8's defaults
// or the heap cap that docs/guides/big-imports.md gives operators (and, on glibc, malloc giving
// large buffers back). With V8's defaults, the bundled client is also run with uploadBodies
// "buffer" (bytes handed to fetch, as with an injected fetch or in a browser), and both sides with
// the generated text in memory. Each also reports where the RSS went (peaks of V8's heap, external
// memory, ArrayBuffers) and the most heap retained after a full GC (runs of their own). Goal
// ≤ 128 MB. Every result lists its samples.
// The client runs with rateLimit: false (the default 4 requests/s would cap both sides' work to
// the limiter); waiting is off (the immediate clock finishes each job while its POST is answered).
//   pnpm bench --filter big-import
import { spawn } from "node:child_process";
import { openAsBlob } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { compare, median, quick, report } from "@ctct-bulk/bench";
import { chunkContactRows, encodeChunkBody, openContactFile } from "@ctct-bulk/core";
import { createClient } from "../src/mod.ts";
import { generatedContactFile } from "./_contact-file.ts";
import { plainUploader } from "./_plain-upload.ts";
import { spawnFakeServer } from "./_spawn-fake-server.ts";
import { writeGeneratedContactFile } from "./_write-contact-file.ts";

const contacts = quick ? 20_000 : 1_000_000;
const rounds = quick ? 3 : 5;
// Quick runs cut smaller chunks so that they still have several to overlap (1.9 MB otherwise).
const maxEncodedBytes = quick ? 100_000 : 1_900_000;

const { child, url, account } = await spawnFakeServer();
const list = `http://api.constantcontact.com/ws/customers/${account.username}/lists/2`;

const client = createClient({ ...account, baseUrl: url, rateLimit: false, timeout: 120_000 });

// The generated contacts, written once (49.7 MB for a million), in the folder of the bundle below.
const workDir = await mkdtemp(join(tmpdir(), "ctct-big-import-"));
const contactFile = join(workDir, "contacts.csv");
await writeGeneratedContactFile(contactFile, contacts);

/** One import through the client, from the file (as the CLI reads it) or the generated text. */
async function importRun(from: "file" | "generated"): Promise<number> {
  const start = performance.now();
  const input = from === "file" ? await openAsBlob(contactFile) : generatedContactFile(contacts);
  const result = await client.activities.importContacts(input, {
    maxEncodedBytes,
    lists: [list],
    wait: false,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.rowCount !== contacts)
    throw new Error(`Imported ${result.rowCount} of ${contacts} rows`);
  return contacts / seconds;
}

/** What one import in a fresh process measured (see `_import-child.ts`). */
interface MemoryFigures {
  peakRssMB: number;
  maxRetainedHeapMB: number;
  peakHeapTotalMB: number;
  peakHeapUsedMB: number;
  peakExternalMB: number;
  peakArrayBuffersMB: number;
  contactsPerSecond: number;
}

/** How a memory child runs: its script, Node/V8 flags, environment and input. */
interface MemorySetup {
  label: string;
  script: string;
  flags: readonly string[];
  env?: Record<string, string>;
  /** The contact file (default), or the generated text in memory. */
  from?: "generated";
}

/** Runs one import in a fresh process and returns its memory figures. */
async function memoryOf(
  mode: "client" | "client-buffer" | "fetch",
  setup: MemorySetup,
  retained = false,
): Promise<MemoryFigures> {
  const probe = spawn(
    process.execPath,
    [
      ...setup.flags,
      "--expose-gc",
      setup.script,
      mode,
      url,
      String(contacts),
      String(maxEncodedBytes),
      JSON.stringify(account),
      setup.from ?? contactFile,
      ...(retained ? ["retained"] : []),
    ],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...setup.env } },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: probe.stdout! }).once("line", resolve);
    probe.once("error", reject);
  });
  await new Promise((resolve) => probe.once("close", resolve));
  return JSON.parse(line);
}

// The children run the sources through Node's type stripping (as this repository does), and the
// same code bundled to plain JavaScript as a published package runs (type stripping alone costs
// 15-20 MB of RSS: its compiler is loaded). Both sides of every comparison run the same way.
const bundled = join(workDir, "import-child.mjs");
// esbuild is the repository's bundler (root devDependency, also used by scripts/build-sea.ts).
const { build } = await import("esbuild");
await build({
  entryPoints: [new URL("./_import-child.ts", import.meta.url).pathname],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: bundled,
  logLevel: "warning",
});
const sources = new URL("./_import-child.ts", import.meta.url).pathname;
// The knob docs/guides/big-imports.md gives operators: V8's young generation held to 2 MB
// semi-spaces (by default it grows to 2 × 64 MB on a machine with this much memory) and its old
// generation to 32 MB (about twice what an import keeps); and, on glibc, large buffers given back
// to the system when freed instead of kept in malloc's heap.
const HEAP_CAP = ["--max-semi-space-size=2", "--max-old-space-size=32"];
const MALLOC_RETURN = { MALLOC_MMAP_THRESHOLD_: "262144" };
const setups: MemorySetup[] = [
  { label: "sources, V8 defaults", script: sources, flags: [] },
  { label: "bundled JS, V8 defaults", script: bundled, flags: [] },
  { label: `bundled JS, ${HEAP_CAP.join(" ")}`, script: bundled, flags: HEAP_CAP },
  {
    label: `bundled JS, ${HEAP_CAP.join(" ")}, MALLOC_MMAP_THRESHOLD_=262144`,
    script: bundled,
    flags: HEAP_CAP,
    env: MALLOC_RETURN,
  },
  // As before ADR 0145: the generated text in memory instead of the file.
  {
    label: "bundled JS, V8 defaults, generated text in memory",
    script: bundled,
    flags: [],
    from: "generated",
  },
];
const memoryRounds = quick ? 1 : 3;
const memory = setups.map((setup) => ({
  setup,
  client: [] as MemoryFigures[],
  fetch: [] as MemoryFigures[],
}));
/** The bundled client with V8's defaults and byte bodies (`uploadBodies: "buffer"`). */
const clientBuffer: MemoryFigures[] = [];
// Rounds outside, ways of running inside: drift of the machine hits every way alike; within a
// round the client and the plain fetch() alternate which goes first, as interleave() does.
for (let round = 0; round < memoryRounds; round++) {
  for (const [index, { setup, client, fetch }] of memory.entries()) {
    if (round % 2 === 0) {
      client.push(await memoryOf("client", setup));
      fetch.push(await memoryOf("fetch", setup));
    } else {
      fetch.push(await memoryOf("fetch", setup));
      client.push(await memoryOf("client", setup));
    }
    if (index === 1) clientBuffer.push(await memoryOf("client-buffer", setup));
  }
}
// The retained heap: a full GC every 8th chunk (in runs of their own: the GCs lower the RSS).
const clientRetained = await memoryOf("client", setups[0]!, true);
const fetchRetained = await memoryOf("fetch", setups[0]!, true);
const warm = await importRun("file");

const bodies: Uint8Array[] = [];
for await (const chunk of chunkContactRows(
  await openContactFile((await openAsBlob(contactFile)).stream()),
  {
    maxEncodedBytes,
  },
)) {
  bodies.push(encodeChunkBody(chunk, { kind: "add", activityType: "SV_ADD", lists: [list] }));
}
const upload = plainUploader(url, account);

async function plainFetchRun(): Promise<number> {
  const start = performance.now();
  for (const body of bodies) await upload(body);
  return contacts / ((performance.now() - start) / 1000);
}

await plainFetchRun();
// The file import, the generated-text import and the plain fetch() take turns, each round in
// another order (interleave() takes two): drift of the machine hits all three alike.
const fromFile: number[] = [];
const fromGenerated: number[] = [];
const plain: number[] = [];
const runs: Array<[number[], () => Promise<number>]> = [
  [fromFile, () => importRun("file")],
  [plain, plainFetchRun],
  [fromGenerated, () => importRun("generated")],
];
for (let round = 0; round < rounds; round++) {
  for (let turn = 0; turn < runs.length; turn++) {
    const [samples, run] = runs[(round + turn) % runs.length]!;
    samples.push(await run());
  }
  (globalThis as { gc?: () => void }).gc?.();
}
child.stdin!.end();
await rm(workDir, { recursive: true, force: true });

/** Samples as text, in the order they were taken. */
const listed = (values: readonly number[], digits = 0) =>
  values.map((value) => value.toFixed(digits)).join(", ");
for (const [from, samples] of [
  ["the contact file (openAsBlob)", fromFile],
  ["generated text in memory", fromGenerated],
] as const) {
  report(
    compare(
      { candidate: samples, baseline: plain },
      {
        name: `transport: importContacts() of ${contacts.toLocaleString("en")} contacts over loopback, from ${from}`,
        unit: "contacts/s",
        baselineName: "plain fetch() of the same chunks, pre-encoded",
        higherIsBetter: true,
        goalRatio: 0.9,
        extra: {
          contacts,
          chunks: bodies.length,
          rounds,
          warmRate: Math.round(warm),
          samples: listed(samples),
          baselineSamples: listed(plain),
        },
      },
    ),
  );
}
// Peak RSS of a fresh process importing through the client, beside a fresh process doing the same
// import without it (core's chunks, a plain fetch() each): what the client adds. One result per
// way of running the process; medians of interleaved runs.
const mb = (value: number) => Number(value.toFixed(1));
const of = (runs: MemoryFigures[], key: keyof MemoryFigures) =>
  mb(median(runs.map((run) => run[key])));
for (const [index, { setup, client: clientRuns, fetch: fetchRuns }] of memory.entries()) {
  const rss = compare(
    {
      candidate: clientRuns.map((run) => run.peakRssMB),
      baseline: fetchRuns.map((run) => run.peakRssMB),
    },
    {
      name: `transport: peak RSS of a process importing ${contacts.toLocaleString("en")} contacts (${setup.label})`,
      unit: "MB",
      baselineName: "the same import without the client (core chunks + plain fetch)",
      higherIsBetter: false,
      extra: {
        runs: clientRuns.length,
        clientPeakHeapTotalMB: of(clientRuns, "peakHeapTotalMB"),
        fetchPeakHeapTotalMB: of(fetchRuns, "peakHeapTotalMB"),
        clientPeakExternalMB: of(clientRuns, "peakExternalMB"),
        fetchPeakExternalMB: of(fetchRuns, "peakExternalMB"),
        clientPeakArrayBuffersMB: of(clientRuns, "peakArrayBuffersMB"),
        fetchPeakArrayBuffersMB: of(fetchRuns, "peakArrayBuffersMB"),
        clientContactsPerSecond: Math.round(of(clientRuns, "contactsPerSecond")),
        fetchContactsPerSecond: Math.round(of(fetchRuns, "contactsPerSecond")),
        clientRetainedHeapMB: mb(clientRetained.maxRetainedHeapMB),
        fetchRetainedHeapMB: mb(fetchRetained.maxRetainedHeapMB),
        samples: listed(
          clientRuns.map((run) => run.peakRssMB),
          1,
        ),
        baselineSamples: listed(
          fetchRuns.map((run) => run.peakRssMB),
          1,
        ),
        ...(index === 1
          ? {
              clientBufferBodiesPeakRssMB: of(clientBuffer, "peakRssMB"),
              clientBufferBodiesSamples: listed(
                clientBuffer.map((run) => run.peakRssMB),
                1,
              ),
              clientBufferBodiesPeakArrayBuffersMB: of(clientBuffer, "peakArrayBuffersMB"),
              clientBufferBodiesPeakHeapTotalMB: of(clientBuffer, "peakHeapTotalMB"),
            }
          : {}),
        note: "server in its own process",
      },
    },
  );
  rss.goal = "≤ 128 MB";
  rss.goalMet = rss.value <= 128;
  report(rss);
}

// What the knob costs: the client's rate in a process with the heap cap and the malloc setting,
// beside the same bundled client with V8's defaults (the same interleaved runs as above).
const defaults = memory[1]!;
const capped = memory[3]!;
report(
  compare(
    {
      candidate: capped.client.map((run) => run.contactsPerSecond),
      baseline: defaults.client.map((run) => run.contactsPerSecond),
    },
    {
      name: `transport: importContacts() of ${contacts.toLocaleString("en")} contacts in a process with ${capped.setup.label}`,
      unit: "contacts/s",
      baselineName: `the same with ${defaults.setup.label}`,
      higherIsBetter: true,
      extra: {
        runs: capped.client.length,
        samples: listed(capped.client.map((run) => run.contactsPerSecond)),
        baselineSamples: listed(defaults.client.map((run) => run.contactsPerSecond)),
      },
    },
  ),
);
