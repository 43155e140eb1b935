// The benchmark's baseline: the SDK's own big import of a file, in a fresh process like the CLI's,
// reading the same file from disk as a stream. Prints the rows imported as one JSON line.
//   node _transport-import-child.ts <file> <API root> <account JSON>
import { openAsBlob } from "node:fs";
import { createClient } from "@ctct-bulk/transport";

const [file, url, accountJson] = process.argv.slice(2) as [string, string, string];
const account = JSON.parse(accountJson) as { username: string; apiKey: string; password: string };
const client = createClient({ ...account, baseUrl: url, rateLimit: false });
const source = (await openAsBlob(file)).stream();
const result = await client.activities.importContacts(source, {
  lists: ["2"],
  wait: false,
  fileName: file,
});
console.log(JSON.stringify({ rows: result.rowCount, chunks: result.chunks.length }));
