import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  decodeSigningSecret,
  importSigningSecret,
  type SignatureHeaders,
  signWebhook,
  verifyWebhookSignature,
} from "./signature.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const bytes = (text: string) => new TextEncoder().encode(text);

async function verify(
  headers: Partial<SignatureHeaders>,
  options: { body?: string | Uint8Array; now?: number; secrets?: string[] } = {},
) {
  const keys = await Promise.all((options.secrets ?? [SECRET]).map(importSigningSecret));
  const body = options.body ?? BODY;
  return verifyWebhookSignature(
    typeof body === "string" ? bytes(body) : body,
    { id: ID, timestamp: String(TIMESTAMP), signature: SIGNATURE, ...headers },
    { keys, now: options.now ?? TIMESTAMP * 1000 },
  );
}

describe("signWebhook()", () => {
  it("produces the Standard Webhooks test vector", async () => {
    expect(await signWebhook(SECRET, ID, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });
});

describe("verifyWebhookSignature()", () => {
  it("accepts the Standard Webhooks test vector", async () => {
    expect(await verify({})).toEqual({ ok: true, id: ID, timestamp: TIMESTAMP });
  });

  it("accepts a timestamp 299 s either side of the clock and refuses 301 s", async () => {
    for (const offset of [-299, 299, -300, 300]) {
      expect((await verify({}, { now: (TIMESTAMP + offset) * 1000 })).ok).toBe(true);
    }
    expect(await verify({}, { now: (TIMESTAMP + 301) * 1000 })).toEqual({
      ok: false,
      reason: "timestamp-too-old",
    });
    expect(await verify({}, { now: (TIMESTAMP - 301) * 1000 })).toEqual({
      ok: false,
      reason: "timestamp-too-new",
    });
  });

  it("refuses a tampered id, timestamp or body", async () => {
    expect((await verify({ id: `${ID}x` })).ok).toBe(false);
    expect((await verify({ timestamp: String(TIMESTAMP + 1) })).ok).toBe(false);
    expect((await verify({}, { body: '{"test": 2432232315}' })).ok).toBe(false);
    expect((await verify({}, { body: `${BODY} ` })).ok).toBe(false);
  });

  it("refuses missing headers and malformed timestamps", async () => {
    expect(await verify({ id: null })).toEqual({ ok: false, reason: "missing-headers" });
    expect(await verify({ signature: "" })).toEqual({ ok: false, reason: "missing-headers" });
    expect(await verify({ timestamp: "1614265330.5" })).toEqual({
      ok: false,
      reason: "invalid-timestamp",
    });
    expect(await verify({ timestamp: "-1" })).toEqual({ ok: false, reason: "invalid-timestamp" });
  });

  it("accepts any of several space-separated signatures and skips unknown versions", async () => {
    const other = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    expect((await verify({ signature: `${other} ${SIGNATURE}` })).ok).toBe(true);
    expect((await verify({ signature: `v2,whatever ${SIGNATURE} v1a,xyz` })).ok).toBe(true);
    expect((await verify({ signature: `v1a,${SIGNATURE.slice(3)}` })).ok).toBe(false);
    expect((await verify({ signature: `v2,${SIGNATURE.slice(3)}` })).ok).toBe(false);
    expect((await verify({ signature: "v1,not base64!" })).ok).toBe(false);
  });

  it("accepts a signature made with any of the configured secrets (rotation)", async () => {
    const newSecret = `whsec_${btoa("a brand new secret key!!")}`;
    expect((await verify({}, { secrets: [newSecret, SECRET] })).ok).toBe(true);
    expect((await verify({}, { secrets: [newSecret] })).ok).toBe(false);
  });

  it("verifies the raw bytes of a body that is not UTF-8 text", async () => {
    const body = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc3]);
    const signature = await signWebhook(SECRET, ID, TIMESTAMP, body);
    expect((await verify({ signature }, { body })).ok).toBe(true);
    expect(
      (await verify({ signature }, { body: new Uint8Array([0xff, 0xfe, 0x00, 0x41]) })).ok,
    ).toBe(false);
  });

  it("agrees with the standardwebhooks package on random messages", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.string({ unit: "grapheme", maxLength: 200 }),
        async (keyBytes, id, body) => {
          const secret = `whsec_${btoa(String.fromCharCode(...keyBytes))}`;
          const timestamp = Math.floor(Date.now() / 1000);
          const theirs = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
          const ours = await signWebhook(secret, id, timestamp, body);
          expect(ours).toBe(theirs);
          const result = await verifyWebhookSignature(
            bytes(body),
            { id, timestamp: String(timestamp), signature: theirs },
            { keys: [await importSigningSecret(secret)], now: timestamp * 1000 },
          );
          expect(result.ok).toBe(true);
          // and the package accepts what we signed (with JSON parsing off: bodies are any text)
          const headers = {
            "webhook-id": id,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": ours,
          };
          expect(() =>
            new Webhook(secret).verify(body, headers, { jsonParse: false }),
          ).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("decodeSigningSecret()", () => {
  it("refuses a secret that is not base64 without quoting it", () => {
    expect(() => decodeSigningSecret("whsec_not*base64")).toThrow(
      /^Invalid signing secret: expected whsec_ followed by base64$/,
    );
    expect(() => decodeSigningSecret("whsec_")).toThrow(TypeError);
  });
});
