// The examples, run the way a user runs them: `node examples/<name>.ts`, each in its own process,
// against the in-process fake server (no CTCT_USERNAME in the environment), plus a type check and
// a check of the webhook configuration example.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_ACCOUNT, type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const examples = fileURLToPath(new URL(".", import.meta.url));
const root = join(examples, "..");
const work = mkdtempSync(join(tmpdir(), "ctct-examples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Runs an example with no account in the environment, so it uses the in-process fake server, or
 * with the `CTCT_*` variables given.
 */
function runExample(
  name: string,
  args: string[],
  account: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("CTCT_")) env[key] = value;
  }
  Object.assign(env, account);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(examples, name), ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the examples", () => {
  it("every example type-checks", { timeout: 120_000 }, () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(examples, "tsconfig.json")], {
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("sdk-import.ts reports each rejected line by its line in the file", async () => {
    const file = join(work, "contacts.csv");
    const lines = ["EMAIL ADDRESS,FIRST NAME,LAST NAME,CITY,STATE/PROVINCE (US/CANADA)"];
    for (let i = 0; i < 3000; i++) {
      if (i === 100) lines.push("broken.example.com,No,At,Boston,MA");
      else if (i === 2000) lines.push(`x${i}@example.com,State,Bad,Paris,ZZ`);
      else lines.push(`c${i}@example.com,First${i},"Last, ${i}",Boston,MA`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const run = await runExample("sdk-import.ts", [file, "VIP customers"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('contacts.csv:102: Invalid email address "broken.example.com"');
    expect(run.stdout).toContain('contacts.csv:2002: Unknown US/Canadian state/prov "ZZ"');
    expect(run.stdout).toMatch(/^complete-with-errors: 3000 contacts in 1 activities, 2 rejected/m);
  });

  it("sdk-import.ts without a file says how to use it", async () => {
    const run = await runExample("sdk-import.ts", []);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: node examples/sdk-import.ts <file.csv|file.txt> [list]");
  });

  const samples = existsSync(join(examples, "data"))
    ? readdirSync(join(examples, "data")).filter((name) => /\.(csv|txt)$/i.test(name))
    : [];
  for (const sample of samples) {
    it(`sdk-import.ts imports the sample file data/${sample}`, { timeout: 120_000 }, async () => {
      const run = await runExample("sdk-import.ts", [join(examples, "data", sample)]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^complete(-with-errors)?: \d+ contacts in \d+ activities/m);
    });
  }

  it("sdk-export.ts writes the list to a file", async () => {
    const out = join(work, "export.csv");
    const run = await runExample("sdk-export.ts", [out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const text = readFileSync(out, "utf8").trim().split(/\r?\n/);
    expect(text[0]).toBe("EMAIL ADDRESS,FIRST NAME,LAST NAME,ADD/REMOVE DATE");
    expect(text).toHaveLength(31);
    expect(text[1]).toMatch(/^reader0@example\.com,Reader,0,\d{4}-/);
  });

  it("sdk-list-maintenance.ts removes, clears, then refills, in that order", async () => {
    const run = await runExample("sdk-list-maintenance.ts", []);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("remove: complete\nclear: complete\nadd: complete\n");
    expect(run.stdout).toContain(
      "ADD_CONTACTS COMPLETE\nCLEAR_CONTACTS_FROM_LISTS COMPLETE\nREMOVE_CONTACTS_FROM_LISTS COMPLETE\n",
    );
    expect(run.stdout).toContain(
      "VIP customers: ann@example.com, cho@example.com, dee@example.com",
    );
    expect(run.stdout).toContain("Monthly newsletter: fay@example.com, gus@example.com");
  });
});

describe("resuming a big import", () => {
  let running: RunningFakeServer | undefined;
  beforeAll(async () => {
    running = await startFakeServer({ clock: "immediate" });
  });
  afterAll(async () => {
    await running?.close();
  });

  it("sdk-resume-import.ts, stopped after 2 chunks, sends only the rest when run again", {
    timeout: 120_000,
  }, async () => {
    const file = join(work, "resume.csv");
    const lines = ["EMAIL ADDRESS,FIRST NAME"];
    for (let i = 0; i < 2000; i++) lines.push(`r${i}@example.com,Reader ${i}`);
    writeFileSync(file, `${lines.join("\n")}\n`);
    const account = {
      CTCT_BASE_URL: running!.url,
      CTCT_USERNAME: DEFAULT_ACCOUNT.username,
      CTCT_API_KEY: DEFAULT_ACCOUNT.apiKey,
      CTCT_PASSWORD: DEFAULT_ACCOUNT.password,
    };

    const first = await runExample("sdk-resume-import.ts", [file, "--stop-after", "2"], account);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(75);
    expect(first.stdout).toContain("stopped after 2 chunks; run again to resume");
    const posted = () =>
      running!.server.control.requests().filter((r) => r.method === "POST").length;
    expect(posted()).toBe(2);

    const second = await runExample("sdk-resume-import.ts", [file], account);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("resuming after 2 accepted chunks");
    expect(second.stdout).toContain("chunk 1 skipped (sent before)");
    const chunks = Number(/in (\d+) chunks/.exec(second.stdout)?.[1]);
    expect(second.stdout).toMatch(/^complete: 2000 contacts in \d+ chunks$/m);
    // Every chunk was sent exactly once over the two runs, and every contact is on the list.
    expect(posted()).toBe(chunks);
    expect(running!.server.control.members(2)).toHaveLength(2000);
    expect(existsSync(`${file}.journal.json`)).toBe(false);
  });
});

describe("the webhook configuration example", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const env = {
    CTCT_API_KEY: "example-key",
    CTCT_PASSWORD: "example-password",
    SIGNUP_FORM_SECRET: secret,
    FLOWER_SHOP_SECRET: secret,
    FLOWER_SHOP_SECRET_PREVIOUS: secret,
  };
  const input: unknown = JSON.parse(
    readFileSync(join(examples, "webhook", "partners.json"), "utf8"),
  );

  it("webhook/partners.json is a valid ctct-webhook configuration", async () => {
    const { parseWebhookConfig } = await import("@ctct-bulk/webhook");
    const config = parseWebhookConfig(input, { source: "partners.json", env });
    expect([...config.partners.keys()]).toEqual(["signup-form", "flower-shop"]);
    expect(config.partners.get("flower-shop")?.secrets).toHaveLength(2);
    expect([...(config.partners.get("flower-shop")?.lists.get("joesflowers") ?? [])]).toEqual([
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/2",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/5",
    ]);
  });

  it("webhook/partners.json holds no secret: each comes from the environment", async () => {
    const { parseWebhookConfig } = await import("@ctct-bulk/webhook");
    expect(() => parseWebhookConfig(input, { source: "partners.json", env: {} })).toThrow(
      /Missing environment variable "CTCT_API_KEY"/,
    );
    expect(JSON.stringify(input)).not.toMatch(/whsec_/);
  });
});
