import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, parseWebhookConfig } from "./config.ts";
import { loadWebhookConfig } from "./config-file.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const LIST = (id: string) => `http://api.constantcontact.com/ws/customers/joesflowers/lists/${id}`;

function valid(): Record<string, unknown> {
  return {
    accounts: [{ username: "joesflowers", apiKey: "key-123", password: "hunter2" }],
    partners: [
      {
        id: "shop",
        secrets: [SECRET],
        accounts: { joesflowers: { lists: ["1", LIST("2"), "do-not-mail"] } },
        fieldMapping: { email: "email address", first: "FIRST NAME" },
        rateLimit: { requestsPerSecond: 5 },
      },
    ],
  };
}

function issuesOf(input: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseWebhookConfig(input, { source: "test.json", env });
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("Expected a ConfigError");
}

describe("parseWebhookConfig()", () => {
  it("resolves lists to URIs, columns to canonical names and fills the defaults", () => {
    const config = parseWebhookConfig(valid());
    const shop = config.partners.get("shop")!;
    expect([...shop.lists.get("joesflowers")!]).toEqual([
      LIST("1"),
      LIST("2"),
      LIST("do-not-mail"),
    ]);
    expect([...shop.fieldMapping!]).toEqual([
      ["email", "EMAIL ADDRESS"],
      ["first", "FIRST NAME"],
    ]);
    expect(shop.rateLimit).toEqual({ requestsPerSecond: 5, burst: 5 });
    expect(config.store).toEqual({ kind: "sqlite", path: "ctct-webhook.db" });
    expect(config.idempotencyDays).toBeGreaterThanOrEqual(7);
    expect(config.batching.maxEncodedBytes).toBe(1_900_000);
  });

  it("reads { env } secrets from the environment and names a missing variable", () => {
    const input = valid();
    (input.accounts as Record<string, unknown>[])[0]!.apiKey = { env: "CTCT_KEY" };
    const config = parseWebhookConfig(input, { env: { CTCT_KEY: "from-env" } });
    expect(config.accounts.get("joesflowers")).toMatchObject({ apiKey: "from-env" });
    expect(issuesOf(input)).toEqual([
      'accounts[0].apiKey: Missing environment variable "CTCT_KEY"',
    ]);
  });

  it("names every bad field at once", () => {
    const input = valid();
    const partner = (input.partners as Record<string, unknown>[])[0]!;
    partner.secrets = [SECRET, "whsec_***"];
    partner.accounts = { joesflowers: { lists: ["x/y"] }, nobody: { lists: ["1"] } };
    partner.fieldMapping = { first: "FIRST NAM" };
    expect(issuesOf(input)).toEqual([
      "partners[0].secrets[1]: Invalid signing secret: expected whsec_ followed by base64",
      expect.stringMatching(
        /^partners\[0\]\.accounts\.joesflowers\.lists\[0\]: Invalid list URI "x\/y"/,
      ),
      'partners[0].accounts.nobody: Unknown account "nobody": expected one of the accounts\' usernames',
      'partners[0].fieldMapping.first: Unknown column "FIRST NAM": did you mean "FIRST NAME"?',
      'partners[0].fieldMapping: Missing column "EMAIL ADDRESS": map one field to it',
    ]);
  });

  it("names schema errors and the partners' cross-field errors in one round", () => {
    const input = valid();
    input.listen = { port: "8788" };
    const accounts = input.accounts as Record<string, unknown>[];
    accounts[0]!.accessToken = "tok";
    accounts.push({ username: "second account", accessToken: "t" });
    const partner = (input.partners as Record<string, unknown>[])[0]!;
    partner.secrets = ["whsec_***"];
    partner.accounts = { joesflowers: { lists: ["1"] }, nobody: { lists: ["1"] } };
    partner.fieldMapping = { email: "EMAIL ADRESS", colour: "favourite colour" };
    partner.rateLimit = { requestsPerSecond: 0 };
    const issues = issuesOf(input);
    expect(issues).toContainEqual(expect.stringMatching(/^listen\.port: /));
    expect(issues).toContainEqual(
      "accounts[0]: Invalid credentials: give either apiKey and password, or accessToken",
    );
    expect(issues).toContainEqual(expect.stringMatching(/^accounts\[1\]\.username: /));
    expect(issues).toContainEqual(expect.stringMatching(/^partners\[0\]\.rateLimit\./));
    expect(issues).toContainEqual(
      "partners[0].secrets[0]: Invalid signing secret: expected whsec_ followed by base64",
    );
    expect(issues).toContainEqual(
      'partners[0].accounts.nobody: Unknown account "nobody": expected one of the accounts\' usernames',
    );
    expect(issues).toContainEqual(
      'partners[0].fieldMapping.email: Unknown column "EMAIL ADRESS": did you mean "EMAIL ADDRESS"?',
    );
    expect(issues).toContainEqual(
      'partners[0].fieldMapping.colour: Unknown column "favourite colour": expected one of the 32 contact columns',
    );
    // an account whose credentials are wrong is still known by its username
    expect(issues.filter((i) => i.includes("joesflowers"))).toEqual([]);
  });

  it("checks what parsed when whole sections are missing or of the wrong type", () => {
    expect(
      issuesOf({
        partners: [
          { id: "shop", secrets: ["whsec_***"], accounts: { a: { lists: ["1"] } }, extra: 1 },
          "not a partner",
        ],
        store: { kind: "postgres", url: { env: "PG_URL" } },
      }),
    ).toEqual([
      "accounts: Invalid input: expected array, received undefined",
      'partners[0]: Unrecognized key: "extra"',
      "partners[1]: Invalid input: expected object, received string",
      "partners[0].secrets[0]: Invalid signing secret: expected whsec_ followed by base64",
      'store.url: Missing environment variable "PG_URL"',
    ]);
  });

  it("names schema errors by path", () => {
    const input = valid();
    (input.partners as Record<string, unknown>[])[0]!.rateLimit = { requestsPerSecond: -1 };
    (input.accounts as Record<string, unknown>[])[0]!.accessToken = "tok";
    input.idempotencyDays = 3;
    const issues = issuesOf(input);
    expect(issues).toContainEqual(
      expect.stringMatching(/^partners\[0\]\.rateLimit\.requestsPerSecond: /),
    );
    expect(issues).toContainEqual(
      "accounts[0]: Invalid credentials: give either apiKey and password, or accessToken",
    );
    expect(issues).toContainEqual("idempotencyDays: Too short: keep webhook ids at least 7 days");
  });

  it("never quotes a secret in its errors", () => {
    const input = valid();
    (input.accounts as Record<string, unknown>[])[0]!.accessToken = "tok-secret-value";
    (input.partners as Record<string, unknown>[])[0]!.secrets = ["whsec_!!secret-value!!"];
    let message = "";
    try {
      parseWebhookConfig(input);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration "configuration": /);
    expect(message).not.toMatch(/secret-value|hunter2|key-123/);
  });
});

