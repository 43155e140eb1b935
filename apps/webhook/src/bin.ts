#!/usr/bin/env node
// ctct-webhook --config webhook.json: the service (see docs/guides/deploying-webhook.md).
import { runWebhookService } from "./service.ts";

const code = await runWebhookService(process.argv.slice(2), process.env);
if (code !== 0) process.exitCode = code;
