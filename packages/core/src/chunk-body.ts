// The request bodies of a chunked import, written into one buffer the whole import reuses.
//
// Beside encodeChunkBody() (which returns a new array per chunk, the same bytes) because of
// memory: a 1.9 MB body per chunk is an ArrayBuffer that V8 frees only when a garbage collection
// finds it dead, and a long import piled up tens of MB of dead bodies before one did (ADR 0085).
// It lives in core, not in the transport, because it is the request body's encoding: the
// parameters, their order and their escaping come from activityRequestParams() and
// encodeFormBodyBytes(), as encodeChunkBody()'s do, and a property test checks the bytes agree.
import { activityRequestParams } from "./activity-request.ts";
import type { ChunkRequest, ContactChunk } from "./chunker.ts";
import { encodeFormBodyBytes } from "./form-urlencoded.ts";

/**
 * Writes chunk bodies (`activityType=…&data=…&lists=…`) into one reused buffer: each body is the
 * same bytes as `encodeChunkBody(chunk, request)`, without a new array per chunk.
 *
 * A body is a view of the shared buffer, valid until the next `write()`: send it (or copy it)
 * before writing the next chunk. `fetch` copies a body when it builds its `Request`, so a body
 * passed to `fetch` may be overwritten once `fetch` has been called.
 *
 * @example Two chunks' bodies, one buffer
 * ```ts
 * import { ChunkBodyWriter, chunkContactRows, openContactFile } from "@ctct-bulk/core";
 * const writer = new ChunkBodyWriter({ kind: "remove", lists: ["http://x.test/lists/2"] });
 * const table = await openContactFile("EMAIL ADDRESS\na@example.com\nb@example.com\n");
 * const bodies = [];
 * const buffers = [];
 * for await (const chunk of chunkContactRows(table, { maxEncodedBytes: 40, minRowsPerChunk: 1 })) {
 *   // The bytes encodeChunkBody(chunk, request) gives, in the one buffer:
 *   const body = writer.write(chunk);
 *   bodies.push(new TextDecoder().decode(body));
 *   buffers.push(body.buffer);
 * }
 * bodies[1]; // "activityType=REMOVE_CONTACTS_FROM_LISTS&data=EMAIL+ADDRESS%0Ab%40example.com&lists=http%3A%2F%2Fx.test%2Flists%2F2"
 * buffers[0] === buffers[1]; // true
 * ```
 */
export class ChunkBodyWriter {
  /** The body up to and including `data=`. */
  readonly #prefix: Uint8Array;
  /** The body after the data (`&lists=…`), or nothing. */
  readonly #suffix: Uint8Array;
  #buffer: Uint8Array = new Uint8Array(0);

  /** @param request The add or remove every chunk of the import travels in. */
  constructor(request: ChunkRequest) {
    // The parameters in the order encodeChunkBody() writes them: those before `data` and `data`
    // itself (empty) make the prefix, those after it the suffix.
    const params = activityRequestParams({ ...request, data: "" });
    const dataAt = params.findIndex(([name]) => name === "data");
    const after = params.slice(dataAt + 1);
    this.#prefix = encodeFormBodyBytes(params.slice(0, dataAt + 1));
    const rest = after.length === 0 ? new Uint8Array(0) : encodeFormBodyBytes(after);
    this.#suffix = new Uint8Array(rest.length + (rest.length > 0 ? 1 : 0));
    if (rest.length > 0) {
      this.#suffix[0] = 0x26; // "&"
      this.#suffix.set(rest, 1);
    }
  }

  /**
   * The chunk's body, the same bytes as `encodeChunkBody(chunk, request)`.
   *
   * @param chunk A chunk from `chunkContactRows()` (only its `encodedData` is read).
   * @returns A view of the shared buffer, valid until the next call.
   */
  write(chunk: Pick<ContactChunk, "encodedData">): Uint8Array {
    const data = chunk.encodedData;
    const size = this.#prefix.length + data.length + this.#suffix.length;
    // Grown to the largest chunk seen; chunks are all about the same size, so this happens once.
    if (size > this.#buffer.length) this.#buffer = new Uint8Array(size);
    const buffer = this.#buffer;
    buffer.set(this.#prefix, 0);
    buffer.set(data, this.#prefix.length);
    buffer.set(this.#suffix, this.#prefix.length + data.length);
    return buffer.subarray(0, size);
  }

  /**
   * The chunk's body in pieces, without copying anything: the parameters before the data, the
   * chunk's own `encodedData`, and those after it. Joined, they are the bytes of `write(chunk)`
   * and of `encodeChunkBody(chunk, request)`. For a sender that streams the body (the transport
   * on Node), so that the body is never assembled; the pieces stay valid as long as the chunk's
   * bytes do (see `ChunkBufferPool`).
   *
   * @param chunk A chunk from `chunkContactRows()` (only its `encodedData` is read).
   * @returns The pieces, in order; none of them is empty.
   */
  parts(chunk: Pick<ContactChunk, "encodedData">): Uint8Array[] {
    const parts = [this.#prefix];
    if (chunk.encodedData.length > 0) parts.push(chunk.encodedData);
    if (this.#suffix.length > 0) parts.push(this.#suffix);
    return parts;
  }
}
