// The request bodies of a big import, written into one buffer that the whole import reuses.
//
// Hand-written beside core's encodeChunkBody() (which returns a new array per chunk, the same
// bytes) because of memory: a 1.9 MB body per chunk is an ArrayBuffer that V8 frees only when a
// garbage collection finds it dead, and a long import piled up tens of MB of dead bodies before one
// did (ADR 0085). Reusing one buffer is safe because `fetch` never keeps it: building the Request
// copies the bytes ("extract a body" in the Fetch standard copies a BufferSource), ky builds that
// Request before anything is sent, and the buffer is rewritten only after the create has answered.
import {
  activityRequestParams,
  type ChunkRequest,
  type ContactChunk,
  encodeFormBodyBytes,
} from "@ctct-bulk/core";

/** Writes chunk bodies (`activityType=…&data=…&lists=…`) into one reused buffer. */
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
   * The chunk's body, the same bytes as `encodeChunkBody(chunk, request)`: a view of the shared
   * buffer, valid until the next call.
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
}
