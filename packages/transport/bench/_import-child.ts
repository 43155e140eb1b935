// One import in a fresh process, for the big-import benchmark's memory figures: through the
// client (`client`), or the same without it (`fetch`: core's reader, chunker and encodeChunkBody,
// then a plain fetch() per chunk). The contacts come from the file the benchmark wrote (as a
// Blob, openAsBlob, as the CLI reads one) or, with `generated`, from the generated text in memory.
// Prints one JSON line: the peak RSS, the most heap retained after a full GC, and where the RSS
// went (the peaks of V8's heap, of external memory and of ArrayBuffers, sampled every 20 ms), and
// the rate.
// With `retained` last, a full GC every 8th chunk measures the retained heap (and frees garbage
// a real run would keep: the RSS of such a run is not the one to report).
//   node --expose-gc _import-child.ts client|client-buffer|fetch <fake server URL> <contacts> <maxEncodedBytes> <account JSON> <file>|generated [retained]
import { openAsBlob, readFileSync } from "node:fs";
import { chunkContactRows, encodeChunkBody, openContactFile } from "@ctct-bulk/core";
import { createClient } from "../src/mod.ts";
import { generatedContactFile } from "./_contact-file.ts";
import { type BenchAccount, plainUploader } from "./_plain-upload.ts";

const [mode, url, count, maxBytes, accountJson, from, retained] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string | undefined,
];
/** The contacts: the generated text in memory, or the file the benchmark wrote it to (as the CLI reads one). */
const source = async () =>
  from === "generated" ? generatedContactFile(contacts) : (await openAsBlob(from)).stream();
const maxEncodedBytes = Number(maxBytes);
const contacts = Number(count);
const account = JSON.parse(accountJson) as BenchAccount;
const list = `http://api.constantcontact.com/ws/customers/${account.username}/lists/2`;

const peaks = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peaks.heapTotal = Math.max(peaks.heapTotal, usage.heapTotal);
  peaks.heapUsed = Math.max(peaks.heapUsed, usage.heapUsed);
  peaks.external = Math.max(peaks.external, usage.external);
  peaks.arrayBuffers = Math.max(peaks.arrayBuffers, usage.arrayBuffers);
}, 20);
sampler.unref();
const started = performance.now();

const gc = (globalThis as { gc?: () => void }).gc;
let maxRetained = 0;
const sample = () => {
  if (retained !== "retained" || !gc) return;
  gc();
  maxRetained = Math.max(maxRetained, process.memoryUsage().heapUsed);
};
if (mode === "client" || mode === "client-buffer") {
  const client = createClient({
    ...account,
    baseUrl: url,
    rateLimit: false,
    timeout: 120_000,
    // `client-buffer`: bodies handed to fetch as bytes, as with an injected fetch or in a browser
    uploadBodies: mode === "client" ? "auto" : "buffer",
  });
  const result = await client.activities.importContacts(await source(), {
    maxEncodedBytes,
    lists: [list],
    wait: false,
    // retained heap after a full GC, every 8th chunk (a GC per chunk would hide the peak RSS)
    onProgress: (event) => {
      if (event.type === "chunk-submitted" && event.chunk.index % 8 === 7) sample();
    },
  });
  if (result.rowCount !== contacts) throw new Error(`Imported ${result.rowCount} rows`);
} else {
  const upload = plainUploader(url, account);
  let index = 0;
  for await (const chunk of chunkContactRows(await openContactFile(await source()), {
    maxEncodedBytes,
  })) {
    const body = encodeChunkBody(chunk, { kind: "add", activityType: "SV_ADD", lists: [list] });
    await upload(body);
    if (index++ % 8 === 7) sample();
  }
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const peak =
  Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024;
console.log(
  JSON.stringify({
    peakRssMB: peak / 1e6,
    maxRetainedHeapMB: maxRetained / 1e6,
    peakHeapTotalMB: peaks.heapTotal / 1e6,
    peakHeapUsedMB: peaks.heapUsed / 1e6,
    peakExternalMB: peaks.external / 1e6,
    peakArrayBuffersMB: peaks.arrayBuffers / 1e6,
    contactsPerSecond: contacts / seconds,
  }),
);
