// The event loop's CPU a signed push costs in the app itself (Hono, verification, parsing, the
// hand-off to the store's writer thread and its answer), for two copies of the app's source in
// one process, alternated batch by batch: an A/B of a change to the push path that the machine's
// other load disturbs far less than a rate, or the server's CPU under autocannon (ADR 0130).
// No sockets: requests go to `app.fetch` (web Request objects, built before each batch and not
// timed); the writer threads' CPU is not counted (`process.threadCpuUsage`, this thread only).
//   node apps/webhook/bench/handler-cpu-ab.ts <src dir A> <src dir B> [batches=20] [per batch=2000]
// e.g. A = a copy of apps/webhook/src before a change (git archive), B = apps/webhook/src.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "@ctct-bulk/bench";
import { BENCH_CONFIG, PUSH_PATH, prepareRequests } from "./_requests.ts";

const [dirA, dirB, batchesText = "20", perBatchText = "2000"] = process.argv.slice(2);
if (!dirA || !dirB)
  throw new Error("Usage: handler-cpu-ab.ts <src dir A> <src dir B> [batches] [per batch]");
const batches = Number(batchesText);
const perBatch = Number(perBatchText);
/** Requests in flight at once (they form the writer's groups). */
const CONCURRENCY = 100;

interface Side {
  name: string;
  fetch: (request: Request) => Response | Promise<Response>;
  close: () => Promise<void>;
  samples: number[];
}

async function open(name: string, dir: string): Promise<Side> {
  const at = (file: string) => pathToFileURL(join(resolve(dir), file)).href;
  const { createWebhookApp } = await import(at("app.ts"));
  const { parseWebhookConfig } = await import(at("config.ts"));
  const { openSqliteStore } = await import(at("sqlite-store.ts"));
  const { createNodeSigningKey, nodeSha256Hex } = await import(at("node-crypto.ts"));
  const tmp = mkdtempSync(join(tmpdir(), "webhook-ab-"));
  const store = openSqliteStore(join(tmp, "ab.db"));
  const config = parseWebhookConfig(BENCH_CONFIG);
  const app = createWebhookApp({
    config,
    store,
    importKey: createNodeSigningKey,
    hashBody: nodeSha256Hex,
  });
  return {
    name,
    fetch: (request) => app.fetch(request),
    close: async () => {
      await store.close();
      rmSync(tmp, { recursive: true, force: true });
    },
    samples: [],
  };
}

function requests(count: number): Request[] {
  return prepareRequests(PUSH_PATH, count, "ab").map(
    ({ headers, body }) =>
      new Request(`http://127.0.0.1${PUSH_PATH}`, {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        body,
      }),
  );
}

async function batch(side: Side): Promise<void> {
  const list = requests(perBatch);
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.threadCpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const response = await side.fetch(list[next++]!);
      if (response.status !== 202) throw new Error(`${side.name}: ${response.status}`);
      await response.text();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.threadCpuUsage(before);
  side.samples.push((used.user + used.system) / perBatch);
}

const a = await open("A", dirA);
const b = await open("B", dirB);
try {
  await batch(a); // warm up
  await batch(b);
  a.samples.length = 0;
  b.samples.length = 0;
  for (let i = 0; i < batches; i++) {
    for (const side of i % 2 === 0 ? [a, b] : [b, a]) await batch(side);
  }
  for (const side of [a, b]) {
    console.log(
      `${side.name}: median ${median(side.samples).toFixed(1)} µs a push (event loop) (${side.samples.map((s) => s.toFixed(0)).join(", ")})`,
    );
  }
  console.log(`B ÷ A: ${(median(b.samples) / median(a.samples)).toFixed(3)}`);
} finally {
  await a.close();
  await b.close();
}