describe("loadWebhookConfig()", () => {
  it("reads a JSON file, and names the file and position of bad JSON without quoting it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-config-"));
    const good = join(dir, "good.json");
    await writeFile(good, JSON.stringify(valid()));
    expect((await loadWebhookConfig(good, {})).partners.has("shop")).toBe(true);
    const bad = join(dir, "bad.json");
    await writeFile(bad, 'password hunter2 {"a": 1}');
    await expect(loadWebhookConfig(bad, {})).rejects.toThrow(
      `Invalid configuration "${bad}": (root): Invalid JSON`,
    );
    await expect(loadWebhookConfig(bad, {})).rejects.not.toThrow(/hunter2/);
  });

  it("names the --config file and why it cannot be read, in words", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-config-"));
    const missing = join(dir, "nope.json");
    const error = await loadWebhookConfig(missing, {}).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toBe(`Cannot read --config "${missing}": no such file`);
    expect((error as ConfigError).issues).toEqual([
      { path: "", message: "Cannot read the file: no such file" },
    ]);
    await expect(loadWebhookConfig(dir, {})).rejects.toThrow(
      `Cannot read --config "${dir}": it is a directory`,
    );
    // the command prints it alone and exits with 2, as for any wrong configuration
    const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));
    const run = spawnSync(process.execPath, [bin, "--config", missing], { encoding: "utf8" });
    expect(run.stderr).toBe(`Cannot read --config "${missing}": no such file\n`);
    expect(run.status).toBe(2);
  });

  it("reads CTCT_WEBHOOK_CONFIG when no file is given, and says what is missing", async () => {
    const env = { CTCT_WEBHOOK_CONFIG: JSON.stringify(valid()) };
    expect((await loadWebhookConfig(undefined, env)).accounts.size).toBe(1);
    await expect(loadWebhookConfig(undefined, {})).rejects.toThrow(
      "No configuration: pass --config <file>, or set CTCT_WEBHOOK_CONFIG to the configuration's JSON",
    );
  });
});
