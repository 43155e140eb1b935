/**
 * `@ctct-bulk/webhook`: partner pushes in, bulk activities out.
 *
 * @module
 */
export { createWebhookApp } from "./app.ts";
