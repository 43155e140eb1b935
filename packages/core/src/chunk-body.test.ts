import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkBodyWriter } from "./chunk-body.ts";
import {
  type ChunkRequest,
  type ContactChunk,
  chunkContactRows,
  encodeChunkBody,
} from "./chunker.ts";
import { openContactFile } from "./contact-file.ts";

const LIST = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";

async function chunksOf(text: string, maxEncodedBytes: number): Promise<ContactChunk[]> {
  const chunks: ContactChunk[] = [];
  for await (const chunk of chunkContactRows(await openContactFile(text), {
    maxEncodedBytes,
    minRowsPerChunk: 1,
  }))
    chunks.push(chunk);
  return chunks;
}

describe("ChunkBodyWriter", () => {
  const requests: ChunkRequest[] = [
    { kind: "add", activityType: "SV_ADD", lists: [LIST] },
    { kind: "add", activityType: "ADD_CONTACT_DETAIL", lists: [LIST, `${LIST}0`] },
    { kind: "remove", lists: [LIST] },
    { kind: "add", activityType: "SV_ADD", lists: [] },
  ];

  it("writes the bytes encodeChunkBody() gives, chunk after chunk in one buffer, and in pieces", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme", maxLength: 8 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...requests),
        fc.integer({ min: 600, max: 1_500 }),
        async (names, request, maxEncodedBytes) => {
          const rows = names.map((name, i) => `p${i}@example.com,"${name.replaceAll('"', '""')}"`);
          const chunks = await chunksOf(
            `EMAIL ADDRESS,FIRST NAME\n${rows.join("\n")}\n`,
            maxEncodedBytes,
          );
          const writer = new ChunkBodyWriter(request);
          // Largest first, so that smaller bodies are written over longer ones in the same buffer.
          chunks.sort((a, b) => b.encodedBytes - a.encodedBytes);
          for (const chunk of chunks) {
            const expected = encodeChunkBody(chunk, request);
            // The pieces, joined: the same bytes, the chunk's own data among them (no copy).
            const parts = writer.parts(chunk);
            const joined = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
            let at = 0;
            for (const part of parts) {
              joined.set(part, at);
              at += part.length;
            }
            expect(joined).toEqual(expected);
            expect(parts.every((part) => part.length > 0)).toBe(true);
            if (chunk.encodedData.length > 0) expect(parts).toContain(chunk.encodedData);
            expect(writer.write(chunk)).toEqual(expected);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("reuses its buffer: an earlier body is overwritten by the next write", async () => {
    const [first, second] = await chunksOf("EMAIL ADDRESS\na@example.com\nb@example.com\n", 40);
    const writer = new ChunkBodyWriter(requests[0]!);
    const one = writer.write(first!);
    const two = writer.write(second!);
    expect(two.buffer).toBe(one.buffer);
    expect(new TextDecoder().decode(one)).toContain("b%40example.com");
  });
});
