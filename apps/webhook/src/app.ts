import { Hono } from "hono";

/** Creates the webhook service's Hono app. */
export function createWebhookApp(): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  return app;
}
