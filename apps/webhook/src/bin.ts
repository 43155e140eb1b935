#!/usr/bin/env node
import { serve } from "@hono/node-server";
import { createWebhookApp } from "./app.ts";

serve({ fetch: createWebhookApp().fetch, port: 8788 });
