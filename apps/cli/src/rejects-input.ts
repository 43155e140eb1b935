import { type ContactTable, formatContactLine, openContactFile } from "@ctct-bulk/core";
import { isRejectsHeader } from "./rejects.ts";

/**
 * Whether the first line of some bytes is a rejects file's header (one written by `--rejects`).
 *
 * @param head The file's first bytes (its first line at least, when it has a line break).
 * @returns `true` for a rejects file.
 * @example Sniffing a rejects file
 * ```ts
 * import { looksLikeRejectsFile } from "./rejects-input.ts"; // internal to @ctct-bulk/cli
 * looksLikeRejectsFile(new TextEncoder().encode("EMAIL ADDRESS,REJECTED LINE,REJECTED REASON\n")); // true
 * ```
 */
export async function looksLikeRejectsFile(head: Uint8Array): Promise<boolean> {
  let end = head.findIndex((byte) => byte === 10 || byte === 13);
  if (end < 0) end = head.byteLength;
  const firstLine = new TextDecoder("utf-8", { fatal: false }).decode(head.subarray(0, end));
  try {
    return isRejectsHeader((await openContactFile(firstLine)).header.names);
  } catch {
    return false;
  }
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 13) {
      count++;
      if (text.charCodeAt(index + 1) === 10) index++;
    } else if (code === 10) count++;
  }
  return count;
}

/**
 * A rejects file as a contact file again: the same rows without `REJECTED LINE` and
 * `REJECTED REASON`, each on the very line it had (blank lines fill the gaps, and core's reader
 * skips blank lines), so that the line numbers the server reports are the rejects file's own.
 *
 * @param table The rejects file, opened.
 * @returns The contact file's text, a line at a time.
 * @example Re-importing a fixed rejects file
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * import { withoutRejectColumns } from "./rejects-input.ts"; // internal to @ctct-bulk/cli
 * const text = withoutRejectColumns(await openContactFile("EMAIL ADDRESS,REJECTED LINE,REJECTED REASON\n\nann@example.com,3,Bad"));
 * // yields "EMAIL ADDRESS", "\n", "\nann@example.com"
 * ```
 */
export async function* withoutRejectColumns(
  table: ContactTable,
): AsyncGenerator<string, void, undefined> {
  const width = table.header.names.length - 2;
  const { delimiter } = table.header;
  yield formatContactLine(table.header.names.slice(0, width), delimiter);
  let line = 1;
  for await (const row of table.rows) {
    const text = formatContactLine(row.fields.slice(0, width), delimiter);
    yield "\n".repeat(Math.max(1, row.line - line)) + text;
    line = row.line + lineBreaks(text);
  }
}
