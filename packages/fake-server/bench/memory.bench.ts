// Memory of the fake server's state: 1,000,000 contacts (each with first name, last name and
// city, on one list) added through the API in 1.9 MB adds, vs an empty server — the heap
// retained after a full GC, bytes per contact, and each process's peak RSS. Each side runs in its
// own child process (a peak never falls). BENCH_QUICK=1 → 20,000 contacts.
//   pnpm bench --filter fake-server
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compare, peakRssBytes, quick, report } from "@ctct-bulk/bench";
import { encodeFormBody } from "@ctct-bulk/core";
import { createFakeServer, DEFAULT_ACCOUNT } from "../src/mod.ts";

const CONTACTS = quick ? 20_000 : 1_000_000;
const BATCH = 20_000;

interface ChildResult {
  heapBytes: number;
  peakRss: number;
  contacts: number;
}

async function child(mode: "empty" | "full"): Promise<ChildResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("Run with --expose-gc (pnpm bench does)");
  const server = createFakeServer();
  const authorization = `Basic ${btoa(`${DEFAULT_ACCOUNT.apiKey}%${DEFAULT_ACCOUNT.username}:${DEFAULT_ACCOUNT.password}`)}`;
  const list = "http://api.constantcontact.com/ws/customers/joesflowers/lists/1";
  if (mode === "full") {
    for (let start = 0; start < CONTACTS; start += BATCH) {
      const lines = ["EMAIL ADDRESS,FIRST NAME,LAST NAME,CITY"];
      for (let index = start; index < Math.min(CONTACTS, start + BATCH); index++)
        lines.push(
          `person${index}@example${index % 97}.com,First${index % 89},Last${index % 83},City ${index % 61}`,
        );
      const response = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: encodeFormBody([
          ["activityType", "SV_ADD"],
          ["data", lines.join("\n")],
          ["lists", list],
        ]),
      });
      if (response.status !== 201)
        throw new Error(`Add failed: ${response.status} ${await response.text()}`);
    }
  }
  const contacts = server.control
    .activities()
    .reduce((total, activity) => total + activity.transactionCount, 0);
  if (contacts !== (mode === "full" ? CONTACTS : 0)) throw new Error(`Stored ${contacts} contacts`);
  gc();
  gc();
  const heapBytes = process.memoryUsage().heapUsed;
  // Measured with the server still in use, so that the collector cannot have dropped it.
  if (server.control.contact("person0@example0.com") === undefined && mode === "full")
    throw new Error("The first contact is missing");
  return { heapBytes, peakRss: await peakRssBytes(), contacts };
}

function runChild(mode: "empty" | "full"): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), mode],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: process.env,
      },
    );
    let output = "";
    process_.stdout.on("data", (chunk) => {
      output += chunk;
    });
    process_.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(output) as ChildResult)
        : reject(new Error(`Child ${mode} exited ${code}`)),
    );
  });
}

const mode = process.argv[2];
if (mode === "empty" || mode === "full") {
  console.log(JSON.stringify(await child(mode)));
} else {
  const empty = await runChild("empty");
  const full = await runChild("full");
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const bytesPerContact = (full.heapBytes - empty.heapBytes) / full.contacts;
  report(
    compare(
      { candidate: [mb(full.heapBytes)], baseline: [mb(empty.heapBytes)] },
      {
        name: `fake-server: heap with ${full.contacts.toLocaleString("en-US")} contacts stored`,
        unit: "MB",
        baselineName: "an empty fake server",
        higherIsBetter: false,
        extra: { bytesPerContact: Math.round(bytesPerContact), contacts: full.contacts },
      },
    ),
  );
  report(
    compare(
      { candidate: [mb(full.peakRss)], baseline: [mb(empty.peakRss)] },
      {
        name: `fake-server: peak RSS storing ${full.contacts.toLocaleString("en-US")} contacts`,
        unit: "MB",
        baselineName: "an empty fake server",
        higherIsBetter: false,
        extra: { rssBytesPerContact: Math.round((full.peakRss - empty.peakRss) / full.contacts) },
      },
    ),
  );
}
