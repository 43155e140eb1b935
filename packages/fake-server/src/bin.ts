#!/usr/bin/env node
import { serve } from "@hono/node-server";
import { createFakeServer } from "./fake-server.ts";

const port = Number(process.argv[process.argv.indexOf("--port") + 1] || 8787);
const server = createFakeServer();
serve({ fetch: server.app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`ctct-fake-server listening on http://127.0.0.1:${info.port}`);
});
