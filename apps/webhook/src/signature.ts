/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/), verified over the raw bytes
 * of a request body: the `standardwebhooks` package decodes the body as text and parses it as
 * JSON, which a CSV push (or any body that is not valid UTF-8) cannot go through.
 *
 * @module
 */

const encoder = new TextEncoder();

/** The tolerance of the Standard Webhooks spec: five minutes either side of the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The prefix of a Standard Webhooks secret (`whsec_` then the key in base64). */
export const SECRET_PREFIX = "whsec_";

/** Why a signature was refused. */
export type SignatureFailure =
  | "missing-headers"
  | "invalid-timestamp"
  | "timestamp-too-old"
  | "timestamp-too-new"
  | "no-matching-signature";

/** The outcome of {@linkcode verifyWebhookSignature}. */
export type SignatureVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: SignatureFailure };

/** The three headers of a signed message, as sent (`null` when absent). */
export interface SignatureHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

/**
 * A key that signs: a Web Crypto HMAC key ({@linkcode importSigningSecret}), or a function that
 * returns the HMAC-SHA256 of `prefix` (UTF-8) followed by `body`, the prefix being
 * `` `${id}.${timestamp}.` `` (the Node edge passes one on `node:crypto`, which costs a fraction
 * of a Web Crypto call per request and hashes the two parts without joining them into one copy;
 * both are checked to agree).
 */
export type SigningKey = CryptoKey | ((prefix: string, body: Uint8Array) => Uint8Array);

/** Options of {@linkcode verifyWebhookSignature}. */
export interface VerifyOptions {
  /** The keys to try, from {@linkcode importSigningSecret}: several while a secret is rotated. */
  keys: readonly SigningKey[];
  /** The receiver's clock, in milliseconds since the epoch. */
  now: number;
  /** The tolerance in seconds, {@linkcode SIGNATURE_TOLERANCE_SECONDS} unless given. */
  toleranceSeconds?: number;
}

/** At most this many signatures of a header are tried, so that a long header costs little. */
const MAX_SIGNATURES = 16;

/**
 * Decodes a `whsec_…` secret (the prefix is optional) into its key bytes.
 *
 * @param secret The secret as configured.
 * @returns The key bytes.
 * @throws {TypeError} When the secret is not base64 or is empty (the message never holds it).
 *
 * @example Decoding the spec's test secret
 * ```ts
 * import { decodeSigningSecret } from "@ctct-bulk/webhook";
 * decodeSigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").length; // 24
 * ```
 */
export function decodeSigningSecret(secret: string): Uint8Array {
  const text = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new TypeError("Invalid signing secret: expected whsec_ followed by base64");
  }
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  if (bytes.length === 0) throw new TypeError("Invalid signing secret: the key is empty");
  return bytes;
}

/**
 * Imports a `whsec_…` secret as an HMAC-SHA256 key for {@linkcode verifyWebhookSignature}.
 *
 * @param secret The secret as configured.
 * @returns A Web Crypto key that can sign and verify.
 *
 * @example Importing a key once, at startup
 * ```ts
 * import { importSigningSecret } from "@ctct-bulk/webhook";
 * const key = await importSigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * key.algorithm.name; // "HMAC"
 * ```
 */
export function importSigningSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    decodeSigningSecret(secret) as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

function signedContent(text: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(text);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix, 0);
  content.set(body, prefix.length);
  return content;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    // a plain loop: Uint8Array.from with a map function is ten times slower, per request
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

// Web Crypto has no timingSafeEqual, and this module stays free of node:crypto.
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * Signs a message the way a Standard Webhooks sender does (for tests, benchmarks and clients).
 *
 * @param secret The `whsec_…` secret.
 * @param id The `webhook-id`.
 * @param timestamp The `webhook-timestamp`, in seconds since the epoch.
 * @param body The raw body (a string is encoded as UTF-8).
 * @returns The `webhook-signature` value, `v1,` then the base64 HMAC.
 *
 * @example The spec's test vector
 * ```ts
 * import { signWebhook } from "@ctct-bulk/webhook";
 * await signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
 *   1614265330, '{"test": 2432232314}');
 * // "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
 * ```
 */
export async function signWebhook(
  secret: string | CryptoKey,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): Promise<string> {
  const key = typeof secret === "string" ? await importSigningSecret(secret) : secret;
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = await crypto.subtle.sign("HMAC", key, signedContent(`${id}.${timestamp}.`, bytes));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/**
 * Reads the three signature headers of a request.
 *
 * @param headers The request's headers.
 * @returns The `webhook-id`, `webhook-timestamp` and `webhook-signature` values.
 *
 * @example Reading a request's headers
 * ```ts
 * import { readSignatureHeaders } from "@ctct-bulk/webhook";
 * readSignatureHeaders(new Headers({ "webhook-id": "msg_1" })).id; // "msg_1"
 * ```
 */
export function readSignatureHeaders(headers: Headers): SignatureHeaders {
  return {
    id: headers.get("webhook-id"),
    timestamp: headers.get("webhook-timestamp"),
    signature: headers.get("webhook-signature"),
  };
}

/**
 * Verifies a Standard Webhooks signature over the raw bytes of a body: the timestamp within the
 * tolerance, then any `v1` signature of the space-separated list matching any of the keys
 * (unknown version prefixes are skipped), compared in constant time.
 *
 * @param body The raw request body, exactly as received.
 * @param headers The signature headers ({@linkcode readSignatureHeaders}).
 * @param options The keys and the clock.
 * @returns `{ ok: true, id, timestamp }`, or `{ ok: false, reason }`.
 *
 * @example Verifying the spec's test vector
 * ```ts
 * import { importSigningSecret, verifyWebhookSignature } from "@ctct-bulk/webhook";
 * const keys = [await importSigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")];
 * const result = await verifyWebhookSignature(new TextEncoder().encode('{"test": 2432232314}'), {
 *   id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
 *   timestamp: "1614265330",
 *   signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
 * }, { keys, now: 1614265330_000 });
 * result.ok; // true
 * ```
 */
export async function verifyWebhookSignature(
  body: Uint8Array,
  headers: SignatureHeaders,
  options: VerifyOptions,
): Promise<SignatureVerification> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing-headers" };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: "invalid-timestamp" };
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor(options.now / 1000);
  const tolerance = options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (nowSeconds - seconds > tolerance) return { ok: false, reason: "timestamp-too-old" };
  if (seconds - nowSeconds > tolerance) return { ok: false, reason: "timestamp-too-new" };

  const candidates: Uint8Array[] = [];
  for (const part of signature.split(" ").slice(0, MAX_SIGNATURES)) {
    const comma = part.indexOf(",");
    if (comma < 0 || part.slice(0, comma) !== "v1") continue;
    const decoded = fromBase64(part.slice(comma + 1));
    if (decoded) candidates.push(decoded);
  }
  if (candidates.length === 0) return { ok: false, reason: "no-matching-signature" };

  const prefix = `${id}.${timestamp}.`;
  let content: Uint8Array<ArrayBuffer> | undefined;
  for (const key of options.keys) {
    let expected: Uint8Array;
    if (typeof key === "function") expected = key(prefix, body);
    else {
      content ??= signedContent(prefix, body);
      expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, content));
    }
    let matched = false;
    // Every candidate is compared, so the time taken does not tell which one matched.
    for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
    if (matched) return { ok: true, id, timestamp: seconds };
  }
  return { ok: false, reason: "no-matching-signature" };
}
