// Chunk buffers handed back by the consumer, for the chunker to write later chunks into.
//
// Hand-written, beside the chunker, because of memory: the chunker writes each chunk into a
// buffer of its own (about 2 MB at the default limit) and hands it over with the chunk (no copy).
// A consumer that is done with a chunk long before the garbage collector frees it (an import
// uploads one and moves on) left a dead 2 MB `ArrayBuffer` behind per chunk, freed only by a full
// collection: 50-60 MB of them waited at the peak of a million-contact import (ADR 0085, 0100).
import type { ContactChunk } from "./chunker.ts";

/**
 * Buffers of finished chunks that their consumer gave back, for the chunker to write later chunks
 * into instead of allocating new ones. Pass one to `chunkContactRows(table, { buffers })` and
 * call {@linkcode ChunkBufferPool.release} with each chunk once nothing reads it any more.
 *
 * A released chunk's `encodedData` (and its `text`, if not read yet) will be overwritten by a later
 * chunk: release a chunk only when its bytes were sent or copied, never while a request may still
 * read them.
 *
 * @example Eleven chunks written into three buffers (chunk-buffers.test.ts runs this)
 * ```ts
 * import { ChunkBufferPool, chunkContactRows, openContactFile } from "@ctct-bulk/core";
 * const rows = Array.from({ length: 120 }, (_, i) => `user${i}@example.com`).join("\n");
 * const table = await openContactFile(`EMAIL ADDRESS\n${rows}\n`);
 * const buffers = new ChunkBufferPool();
 * const seen = new Set();
 * let chunks = 0;
 * for await (const chunk of chunkContactRows(table, { maxEncodedBytes: 300, minRowsPerChunk: 1, buffers })) {
 *   seen.add(chunk.encodedData.buffer);
 *   chunks++;
 *   // …send chunk.encodedData, then:
 *   buffers.release(chunk);
 * }
 * [chunks, seen.size]; // [11, 3]
 * ```
 */
export class ChunkBufferPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #limit: number;

  /** @param limit The most buffers kept for reuse (default 2); more released are left to the GC. */
  constructor(limit = 2) {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new RangeError(`Invalid limit "${limit}": expected a whole number ≥ 0`);
    this.#limit = limit;
  }

  /**
   * Gives a chunk's buffer back: a later chunk may be written into it. Releasing the same chunk
   * twice is harmless (the buffer is kept once).
   *
   * @param chunk A chunk from `chunkContactRows()` whose bytes nothing reads any more.
   */
  release(chunk: Pick<ContactChunk, "encodedData">): void {
    const buffer = chunk.encodedData.buffer;
    // A SharedArrayBuffer is never the chunker's own.
    if (!(buffer instanceof ArrayBuffer)) return;
    if (this.#free.length >= this.#limit || this.#free.includes(buffer)) return;
    this.#free.push(buffer);
  }

  /**
   * A released buffer of at least `bytes` bytes, taken out of the pool (the chunker calls this).
   *
   * @param bytes The size needed.
   * @returns The whole buffer, or `undefined` when none released is large enough.
   */
  take(bytes: number): Uint8Array | undefined {
    const index = this.#free.findIndex((buffer) => buffer.byteLength >= bytes);
    if (index === -1) return undefined;
    const [buffer] = this.#free.splice(index, 1);
    return new Uint8Array(buffer!);
  }

  /** How many released buffers wait to be reused. */
  get size(): number {
    return this.#free.length;
  }
}
