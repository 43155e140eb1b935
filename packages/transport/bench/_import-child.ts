// One import in a fresh process, for the big-import benchmark's memory figures: through the
// client (`client`), or the same without it (`fetch`: core's reader, chunker and encodeChunkBody,
// then a plain fetch() per chunk, streamed the same way). Prints {"peakRssMB",
// "maxRetainedHeapMB"} as one JSON line.
//   node --expose-gc _import-child.ts client|fetch <fake server URL> <contacts> <maxEncodedBytes> <account JSON>
import { readFileSync } from "node:fs";
import { chunkContactRows, encodeChunkBody, openContactFile } from "@ctct-bulk/core";
import { createClient } from "../src/mod.ts";
import { generatedContactFile } from "./_contact-file.ts";

const [mode, url, count, maxBytes, accountJson] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const maxEncodedBytes = Number(maxBytes);
const contacts = Number(count);
const account = JSON.parse(accountJson) as { username: string; apiKey: string; password: string };
const list = `http://api.constantcontact.com/ws/customers/${account.username}/lists/2`;

const gc = (globalThis as { gc?: () => void }).gc!;
let maxRetained = 0;
const sample = () => {
  gc();
  maxRetained = Math.max(maxRetained, process.memoryUsage().heapUsed);
};
if (mode === "client") {
  const client = createClient({ ...account, baseUrl: url, rateLimit: false, timeout: 120_000 });
  const result = await client.activities.importContacts(generatedContactFile(contacts), {
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
  const authorization = `Basic ${btoa(`${account.apiKey}%${account.username}:${account.password}`)}`;
  let index = 0;
  for await (const chunk of chunkContactRows(
    await openContactFile(generatedContactFile(contacts)),
    {
      maxEncodedBytes,
    },
  )) {
    const body = encodeChunkBody(chunk, { kind: "add", activityType: "SV_ADD", lists: [list] });
    const response = await fetch(`${url}/${account.username}/activities`, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: body as BodyInit,
    });
    if (response.status !== 201) throw new Error(`POST answered ${response.status}`);
    await response.arrayBuffer();
    if (index++ % 8 === 7) sample();
  }
}
const peak =
  Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024;
console.log(JSON.stringify({ peakRssMB: peak / 1e6, maxRetainedHeapMB: maxRetained / 1e6 }));
