// Where the time between creates goes (ADR 0145): two imports through the client of the
// benchmark's generated text in memory, and two plain fetch() uploads of the same chunks
// pre-encoded (as big-import.bench.ts does), with the times undici reports for each request
// (diagnostics_channel: created, headers written, body written, response headers, response done)
// and the gap between one create's response and the next create's request. A diagnostic, not a
// benchmark: no goal, and the machine's load moves every figure.
//   node packages/transport/bench/_request-gaps.ts [contacts] [client|fetch|both]
import diagnostics from "node:diagnostics_channel";
import { chunkContactRows, encodeChunkBody, openContactFile } from "@ctct-bulk/core";
import { createClient } from "../src/mod.ts";
import { generatedContactFile } from "./_contact-file.ts";
import { plainUploader } from "./_plain-upload.ts";
import { spawnFakeServer } from "./_spawn-fake-server.ts";

const contacts = Number(process.argv[2] ?? 1_000_000);
const which = process.argv[3] ?? "both";
const maxEncodedBytes = 1_900_000;
type Times = {
  created: number;
  headersSent?: number;
  bodySent?: number;
  headers?: number;
  done?: number;
};
let log: Times[] = [];
const byRequest = new WeakMap<object, Times>();
diagnostics.subscribe("undici:request:create", (m) => {
  const t: Times = { created: performance.now() };
  byRequest.set((m as { request: object }).request, t);
  log.push(t);
});
diagnostics.subscribe("undici:client:sendHeaders", (m) => {
  const t = byRequest.get((m as { request: object }).request);
  if (t) t.headersSent = performance.now();
});
diagnostics.subscribe("undici:request:bodySent", (m) => {
  const t = byRequest.get((m as { request: object }).request);
  if (t) t.bodySent = performance.now();
});
diagnostics.subscribe("undici:request:headers", (m) => {
  const t = byRequest.get((m as { request: object }).request);
  if (t) t.headers = performance.now();
});
diagnostics.subscribe("undici:request:trailers", (m) => {
  const t = byRequest.get((m as { request: object }).request);
  if (t) t.done = performance.now();
});

const { child, url, account } = await spawnFakeServer();
const list = `http://api.constantcontact.com/ws/customers/${account.username}/lists/2`;
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
function summarise(name: string, start: number, end: number) {
  const posts = log.filter((t) => t.done !== undefined);
  const gaps = posts.slice(1).map((t, i) => t.created - posts[i]!.done!);
  const toHeaders = posts.map((t) => t.headersSent! - t.created);
  const sending = posts.map((t) => t.bodySent! - t.headersSent!);
  const serverTime = posts.map((t) => t.headers! - t.bodySent!);
  const fmt = (xs: number[]) =>
    `median ${med(xs).toFixed(2)} ms, sum ${sum(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(1)}`;
  console.log(
    `${name}: ${posts.length} requests, ${(end - start).toFixed(0)} ms, ${Math.round(contacts / ((end - start) / 1000))} contacts/s\n` +
      `  gap response done -> next request created: ${fmt(gaps)}\n` +
      `  created -> headers sent:                    ${fmt(toHeaders)}\n` +
      `  headers sent -> body sent:                  ${fmt(sending)}\n` +
      `  body sent -> response headers:              ${fmt(serverTime)}\n` +
      `  first request at ${(posts[0]!.created - start).toFixed(0)} ms, after last done ${(end - posts.at(-1)!.done!).toFixed(1)} ms`,
  );
}

if (which !== "fetch") {
  const client = createClient({ ...account, baseUrl: url, rateLimit: false, timeout: 120_000 });
  for (let round = 0; round < 2; round++) {
    log = [];
    const start = performance.now();
    await client.activities.importContacts(generatedContactFile(contacts), {
      maxEncodedBytes,
      lists: [list],
      wait: false,
    });
    const end = performance.now();
    summarise(`client round ${round}`, start, end);
  }
}
if (which !== "client") {
  const bodies: Uint8Array[] = [];
  for await (const chunk of chunkContactRows(
    await openContactFile(generatedContactFile(contacts)),
    {
      maxEncodedBytes,
    },
  ))
    bodies.push(encodeChunkBody(chunk, { kind: "add", activityType: "SV_ADD", lists: [list] }));
  const upload = plainUploader(url, account);
  for (let round = 0; round < 2; round++) {
    log = [];
    const start = performance.now();
    for (const body of bodies) await upload(body);
    summarise(`fetch round ${round}`, start, performance.now());
  }
}
child.stdin!.end();
