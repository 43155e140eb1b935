// Exports a list to a CSV file: creates the export activity, waits for it, and streams the file to
// disk as it downloads.
//
//   node examples/sdk-export.ts <out.csv> [list]      (list: id, URI or name; default 2)
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { connect } from "./connect.ts";

const [out, list = "2"] = process.argv.slice(2);
if (!out) {
  console.error("Usage: node examples/sdk-export.ts <out.csv> [list]");
  process.exit(2);
}

const { client, fake } = connect();
if (fake) {
  // The fake account starts with empty lists: give the export something to export.
  fake.control.addContacts(
    Array.from({ length: 30 }, (_, i) => ({
      email: `reader${i}@example.com`,
      fields: { "FIRST NAME": "Reader", "LAST NAME": String(i) },
      lists: [Number(list) || 2],
    })),
  );
}

const created = await client.activities.exportContacts({
  list,
  columns: ["FIRST NAME", "LAST NAME"],
  includeDate: true,
  sortBy: "EMAIL_ADDRESS",
});
const { outcome, activity } = await client.activities.wait(created, {
  onStatus: (change) => console.log(`${change.id}: ${change.status}`),
});
if (outcome === "error") {
  console.error(`Export ${activity.id} failed`);
  process.exit(1);
}
const file = await client.activities.downloadExport(activity);
// Web and Node streams meet here: Node types its web streams apart from the DOM's.
await pipeline(Readable.fromWeb(file as NodeReadableStream<Uint8Array>), createWriteStream(out));
console.log(`wrote ${out} from ${activity.fileName}`);
