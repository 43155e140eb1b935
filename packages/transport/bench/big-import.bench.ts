// The big import: importContacts() of 1,000,000 generated contacts (quick: 20,000), streamed from a
// generator, into the fake server over loopback (startFakeServer in a child process, immediate
// clock), vs a plain fetch() upload of the same chunks pre-encoded in memory (the baseline does no
// reading, chunking or encoding while timed). Contacts/s medians of interleaved runs; goal ≥ 0.9×.
// The client reads and chunks the next chunk while one uploads (about 1 s of CPU per million rows
// here, the server about 3 s): with a core free for each side the two overlap and the ratio nears
// 1; when other processes load the machine they share the cores and it falls toward 0.75.
// Memory: peak RSS and the most heap retained after a full GC, each measured in a fresh process
// importing through the client, beside one doing the same import without it (core's chunks and a
// plain fetch() each); both again with V8's heap held small. Goal ≤ 128 MB.
// The client runs with rateLimit: false (the default 4 requests/s would cap both sides' work to
// the limiter); waiting is off (the immediate clock finishes each job while its POST is answered).
//   pnpm bench --filter big-import
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { compare, interleave, quick, report } from "@ctct-bulk/bench";
import { chunkContactRows, encodeChunkBody, openContactFile } from "@ctct-bulk/core";
import { createClient } from "../src/mod.ts";
import { generatedContactFile } from "./_contact-file.ts";

const contacts = quick ? 20_000 : 1_000_000;
const rounds = quick ? 3 : 5;
// Quick runs cut smaller chunks so that they still have several to overlap (1.9 MB otherwise).
const maxEncodedBytes = quick ? 100_000 : 1_900_000;

const child = spawn(
  process.execPath,
  [new URL("./_fake-server-child.ts", import.meta.url).pathname],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const firstLine = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once("line", resolve);
  child.once("error", reject);
});
const { url, account } = JSON.parse(firstLine) as {
  url: string;
  account: { username: string; apiKey: string; password: string };
};
const list = `http://api.constantcontact.com/ws/customers/${account.username}/lists/2`;

const client = createClient({ ...account, baseUrl: url, rateLimit: false, timeout: 120_000 });

async function importRun(): Promise<number> {
  const start = performance.now();
  const result = await client.activities.importContacts(generatedContactFile(contacts), {
    maxEncodedBytes,
    lists: [list],
    wait: false,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.rowCount !== contacts)
    throw new Error(`Imported ${result.rowCount} of ${contacts} rows`);
  return contacts / seconds;
}

/** Runs one import in a fresh process and returns its memory figures. */
async function memoryOf(
  mode: "client" | "fetch",
  v8Flags: readonly string[] = [],
): Promise<{ peakRssMB: number; maxRetainedHeapMB: number }> {
  const probe = spawn(
    process.execPath,
    [
      ...v8Flags,
      "--expose-gc",
      new URL("./_import-child.ts", import.meta.url).pathname,
      mode,
      url,
      String(contacts),
      String(maxEncodedBytes),
      JSON.stringify(account),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: probe.stdout! }).once("line", resolve);
    probe.once("error", reject);
  });
  return JSON.parse(line);
}

const clientMemory = await memoryOf("client");
const fetchMemory = await memoryOf("fetch");
// The same imports with V8 held to a 40 MB old space and 1 MB semi-spaces: they finish, so what
// they keep is bounded; what is left of the RSS is Node, the loaded code and undici's buffers.
const smallHeap = ["--max-old-space-size=40", "--max-semi-space-size=1"];
const clientSmallHeap = await memoryOf("client", smallHeap);
const fetchSmallHeap = await memoryOf("fetch", smallHeap);
const warm = await importRun();

const bodies: Uint8Array[] = [];
for await (const chunk of chunkContactRows(await openContactFile(generatedContactFile(contacts)), {
  maxEncodedBytes,
})) {
  bodies.push(encodeChunkBody(chunk, { kind: "add", activityType: "SV_ADD", lists: [list] }));
}
const authorization = `Basic ${btoa(`${account.apiKey}%${account.username}:${account.password}`)}`;

async function plainFetchRun(): Promise<number> {
  const start = performance.now();
  for (const body of bodies) {
    const response = await fetch(`${url}/${account.username}/activities`, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: body as BodyInit,
    });
    if (response.status !== 201) throw new Error(`Baseline POST answered ${response.status}`);
    await response.arrayBuffer();
  }
  return contacts / ((performance.now() - start) / 1000);
}

await plainFetchRun();
const samples = await interleave(rounds, importRun, plainFetchRun);
child.stdin!.end();

report(
  compare(samples, {
    name: `transport: importContacts() of ${contacts.toLocaleString("en")} contacts over loopback`,
    unit: "contacts/s",
    baselineName: "plain fetch() of the same chunks, pre-encoded",
    higherIsBetter: true,
    goalRatio: 0.9,
    extra: { contacts, chunks: bodies.length, rounds, warmRate: Math.round(warm) },
  }),
);
// Peak RSS of a fresh process importing through the client, beside a fresh process doing the same
// import without it (core's chunks, a plain fetch() each): what the client adds.
const rss = compare(
  { candidate: [clientMemory.peakRssMB], baseline: [fetchMemory.peakRssMB] },
  {
    name: `transport: peak RSS of a process importing ${contacts.toLocaleString("en")} contacts`,
    unit: "MB",
    baselineName: "the same import without the client (core chunks + plain fetch)",
    higherIsBetter: false,
    extra: {
      clientRetainedHeapMB: Number(clientMemory.maxRetainedHeapMB.toFixed(1)),
      fetchRetainedHeapMB: Number(fetchMemory.maxRetainedHeapMB.toFixed(1)),
      clientPeakRssSmallHeapMB: Number(clientSmallHeap.peakRssMB.toFixed(1)),
      fetchPeakRssSmallHeapMB: Number(fetchSmallHeap.peakRssMB.toFixed(1)),
      note: "server in its own process; sources run through Node's type stripping",
    },
  },
);
rss.goal = "≤ 128 MB";
rss.goalMet = clientMemory.peakRssMB <= 128;
report(rss);
