/**
 * The Node edge's crypto for the app: HMAC-SHA256 and SHA-256 on `node:crypto`, synchronous and
 * several times cheaper per request than a Web Crypto call (the difference shows in the pushes
 * benchmark). The app stays on Web Crypto by default; `nodeCrypto.test.ts` checks both agree.
 *
 * @module
 */
import { createHmac, createSecretKey, hash } from "node:crypto";
import { decodeSigningSecret, type SigningKey } from "./signature.ts";

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
  // a KeyObject made once: passing raw bytes would make one per request
  const key = createSecretKey(decodeSigningSecret(secret));
  // the prefix and the body are fed to the HMAC one after the other: joining them into one
  // buffer first cost more than the HMAC itself (pushes benchmark)
  return (prefix: string, body: Uint8Array) =>
    createHmac("sha256", key).update(prefix).update(body).digest();
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
