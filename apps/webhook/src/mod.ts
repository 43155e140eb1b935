/**
 * `@ctct-bulk/webhook`: partner pushes in, bulk activities out. A Hono service that verifies
 * Standard Webhooks signatures over the raw bytes, stores each push durably before it answers
 * `202`, batches contacts per account, action and lists, and submits them as bulk activities in
 * per-list order.
 *
 * @module
 */
export { createWebhookApp } from "./app.ts";
export {
  decodeSigningSecret,
  importSigningSecret,
  readSignatureHeaders,
  SECRET_PREFIX,
  SIGNATURE_TOLERANCE_SECONDS,
  type SignatureFailure,
  type SignatureHeaders,
  type SignatureVerification,
  signWebhook,
  type VerifyOptions,
  verifyWebhookSignature,
} from "./signature.ts";
