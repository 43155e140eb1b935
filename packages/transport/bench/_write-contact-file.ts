// Writes the benchmarks' generated contact file to disk (the same text generatedContactFile()
// gives), for imports that read it from a file as the CLI does (ADR 0145).
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { generatedContactFile } from "./_contact-file.ts";

/** Writes `contacts` generated contacts to `path`, a piece of 1,000 rows at a time. */
export async function writeGeneratedContactFile(path: string, contacts: number): Promise<void> {
  const out = createWriteStream(path);
  for (const piece of generatedContactFile(contacts))
    if (!out.write(piece)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}
