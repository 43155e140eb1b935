import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkBufferPool } from "./chunk-buffers.ts";
import { type ContactChunk, chunkContactRows } from "./chunker.ts";
import { formatContactLine, openContactFile } from "./contact-file.ts";

/** What a consumer keeps of a chunk once it gave the buffer back: a copy of everything. */
interface Copied {
  index: number;
  bytes: Uint8Array;
  rowCount: number;
  lineMap: number[];
}

function copy(chunk: ContactChunk): Copied {
  return {
    index: chunk.index,
    bytes: chunk.encodedData.slice(),
    rowCount: chunk.rowCount,
    lineMap: [...chunk.lineMap],
  };
}

const field = fc.string({
  unit: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(..."abcxyz019@. ") },
    { weight: 1, arbitrary: fc.constantFrom(",", '"', "\n", "é", "😀", "+", "%", "&") },
  ),
  maxLength: 8,
});

function csv(rows: readonly (readonly string[])[]): string {
  const lines = [formatContactLine(["EMAIL ADDRESS", "FIRST NAME"])];
  for (const [i, row] of rows.entries())
    lines.push(formatContactLine([`p${i}@example.com`, ...row]));
  return `${lines.join("\n")}\n`;
}

describe("ChunkBufferPool", () => {
  it("gives the same chunks when every chunk's buffer is given back as soon as it is copied, for any rows and limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Enough rows for many chunks (a row and the header are at most 150 bytes encoded).
        fc.array(fc.array(field, { minLength: 1, maxLength: 1 }), {
          minLength: 60,
          maxLength: 200,
        }),
        fc.integer({ min: 150, max: 500 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 3 }),
        async (rows, maxEncodedBytes, minRowsPerChunk, limit) => {
          const text = csv(rows);
          const options = { maxEncodedBytes, minRowsPerChunk };
          const plain: Copied[] = [];
          for await (const chunk of chunkContactRows(await openContactFile(text), options))
            plain.push(copy(chunk));
          const buffers = new ChunkBufferPool(limit);
          const pooled: Copied[] = [];
          for await (const chunk of chunkContactRows(await openContactFile(text), {
            ...options,
            buffers,
          })) {
            pooled.push(copy(chunk));
            buffers.release(chunk);
            buffers.release(chunk); // twice: kept once
          }
          expect(pooled).toEqual(plain);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("has later chunks written into buffers given back, and never into one not given back", async () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`First${i}`]);
    const table = await openContactFile(csv(rows));
    const buffers = new ChunkBufferPool();
    const held = new Set<ArrayBufferLike>();
    const all = new Set<ArrayBufferLike>();
    let count = 0;
    for await (const chunk of chunkContactRows(table, { maxEncodedBytes: 600, buffers })) {
      const buffer = chunk.encodedData.buffer;
      expect(held.has(buffer)).toBe(false);
      all.add(buffer);
      count++;
      // Every third chunk is kept (as an upload in flight would be); the rest are given back.
      if (count % 3 === 0) held.add(buffer);
      else buffers.release(chunk);
    }
    expect(count).toBeGreaterThan(20);
    expect(all.size).toBeLessThan(count / 2);
  });

  it("does what its example says: eleven chunks in three buffers", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `user${i}@example.com`).join("\n");
    const table = await openContactFile(`EMAIL ADDRESS\n${rows}\n`);
    const buffers = new ChunkBufferPool();
    const seen = new Set();
    let chunks = 0;
    for await (const chunk of chunkContactRows(table, {
      maxEncodedBytes: 300,
      minRowsPerChunk: 1,
      buffers,
    })) {
      seen.add(chunk.encodedData.buffer);
      chunks++;
      buffers.release(chunk);
    }
    expect([chunks, seen.size]).toEqual([11, 3]);
  });

  it("keeps at most `limit` buffers and hands out only one large enough", () => {
    const pool = new ChunkBufferPool(1);
    pool.release({ encodedData: new Uint8Array(100).subarray(0, 10) });
    pool.release({ encodedData: new Uint8Array(200) });
    expect(pool.size).toBe(1);
    expect(pool.take(101)).toBeUndefined();
    expect(pool.take(50)?.length).toBe(100);
    expect(pool.size).toBe(0);
    expect(() => new ChunkBufferPool(-1)).toThrow(/Invalid limit "-1"/);
  });
});
