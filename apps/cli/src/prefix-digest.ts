import { createHash, type Hash } from "node:crypto";

/** The digest of a file's first lines: how many bytes they take and their SHA-256. */
export interface PrefixDigest {
  /** The last line covered (the header is line 1). */
  line: number;
  /** The bytes from the file's start to the end of that line, its line break excluded. */
  bytes: number;
  /** SHA-256 (hex) of those bytes. */
  sha256: string;
}

const LF = 10;
const CR = 13;

/**
 * Watches the bytes of a contact file go by and digests its first lines on demand: an import
 * records, after each accepted chunk, the digest of everything up to that chunk's last line, and
 * a resumed import checks the file still starts with exactly those bytes. Lines end at LF, CRLF or
 * CR, as core's reader counts them (quoted line breaks included). Bytes are kept only from the
 * last digest to where the reader is, which the importer's read-ahead bounds.
 */
export interface PrefixDigester {
  /** Put this in the input's path: bytes pass through unchanged. */
  readonly stream: TransformStream<Uint8Array, Uint8Array>;
  /**
   * The digest of the file through the end of `line`, once the reader has passed it.
   *
   * @param line A line at or after the last one digested.
   * @returns The digest, or `undefined` when the line has not been read yet.
   */
  throughLine(line: number): PrefixDigest | undefined;
}

/** Options of {@linkcode createPrefixDigester}. */
export interface PrefixDigesterOptions {
  /** A digest the file must start with (a resumed import's); checked as soon as it is read past. */
  expect?: PrefixDigest;
  /** Called once with the outcome of the check of `expect` (`undefined` when it matches). */
  onChecked?: (problem: string | undefined) => void;
}

/**
 * Creates a {@linkcode PrefixDigester}.
 *
 * @param options A digest to check the file against.
 * @returns The digester.
 * @example Digesting the header line
 * ```ts
 * import { createPrefixDigester } from "./prefix-digest.ts"; // internal to @ctct-bulk/cli
 * const digester = createPrefixDigester();
 * await new Response(new Blob(["EMAIL ADDRESS\nann@example.com\n"]).stream().pipeThrough(digester.stream)).text();
 * digester.throughLine(1)?.bytes; // 13
 * ```
 */
export function createPrefixDigester(options: PrefixDigesterOptions = {}): PrefixDigester {
  const hash: Hash = createHash("sha256");
  let hashed = 0; // bytes fed to `hash`
  let read = 0; // bytes seen
  let lineCount = 0; // line breaks seen
  let previousWasCR = false;
  let ended = false;
  const kept: Uint8Array[] = []; // bytes from `hashed` to `read`
  // The offsets of the line breaks of the lines after the last digest: ends[i] ends line base + i.
  // A growable typed array: a Map of a million lines cost more than the import's own parsing.
  let ends = new Float64Array(1024);
  let endCount = 0;
  let base = 1;
  const expect = options.expect;
  // Lines the expected digest covers are never asked for: not recording them keeps memory flat.
  let digestedLine = expect?.line ?? 0;
  let checked = expect === undefined;

  const feedTo = (offset: number): void => {
    while (hashed < offset && kept.length > 0) {
      const head = kept[0]!;
      const take = Math.min(head.byteLength, offset - hashed);
      hash.update(head.subarray(0, take));
      hashed += take;
      if (take === head.byteLength) kept.shift();
      else kept[0] = head.subarray(take);
    }
  };

  const check = (next: number | undefined): void => {
    if (checked || !expect) return;
    checked = true;
    feedTo(expect.bytes);
    const sha256 = hash.copy().digest("hex");
    let problem: string | undefined;
    if (hashed < expect.bytes)
      problem = `it is shorter than the ${expect.bytes} bytes already sent`;
    else if (sha256 !== expect.sha256)
      problem = `its first ${expect.line} lines differ from those already sent`;
    else if (next !== undefined && next !== LF && next !== CR)
      problem = `line ${expect.line}, the last one already sent, has changed`;
    options.onChecked?.(problem);
  };

  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const start = read;
      const record = (index: number): void => {
        lineCount++;
        if (lineCount <= digestedLine) return;
        if (endCount === 0) base = lineCount;
        if (endCount === ends.length) {
          const grown = new Float64Array(ends.length * 2);
          grown.set(ends);
          ends = grown;
        }
        ends[endCount++] = start + index;
      };
      // Native scans for the two line-break bytes; an LF right after a CR ends no second line.
      let lf = chunk.indexOf(LF);
      let cr = chunk.indexOf(CR);
      while (lf !== -1 || cr !== -1) {
        if (cr !== -1 && (lf === -1 || cr < lf)) {
          record(cr);
          cr = chunk.indexOf(CR, cr + 1);
        } else {
          const afterCR = lf > 0 ? chunk[lf - 1] === CR : previousWasCR;
          if (!afterCR) record(lf);
          lf = chunk.indexOf(LF, lf + 1);
        }
      }
      if (chunk.byteLength > 0) previousWasCR = chunk[chunk.byteLength - 1] === CR;
      kept.push(chunk);
      read += chunk.byteLength;
      if (!checked && expect && read > expect.bytes) check(chunk[expect.bytes - start]);
      if (!checked && expect) feedTo(Math.min(read, expect.bytes));
      controller.enqueue(chunk);
    },
    flush() {
      ended = true;
      if (!checked) check(undefined);
    },
  });

  return {
    stream,
    throughLine(line) {
      if (line < digestedLine)
        throw new RangeError(`Line ${line} is before line ${digestedLine}, already digested`);
      const index = line - base;
      let end: number;
      if (endCount > 0 && index >= 0 && index < endCount) end = ends[index]!;
      // The last line of a file without a final line break ends at the file's end.
      else if (ended && line === lineCount + 1) end = read;
      else return undefined;
      feedTo(end);
      // Forget the lines up to this one.
      const dropped = Math.min(endCount, Math.max(0, index + 1));
      ends.copyWithin(0, dropped, endCount);
      endCount -= dropped;
      base += dropped;
      digestedLine = line;
      return { line, bytes: end, sha256: hash.copy().digest("hex") };
    },
  };
}
