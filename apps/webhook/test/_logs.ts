// Every log line the tests produce goes to a file under LOG_DIR; each test file that logs ends
// with a test that greps its files for secrets and contact emails (see findLeaks).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_ACCOUNT } from "@ctct-bulk/fake-server";
import pino from "pino";
import { createWebhookLogger } from "../src/service.ts";
import { API_KEY, OLD_SECRET, PASSWORD, SECRET } from "./_harness.ts";

export const LOG_DIR: string = fileURLToPath(
  new URL("../../../node_modules/.cache/webhook-test-logs/", import.meta.url),
);
mkdirSync(LOG_DIR, { recursive: true });

/** What must never appear in a log line. */
export const NEEDLES: (string | RegExp)[] = [
  SECRET,
  SECRET.slice("whsec_".length),
  OLD_SECRET.slice("whsec_".length),
  API_KEY,
  PASSWORD,
  "test-token-do-not-log",
  DEFAULT_ACCOUNT.apiKey,
  DEFAULT_ACCOUNT.password,
  "ctct-ci-only",
  /v1,[A-Za-z0-9+/]{40,}={0,2}/,
  /[A-Za-z0-9._%+-]+@example\.(com|org)/,
];

/** A pino logger (with the service's redaction) writing synchronously to a file of LOG_DIR. */
export function testLogger(name: string): { logger: pino.Logger; path: string } {
  const path = join(LOG_DIR, `${name}-${process.pid}.log`);
  const destination = pino.destination({ dest: path, sync: true, append: true });
  return { logger: createWebhookLogger("debug", destination), path };
}

/** The lines of the files that hold a needle, and how many lines were read. */
export function findLeaks(paths: readonly string[]): { lines: number; leaks: string[] } {
  let lines = 0;
  const leaks: string[] = [];
  for (const path of paths) {
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      if (!line) continue;
      lines++;
      for (const needle of NEEDLES) {
        if (typeof needle === "string" ? line.includes(needle) : needle.test(line)) {
          leaks.push(line.slice(0, 300));
          break;
        }
      }
    }
  }
  return { lines, leaks };
}
