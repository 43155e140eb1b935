// What an import's per-line errors cost in memory: imports `rows` contacts whose every address is
// bad (the fake server, in a process of its own, rejects each line) and reports the heap the
// result keeps per error: the heap after a full GC with the result held, less the heap after a
// full GC once it is let go. Not a timed benchmark: a one-off measurement (ADR 0085).
//   node --expose-gc packages/transport/bench/errors-memory.ts [rows=100000]
import { createClient, type ImportResult } from "../src/mod.ts";
import { spawnFakeServer } from "./_spawn-fake-server.ts";

const rows = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("Run with node --expose-gc");
const heap = async (): Promise<number> => {
  // A moment first, so that the sockets' last buffers are let go, then two full collections.
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const { child, url, account } = await spawnFakeServer();
const client = createClient({ ...account, baseUrl: url, rateLimit: false, timeout: 120_000 });

/** The file as a stream of its lines, so that no copy of it stays behind. */
function contacts(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i === 0) controller.enqueue(encoder.encode("EMAIL ADDRESS,FIRST NAME\n"));
      const lines: string[] = [];
      for (const end = Math.min(rows, i + 1_000); i < end; i++)
        lines.push(`bad-address-${i},First${i}\n`);
      controller.enqueue(encoder.encode(lines.join("")));
      if (i >= rows) controller.close();
    },
  });
}

// One small import first, so that the code it loads is in both measurements.
await client.activities.importContacts("EMAIL ADDRESS\nbad\n", { lists: [2] });
const before = await heap();
// The peaks during the import (sampled every 20 ms): what holding the raw errors costs on the way.
const peak = { heapUsed: 0, rss: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  peak.rss = Math.max(peak.rss, usage.rss);
}, 20);
let result: ImportResult | undefined = await client.activities.importContacts(contacts(), {
  lists: [2],
  fileName: "bad.csv",
  wait: { poll: { initialInterval: 10, maxInterval: 100 } },
});
clearInterval(sampler);
const held = await heap();
const { errors, chunks } = { errors: result.errors.length, chunks: result.chunks.length };
result = undefined;
const released = await heap();
child.stdin!.end();
console.log(
  JSON.stringify({
    rows,
    errors,
    chunks,
    // What the result holds: the heap with it less the heap once it is let go (and, as a check,
    // less the heap before the import).
    bytesPerError: Math.round((held - released) / errors),
    bytesPerErrorSinceStart: Math.round((held - before) / errors),
    peakHeapUsedMB: Math.round(peak.heapUsed / 1e6),
    peakRssMB: Math.round(peak.rss / 1e6),
  }),
);
