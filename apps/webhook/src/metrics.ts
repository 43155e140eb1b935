/**
 * The service's Prometheus metrics (prom-client, one registry per service so that tests and
 * several apps in one process do not share counters).
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PushStore } from "./store.ts";

/** The metrics of one service; see {@linkcode createWebhookMetrics}. */
export interface WebhookMetrics {
  registry: Registry;
  /** Pushes answered, by partner and outcome (`accepted`, `duplicate`, `rejected_400`, …). */
  pushes: Counter<"partner" | "outcome">;
  /** Contacts accepted, by partner. */
  contacts: Counter<"partner">;
  /** Batches created, by action. */
  batches: Counter<"action">;
  /** Activities that reached a final state, by status (`COMPLETE`, `ERROR`, `dead`). */
  activities: Counter<"status">;
  /** Requests to the API, by operation, and how long they took. */
  upstreamLatency: Histogram<"operation">;
  /** Failed requests to the API, by operation and kind (`429`, `5xx`, `network`, …). */
  upstreamErrors: Counter<"operation" | "kind">;
  /** Pushes and contacts waiting for a batch, and the age of the oldest (from the store). */
  queuePushes: Gauge;
  queueContacts: Gauge;
  queueAgeSeconds: Gauge;
  /** Batches by state (from the store). */
  batchesByState: Gauge<"state">;
  /** Refreshes the gauges from the store and renders the text exposition. */
  render(store: PushStore, now: number): Promise<string>;
}

/**
 * Creates the service's metrics on a fresh registry.
 *
 * @returns The metrics.
 *
 * @example Counting an accepted push
 * ```ts
 * import { createWebhookMetrics } from "@ctct-bulk/webhook";
 * const metrics = createWebhookMetrics();
 * metrics.pushes.inc({ partner: "shop", outcome: "accepted" });
 * ```
 */
export function createWebhookMetrics(): WebhookMetrics {
  const registry = new Registry();
  const registers = [registry];
  const queuePushes = new Gauge({
    name: "ctct_webhook_queue_pushes",
    help: "Pushes with contacts not in a batch yet",
    registers,
  });
  const queueContacts = new Gauge({
    name: "ctct_webhook_queue_contacts",
    help: "Contacts not in a batch yet",
    registers,
  });
  const queueAgeSeconds = new Gauge({
    name: "ctct_webhook_queue_oldest_age_seconds",
    help: "Age of the oldest push with contacts not in a batch yet",
    registers,
  });
  const batchesByState = new Gauge({
    name: "ctct_webhook_batches",
    help: "Batches in the store, by state",
    labelNames: ["state"] as const,
    registers,
  });
  return {
    registry,
    pushes: new Counter({
      name: "ctct_webhook_pushes_total",
      help: "Pushes answered, by partner and outcome",
      labelNames: ["partner", "outcome"] as const,
      registers,
    }),
    contacts: new Counter({
      name: "ctct_webhook_contacts_total",
      help: "Contacts accepted, by partner",
      labelNames: ["partner"] as const,
      registers,
    }),
    batches: new Counter({
      name: "ctct_webhook_batches_created_total",
      help: "Batches created, by action",
      labelNames: ["action"] as const,
      registers,
    }),
    activities: new Counter({
      name: "ctct_webhook_activities_total",
      help: "Activities that reached a final state, by status",
      labelNames: ["status"] as const,
      registers,
    }),
    upstreamLatency: new Histogram({
      name: "ctct_webhook_upstream_seconds",
      help: "Requests to the Bulk Activities API, by operation",
      labelNames: ["operation"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    upstreamErrors: new Counter({
      name: "ctct_webhook_upstream_errors_total",
      help: "Failed requests to the Bulk Activities API, by operation and kind",
      labelNames: ["operation", "kind"] as const,
      registers,
    }),
    queuePushes,
    queueContacts,
    queueAgeSeconds,
    batchesByState,
    async render(store: PushStore, now: number): Promise<string> {
      const stats = await store.stats(now);
      queuePushes.set(stats.queuedPushes);
      queueContacts.set(stats.queuedContacts);
      queueAgeSeconds.set(stats.oldestQueuedAt === null ? 0 : (now - stats.oldestQueuedAt) / 1000);
      batchesByState.reset();
      for (const [state, count] of Object.entries(stats.batchesByState)) {
        batchesByState.set({ state }, count ?? 0);
      }
      return registry.metrics();
    },
  };
}
