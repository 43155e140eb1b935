/**
 * Reading a request body within a limit, counting the bytes as they arrive: a `Content-Length`
 * over the limit is refused before reading, and a body that turns out longer than the limit
 * (chunked, or with a header that lied) is refused as soon as the limit is passed.
 *
 * @module
 */

/** The outcome of {@linkcode readBodyWithin}. */
export type BodyResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: "too-large"; received: number }
  | { ok: false; reason: "aborted" };

/**
 * Reads a request's body, refusing it once it passes `limit` bytes.
 *
 * @param request The request.
 * @param limit The most bytes allowed.
 * @returns The bytes, or why there are none.
 *
 * @example A body within the limit
 * ```ts
 * import { readBodyWithin } from "@ctct-bulk/webhook";
 * const result = await readBodyWithin(new Request("http://x/", { method: "POST", body: "hi" }), 10);
 * result.ok; // true
 * ```
 */
export async function readBodyWithin(request: Request, limit: number): Promise<BodyResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, reason: "too-large", received: 0 };
  }
  if (declared !== null && /^\d+$/.test(declared)) {
    // With a Content-Length, Node's HTTP parser delivers exactly that many bytes, so reading the
    // whole body at once is bounded; the bytes are still counted (in process, nothing enforces it).
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await request.arrayBuffer());
    } catch {
      return { ok: false, reason: "aborted" };
    }
    if (bytes.byteLength > limit)
      return { ok: false, reason: "too-large", received: bytes.byteLength };
    return { ok: true, bytes };
  }
  // (asked only here: on the Node adapter, touching `body` builds a Web stream)
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too-large", received: total };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "aborted" };
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
