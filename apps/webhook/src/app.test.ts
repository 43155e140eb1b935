import { describe, expect, it } from "vitest";
import { createWebhookApp } from "./app.ts";

describe("createWebhookApp()", () => {
  it("answers /healthz", async () => {
    const response = await createWebhookApp().request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
