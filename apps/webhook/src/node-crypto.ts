/**
 * The Node edge's crypto for the app: HMAC-SHA256 and SHA-256 on `node:crypto`, synchronous and
 * several times cheaper per request than a Web Crypto call (the difference shows in the pushes
 * benchmark). The app stays on Web Crypto by default; `nodeCrypto.test.ts` checks both agree.
 *
 * @module
 */
import { hash } from "node:crypto";
import { decodeSigningSecret, type SigningKey } from "./signature.ts";

/** SHA-256's block and digest sizes, in bytes. */
const BLOCK = 64;
const DIGEST = 32;

/**
 * A signing key on `node:crypto` for a `whsec_…` secret.
 *
 * @param secret The secret.
 * @returns A function returning the HMAC-SHA256 of its input.
 *
 * @example Verifying with node:crypto
 * ```ts
 * import { createNodeSigningKey, verifyWebhookSignature } from "@ctct-bulk/webhook";
 * const keys = [createNodeSigningKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")];
 * // await verifyWebhookSignature(body, headers, { keys, now: Date.now() })
 * ```
 */
export function createNodeSigningKey(secret: string): SigningKey {
  // HMAC-SHA256 (RFC 2104) from two one-shot SHA-256 calls, with the padded keys made once:
  // H((K ^ opad) || H((K ^ ipad) || message)). `createHmac` builds a stream object and makes
  // three calls into C++ a push; this makes two (the pushes bench, ADR 0140). Checked against
  // Web Crypto's HMAC on random keys (longer than a block too), ids and bodies.
  let key: Uint8Array = decodeSigningSecret(secret);
  if (key.length > BLOCK) key = hash("sha256", key, "buffer");
  const innerPad = Buffer.alloc(BLOCK, 0x36);
  // the outer message: the padded key, then the inner digest (written in place: synchronous)
  const outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
  for (let i = 0; i < key.length; i++) {
    innerPad[i] = 0x36 ^ key[i]!;
    outer[i] = 0x5c ^ key[i]!;
  }
  return (prefix: string, body: Uint8Array) => {
    const length = Buffer.byteLength(prefix);
    const inner = Buffer.allocUnsafe(BLOCK + length + body.byteLength);
    innerPad.copy(inner, 0);
    // UTF-8, as createHmac's update(string) and Web Crypto's TextEncoder encode it
    inner.write(prefix, BLOCK, "utf8");
    inner.set(body, BLOCK + length);
    outer.set(hash("sha256", inner, "buffer"), BLOCK);
    return hash("sha256", outer, "buffer");
  };
}

/**
 * SHA-256 of some bytes, as hex, on `node:crypto`.
 *
 * @param bytes The bytes.
 * @returns 64 hex digits.
 *
 * @example The hash of nothing
 * ```ts
 * import { nodeSha256Hex } from "@ctct-bulk/webhook";
 * nodeSha256Hex(new Uint8Array()); // "e3b0c442…b855"
 * ```
 */
export function nodeSha256Hex(bytes: Uint8Array): string {
  // the one-shot hash: a quarter of createHash().update().digest() on a push-sized body
  return hash("sha256", bytes, "hex");
}
