import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPrefixDigester, type PrefixDigest } from "./prefix-digest.ts";

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Streams `text` in pieces cut at `cuts` through the digester. */
async function run(
  text: string,
  cuts: number[],
  digester = createPrefixDigester(),
): Promise<typeof digester> {
  return runPieces(cut(text, cuts), digester);
}

async function runPieces(
  pieces: Uint8Array[],
  digester = createPrefixDigester(),
): Promise<typeof digester> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  await new Response(source.pipeThrough(digester.stream)).arrayBuffer();
  return digester;
}

function cut(text: string, cuts: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points, bytes.byteLength]) {
    if (point > last) pieces.push(bytes.subarray(last, point));
    last = Math.max(last, point);
  }
  return pieces;
}

describe("createPrefixDigester()", () => {
  it("digests the file through the end of a line, its line break excluded", async () => {
    const digester = await run("EMAIL ADDRESS\r\nann@example.com\rbo@example.com\nlast", []);
    expect(digester.throughLine(1)).toEqual({ line: 1, bytes: 13, sha256: sha("EMAIL ADDRESS") });
    expect(digester.throughLine(2)).toEqual({
      line: 2,
      bytes: 30,
      sha256: sha("EMAIL ADDRESS\r\nann@example.com"),
    });
    expect(digester.throughLine(4)).toEqual({
      line: 4,
      bytes: 50,
      sha256: sha("EMAIL ADDRESS\r\nann@example.com\rbo@example.com\nlast"),
    });
    expect(digester.throughLine(5)).toBeUndefined();
  });

  it("gives the same digests however the bytes are cut, for LF, CRLF and CR files", async () => {
    const line = fc.stringMatching(/^[a-z@.,"]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (lines, breakText, cuts, finalBreak) => {
          const text = lines.join(breakText) + (finalBreak ? breakText : "");
          const digester = await runPieces(cut(text, cuts));
          for (let n = 1; n <= lines.length; n++) {
            const prefix = lines.slice(0, n).join(breakText);
            expect(digester.throughLine(n)).toEqual({
              line: n,
              bytes: Buffer.byteLength(prefix),
              sha256: sha(prefix),
            });
          }
        },
      ),
    );
  });

  it("accepts a file that starts with the expected lines, whatever follows them", async () => {
    const first = await run("EMAIL ADDRESS\na@x.co\nb@x.co\n", []);
    const expected = first.throughLine(2)!;
    const outcomes: (string | undefined)[] = [];
    await runPieces(
      cut("EMAIL ADDRESS\na@x.co\nchanged@x.co\nmore@x.co\n", [3, 15]),
      createPrefixDigester({ expect: expected, onChecked: (p) => outcomes.push(p) }),
    );
    expect(outcomes).toEqual([undefined]);
  });

  it("says how a file differs from the part already sent", async () => {
    const expected: PrefixDigest = (await run("EMAIL ADDRESS\na@x.co\nb@x.co\n", [])).throughLine(
      2,
    )!;
    const check = async (text: string): Promise<string | undefined> => {
      let outcome: string | undefined = "unchecked";
      await runPieces(
        cut(text, [5]),
        createPrefixDigester({ expect: expected, onChecked: (p) => (outcome = p) }),
      );
      return outcome;
    };
    expect(await check("EMAIL ADDRESS\na@y.co\nb@x.co\n")).toBe(
      "its first 2 lines differ from those already sent",
    );
    expect(await check("EMAIL ADDRESS\na@x.cox\n")).toBe(
      "line 2, the last one already sent, has changed",
    );
    expect(await check("EMAIL ADDRESS\na@x")).toBe("it is shorter than the 20 bytes already sent");
    expect(await check("EMAIL ADDRESS\na@x.co")).toBeUndefined();
  });
});
