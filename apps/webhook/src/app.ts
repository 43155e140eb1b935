/**
 * The service's Hono app, from `Request` to `Response`: the push API, the status API, health,
 * readiness and metrics. Node appears only in the server entry (`server.ts`) and the stores.
 *
 * @module
 */
import { Hono } from "hono";
import { type BodyResult, readBodyWithin } from "./body.ts";
import type { PartnerConfig, WebhookConfig } from "./config.ts";
import type { WebhookMetrics } from "./metrics.ts";
import { createWebhookMetrics } from "./metrics.ts";
import { type PayloadResult, parseCsvPush, parseJsonPush } from "./payload.ts";
import { createTokenBucket, type TokenBucket } from "./rate-limit.ts";
import {
  importSigningSecret,
  readSignatureHeaders,
  type SigningKey,
  verifyWebhookSignature,
} from "./signature.ts";
import { type AcceptOutcome, type PushStore, StoreUnavailableError } from "./store.ts";

/** The logging the app needs (a pino logger fits). */
export interface WebhookLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
}

const silentLogger: WebhookLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** Options of {@linkcode createWebhookApp}. */
export interface WebhookAppOptions {
  config: WebhookConfig;
  store: PushStore;
  /** The clock, in milliseconds since the epoch; `Date.now` unless given. */
  now?: () => number;
  logger?: WebhookLogger;
  metrics?: WebhookMetrics;
  /** Whether the service takes work (`/readyz`): false while starting or shutting down. */
  ready?: () => boolean;
  /** Creates push ids; {@linkcode createPushId} unless given. */
  createPushId?: () => string;
  /** Turns a `whsec_…` secret into a key (Web Crypto unless given; the Node edge passes a faster one). */
  importKey?: (secret: string) => SigningKey | Promise<SigningKey>;
  /** SHA-256 of a body, hex (Web Crypto unless given). */
  hashBody?: (bytes: Uint8Array) => string | Promise<string>;
  /**
   * Reads a push's body within the limit, given the request and the adapter's bindings
   * (`c.env`): {@linkcode readBodyWithin} on the web `Request` unless given. The Node edge
   * (`service.ts`) passes `readNodeBody`, which reads Node's request directly (ADR 0140).
   */
  readBody?: (request: Request, env: unknown, limit: number) => Promise<BodyResult>;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
// random bytes drawn a few kilobytes at a time: one getRandomValues call per 256 push ids
const randomPool = new Uint8Array(10 * 256);
let randomOffset = randomPool.length;

/**
 * Creates a push id: `psh_` then 32 hex digits, the first 12 the time in milliseconds and the
 * other 20 random (80 bits, so an id cannot be guessed). Ids made later sort after earlier ones,
 * so the store's unique index on them grows at its end: one page written per group commit
 * instead of one per push (a random id halved the bytes each commit had to fsync; ADR 0090).
 *
 * @param now The time, in milliseconds since the epoch; `Date.now()` unless given.
 * @returns A new push id.
 *
 * @example A push id
 * ```ts
 * import { createPushId } from "@ctct-bulk/webhook";
 * createPushId(); // e.g. "psh_019ae8f3c2a1…"
 * ```
 */
export function createPushId(now: number = Date.now()): string {
  if (randomOffset === randomPool.length) {
    crypto.getRandomValues(randomPool);
    randomOffset = 0;
  }
  let id = `psh_${Math.floor(now).toString(16).padStart(12, "0")}`;
  for (let i = 0; i < 10; i++) id += HEX[randomPool[randomOffset++]!];
  return id;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

const utf8 = new TextDecoder();

const ACCEPTED_TYPES = "expected application/json (or a +json type) or text/csv";

/** A Content-Type header's media type, lower-case, without its parameters (`charset=…`). */
function mediaTypeOf(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * How a push's body is read, from its media type: `application/json` and the `+json` types
 * (RFC 6839) as JSON, `text/csv` as a contact file, anything else (`text/plain` too: a CSV body
 * must say it is one) not at all, answered `415` (ADR 0061).
 */
function payloadKindOf(mediaType: string): "json" | "csv" | undefined {
  if (mediaType === "application/json") return "json";
  if (mediaType.startsWith("application/") && mediaType.endsWith("+json")) return "json";
  if (mediaType === "text/csv") return "csv";
  return undefined;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * Creates the webhook service's Hono app.
 *
 * @param options The configuration, the store, and the clock, logger and metrics.
 * @returns The app (`app.fetch` is a `Request → Response` handler).
 *
 * @example Answering a health check in process
 * ```ts
 * import { createWebhookApp, openSqliteStore, parseWebhookConfig } from "@ctct-bulk/webhook";
 * const config = parseWebhookConfig(JSON.parse(await readFile("webhook.json", "utf8")));
 * const app = createWebhookApp({ config, store: openSqliteStore(":memory:") });
 * (await app.request("/healthz")).status; // 200
 * ```
 */
export function createWebhookApp(options: WebhookAppOptions): Hono {
  const { config, store } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createWebhookMetrics();
  const newPushId = options.createPushId ?? (() => createPushId(now()));
  const importKey = options.importKey ?? importSigningSecret;
  const hashBody = options.hashBody ?? sha256Hex;
  const readBody =
    options.readBody ??
    ((request: Request, _env: unknown, limit: number) => readBodyWithin(request, limit));
  const keys = new Map<string, Promise<SigningKey[]>>();
  const buckets = new Map<string, TokenBucket>();
  const inFlight = new Set<string>();

  const keysOf = (partner: PartnerConfig): Promise<SigningKey[]> => {
    let found = keys.get(partner.id);
    if (!found) {
      found = Promise.all(partner.secrets.map((secret) => importKey(secret)));
      keys.set(partner.id, found);
    }
    return found;
  };
  const bucketOf = (partner: PartnerConfig): TokenBucket | undefined => {
    if (!partner.rateLimit) return undefined;
    let bucket = buckets.get(partner.id);
    if (!bucket) {
      bucket = createTokenBucket(partner.rateLimit.requestsPerSecond, partner.rateLimit.burst);
      buckets.set(partner.id, bucket);
    }
    return bucket;
  };

  const app = new Hono({ strict: true });

  app.post("/v1/partners/:partnerId/pushes", async (c) => {
    const partnerId = c.req.param("partnerId");
    const partner = config.partners.get(partnerId);
    const answer = (outcome: string, response: Response, fields: object = {}): Response => {
      metrics.pushes.inc({ partner: partner ? partnerId : "(unknown)", outcome });
      const level = response.status >= 500 ? "error" : response.status >= 400 ? "info" : "debug";
      logger[level](
        { partner: partnerId, status: response.status, outcome, ...fields },
        "push answered",
      );
      return response;
    };
    if (!partner) return answer("unknown_partner", json(401, { error: "Invalid signature" }));

    const body = await readBody(c.req.raw, c.env, config.limits.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === "aborted") {
        return answer(
          "aborted",
          json(400, { error: "Incomplete body: the client stopped sending" }),
        );
      }
      return answer(
        "too_large",
        json(
          413,
          { error: `Body too large: the limit is ${config.limits.maxBodyBytes} bytes` },
          { connection: "close" },
        ),
      );
    }

    const verification = await verifyWebhookSignature(
      body.bytes,
      readSignatureHeaders(c.req.raw.headers),
      {
        keys: await keysOf(partner),
        now: now(),
      },
    );
    if (!verification.ok) {
      return answer("bad_signature", json(401, { error: "Invalid signature" }), {
        reason: verification.reason,
      });
    }
    const webhookId = verification.id;

    const decision = bucketOf(partner)?.take(now());
    if (decision && !decision.ok) {
      return answer(
        "rate_limited",
        json(
          429,
          { error: `Too many pushes: partner "${partner.id}" is over its rate` },
          {
            "retry-after": String(decision.retryAfterSeconds),
          },
        ),
        { webhookId },
      );
    }

    const flightKey = `${partner.id}\u0000${webhookId}`;
    if (inFlight.has(flightKey)) {
      return answer(
        "concurrent_duplicate",
        json(
          409,
          { error: `Concurrent duplicate: webhook id "${webhookId}" is being stored; retry later` },
          {
            "retry-after": "1",
          },
        ),
        { webhookId },
      );
    }
    inFlight.add(flightKey);
    try {
      const contentType = mediaTypeOf(c.req.header("content-type"));
      const kind = payloadKindOf(contentType);
      let parsed: PayloadResult;
      if (kind === "json") {
        parsed = parseJsonPush(partner, utf8.decode(body.bytes));
      } else if (kind === "csv") {
        parsed = await parseCsvPush(partner, body.bytes, new URL(c.req.url).searchParams);
      } else {
        return answer(
          "unsupported_type",
          json(415, {
            error: `${contentType ? `Unsupported content type "${contentType}"` : "Missing content type"}: ${ACCEPTED_TYPES}`,
          }),
          { webhookId },
        );
      }
      if (!parsed.ok) {
        return answer(
          `rejected_${parsed.status}`,
          json(parsed.status, { error: parsed.message, issues: parsed.issues }),
          { webhookId, issues: parsed.issues.length },
        );
      }
      const pushId = newPushId();
      let outcome: AcceptOutcome;
      try {
        outcome = await store.acceptPush({
          id: pushId,
          partnerId: partner.id,
          webhookId,
          bodyHash: await hashBody(body.bytes),
          receivedAt: now(),
          account: parsed.push.account,
          action: parsed.push.action,
          lists: parsed.push.lists,
          contacts: parsed.push.contacts,
        });
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        // the store cannot store it now (its writer failed and the service is about to restart,
        // or the database timed out): the sender sends the push again, to this or to another
        // instance (ADRs 0150, 0161)
        return answer(
          "store_unavailable",
          json(
            503,
            { error: "The store is unavailable: send it again later" },
            { "retry-after": "5" },
          ),
          { webhookId, reason: error.message },
        );
      }
      if (outcome.kind === "conflict") {
        return answer(
          "conflict",
          json(422, {
            error: `Conflicting webhook id "${webhookId}": it was used for another body (push "${outcome.pushId}")`,
          }),
          { webhookId, pushId: outcome.pushId },
        );
      }
      const headers = { location: `/v1/pushes/${outcome.pushId}` };
      if (outcome.kind === "duplicate") {
        return answer(
          "duplicate",
          json(
            202,
            { id: outcome.pushId, status: "accepted" },
            {
              ...headers,
              "idempotent-replayed": "true",
            },
          ),
          { webhookId, pushId: outcome.pushId },
        );
      }
      metrics.contacts.inc({ partner: partner.id }, parsed.push.contacts.rows.length);
      return answer("accepted", json(202, { id: outcome.pushId, status: "accepted" }, headers), {
        webhookId,
        pushId: outcome.pushId,
        contacts: parsed.push.contacts.rows.length,
      });
    } finally {
      inFlight.delete(flightKey);
    }
  });

  app.get("/v1/pushes/:id", async (c) => {
    const status = await store.getPushStatus(c.req.param("id"));
    if (!status) return json(404, { error: `Unknown push "${c.req.param("id")}"` });
    return json(200, status);
  });

  app.get("/healthz", () => json(200, { status: "ok" }));
  app.get("/readyz", () =>
    (options.ready?.() ?? true)
      ? json(200, { status: "ready" })
      : json(503, { status: "not ready" }),
  );
  app.get("/metrics", async () => {
    const text = await metrics.render(store, now());
    return new Response(text, { headers: { "content-type": metrics.registry.contentType } });
  });

  app.notFound((c) =>
    json(404, { error: `Not found: ${c.req.method} ${new URL(c.req.url).pathname}` }),
  );
  app.onError((error, c) => {
    logger.error(
      { err: { name: error.name, message: error.message }, path: new URL(c.req.url).pathname },
      "request failed",
    );
    return json(500, { error: "Internal error" });
  });
  return app;
}
