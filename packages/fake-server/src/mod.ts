/**
 * `@ctct-bulk/fake-server`: a Hono app that behaves like Constant Contact's Bulk Activities API.
 *
 * @module
 */
export { createFakeServer, type FakeServer } from "./fake-server.ts";
