// Imports a contact file of any size onto a list, with progress, then prints every rejected line
// by its line in the file. Memory stays flat: the file is streamed, chunked under the API's 1.9 MB
// limit, and sent one chunk at a time.
//
//   node examples/sdk-import.ts <file.csv|file.txt> [list]      (list: id, URI or name; default 2)
import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import { connect } from "./connect.ts";

const [file, list = "2"] = process.argv.slice(2);
if (!file) {
  console.error("Usage: node examples/sdk-import.ts <file.csv|file.txt> [list]");
  process.exit(2);
}

const { client } = connect();
const started = performance.now();
const result = await client.activities.importContacts(await openAsBlob(file), {
  lists: [list],
  fileName: basename(file),
  onProgress(event) {
    if (event.type === "chunk-submitted") {
      const { chunk, totals } = event;
      console.log(
        `chunk ${chunk.index}: lines ${chunk.firstLine}-${chunk.lastLine} (${chunk.rowCount} contacts) -> ${chunk.activityId}; ${totals.rowsRead} read so far`,
      );
    }
  },
});

for (const warning of result.warnings) console.log(`warning: ${warning.message}`);
for (const error of result.errors) {
  console.log(`${basename(file)}:${error.line ?? "?"}: ${error.message}`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${result.outcome}: ${result.rowCount} contacts in ${result.chunks.length} activities, ${result.errorCount} rejected (${seconds} s)`,
);
process.exitCode = result.outcome === "error" ? 1 : 0;
