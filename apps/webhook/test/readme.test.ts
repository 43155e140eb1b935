// The README's partner-side example, run as written against a listening service: a partner who
// pastes it gets a 202. Its links point at files that exist.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { createWebhookApp } from "../src/app.ts";
import { parseWebhookConfig } from "../src/config.ts";
import { listenWebhookServer } from "../src/server.ts";
import { openSqliteStore } from "../src/sqlite-store.ts";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const text = readFileSync(README, "utf8");
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

function block(after: string, language = "ts"): string {
  const start = text.indexOf(after);
  expect(start, `README marker ${after}`).toBeGreaterThanOrEqual(0);
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(start));
  return match![1]!;
}

describe("apps/webhook/README.md", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("signs a push the service accepts, with Web Crypto only, as the partner example shows", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-readme-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // the README's own configuration, its secrets from the environment
    const config = parseWebhookConfig(JSON.parse(block("## Configure it", "json")), {
      env: { CTCT_API_KEY: "k", CTCT_PASSWORD: "p", SIGNUP_FORM_SECRET: SECRET },
    });
    const store = openSqliteStore(join(dir, "store.db"));
    cleanups.push(() => store.close());
    const app = createWebhookApp({ config, store });
    const server = await listenWebhookServer({
      fetch: app.fetch,
      host: "127.0.0.1",
      port: 0,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
    cleanups.push(() => server.close());
    const code = block("<!-- readme-test: push -->");
    expect(code).toContain('"http://127.0.0.1:8788/v1/partners/signup-form/pushes"');
    const script = join(dir, "push.ts");
    await writeFile(script, code.replace("http://127.0.0.1:8788", server.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      env: { ...process.env, SIGNUP_FORM_SECRET: SECRET },
    });
    const found = /^202 (\{.*\})$/m.exec(stdout);
    expect(found, stdout).not.toBeNull();
    const answer = JSON.parse(found![1]!) as { id: string; status: string };
    expect(answer.status).toBe("accepted");
    expect((await store.getPushStatus(answer.id))?.contacts).toBe(1);
  });

  it("shows the standardwebhooks call that gives the spec's signature", () => {
    const code = block("With the [`standardwebhooks`]");
    const call = /new Webhook\(secret\)\.sign\(id, new Date\(timestamp \* 1000\), body\)/;
    expect(code).toMatch(call);
    const [id, timestamp, body] = [
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    ];
    expect(new Webhook(SECRET).sign(id, new Date(timestamp * 1000), body)).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("links only to files that exist", () => {
    const links = [...text.matchAll(/\]\((\.[^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(links).toContain("../../docs/guides/deploying-webhook.md");
    expect(links).toContain("../../docs/guides/per-list-ordering.md");
    for (const link of links) expect(existsSync(resolve(dirname(README), link)), link).toBe(true);
  });
});
