// A big import that survives a crash: each chunk the server accepts is journaled before the next
// is sent, and a second run reads the journal and carries on after the last accepted chunk, so no
// chunk is ever sent twice (chunking is deterministic: the same file gives the same chunks).
//
//   node examples/sdk-resume-import.ts <file.csv> [--stop-after N]
//
// --stop-after N stops the run after N accepted chunks (as Ctrl-C or a crash would); run the same
// command again without it to finish. The journal is <file>.journal.json, removed at the end. Both
// runs must reach the same account: a real one, or `ctct-bulk fake-server` on a port (see
// connect.ts for the environment variables), since an in-process fake server dies with its run.
import { openAsBlob, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { AcceptedChunk } from "@ctct-bulk/transport";
import { connect } from "./connect.ts";

const args = process.argv.slice(2);
const file = args[0];
const stopAt = args.indexOf("--stop-after");
const stopAfter = stopAt >= 0 ? Number(args[stopAt + 1]) : Number.POSITIVE_INFINITY;
if (!file || Number.isNaN(stopAfter)) {
  console.error("Usage: node examples/sdk-resume-import.ts <file.csv> [--stop-after N]");
  process.exit(2);
}
const journal = `${file}.journal.json`;

let previous: AcceptedChunk[] = [];
try {
  previous = JSON.parse(readFileSync(journal, "utf8")) as AcceptedChunk[];
  console.log(`resuming after ${previous.length} accepted chunks`);
} catch {
  // No journal: a fresh import.
}

const { client, fake } = connect();
if (fake && previous.length > 0) {
  console.error(
    "Cannot resume against the in-process fake server: it forgets everything between runs. Run both against an account, or start `ctct-bulk fake-server` and set CTCT_BASE_URL, CTCT_USERNAME, CTCT_API_KEY and CTCT_PASSWORD as it says",
  );
  process.exit(2);
}

const controller = new AbortController();
const accepted = [...previous];
try {
  const result = await client.activities.importContacts(await openAsBlob(file), {
    lists: [2],
    fileName: basename(file),
    maxEncodedBytes: 20_000, // small chunks, to have several; the default is the API's 1.9 MB
    startAtChunk: previous.length,
    previousChunks: previous,
    signal: controller.signal,
    async onChunkAccepted(chunk) {
      accepted.push(chunk);
      writeFileSync(journal, JSON.stringify(accepted)); // journaled before the next chunk is sent
      console.log(`chunk ${chunk.index} accepted: lines ${chunk.firstLine}-${chunk.lastLine}`);
      if (accepted.length - previous.length >= stopAfter) controller.abort();
    },
    onProgress(event) {
      if (event.type === "chunk-skipped")
        console.log(`chunk ${event.chunk.index} skipped (sent before)`);
    },
  });
  rmSync(journal, { force: true });
  console.log(`${result.outcome}: ${result.rowCount} contacts in ${result.chunks.length} chunks`);
} catch (error) {
  if (!controller.signal.aborted) throw error;
  console.log(`stopped after ${accepted.length} chunks; run again to resume`);
  process.exitCode = 75;
}
