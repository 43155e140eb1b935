import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createNodeSigningKey, nodeSha256Hex } from "./node-crypto.ts";
import { importSigningSecret, signWebhook, verifyWebhookSignature } from "./signature.ts";

describe("createNodeSigningKey()", () => {
  it("verifies exactly what the Web Crypto key verifies, on random messages", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 48 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.boolean(),
        async (keyBytes, body, tamper) => {
          const secret = `whsec_${btoa(String.fromCharCode(...keyBytes))}`;
          const timestamp = 1_700_000_000;
          const signature = await signWebhook(secret, "msg_1", timestamp, body);
          const sent = tamper ? Uint8Array.from([...body, 1]) : body;
          const headers = { id: "msg_1", timestamp: String(timestamp), signature };
          const now = timestamp * 1000;
          const web = await verifyWebhookSignature(sent, headers, {
            keys: [await importSigningSecret(secret)],
            now,
          });
          const node = await verifyWebhookSignature(sent, headers, {
            keys: [createNodeSigningKey(secret)],
            now,
          });
          expect(node).toEqual(web);
          expect(node.ok).toBe(!tamper);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives Web Crypto's HMAC-SHA256 for keys shorter and longer than a block, any id and body", async () => {
    await fc.assert(
      fc.asyncProperty(
        // as many keys over SHA-256's block (64 bytes, hashed first) as under it
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 64 }),
          fc.uint8Array({ minLength: 65, maxLength: 150, size: "max" }),
        ),
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        async (keyBytes, id, body) => {
          const secret = `whsec_${btoa(String.fromCharCode(...keyBytes))}`;
          const prefix = `${id}.1700000000.`;
          const prefixBytes = new TextEncoder().encode(prefix);
          const content = new Uint8Array(prefixBytes.length + body.length);
          content.set(prefixBytes);
          content.set(body, prefixBytes.length);
          const web = new Uint8Array(
            await crypto.subtle.sign("HMAC", await importSigningSecret(secret), content),
          );
          // twice: the key's buffers are reused from one message to the next
          const key = createNodeSigningKey(secret) as (
            prefix: string,
            body: Uint8Array,
          ) => Uint8Array;
          expect(new Uint8Array(key(prefix, body))).toEqual(web);
          expect(new Uint8Array(key(prefix, body))).toEqual(web);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("nodeSha256Hex()", () => {
  it("agrees with Web Crypto's SHA-256", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 500 }), async (bytes) => {
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        expect(nodeSha256Hex(bytes)).toBe(
          Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
        );
      }),
    );
  });
});
