// What `ctct-webhook` says when it cannot start (QA W3, W6): one line naming the configuration,
// the store's path, the port or the database (never a password), and a documented exit code.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runWebhookService } from "../src/service.ts";
import { SECRET } from "./_harness.ts";
import { findPostgres } from "./_postgres.ts";

const postgres = await findPostgres();

const dir = mkdtempSync(join(tmpdir(), "ctct-webhook-startup-"));

function configJson(overrides: Record<string, unknown>): string {
  return JSON.stringify({
    listen: { host: "127.0.0.1", port: 0 },
    accounts: [{ username: "joesflowers", apiKey: "k", password: "p" }],
    partners: [
      {
        id: "shop",
        secrets: [SECRET],
        accounts: { joesflowers: { lists: ["1"] } },
        fieldMapping: { email: "EMAIL ADDRESS" },
      },
    ],
    ...overrides,
  });
}

/** Runs the command in process; its exit code and what it printed. */
async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const errors: string[] = [];
  const printed: string[] = [];
  const error = vi.spyOn(console, "error").mockImplementation((...args) => {
    errors.push(args.join(" "));
  });
  const log = vi.spyOn(console, "log").mockImplementation((...args) => {
    printed.push(args.join(" "));
  });
  try {
    const code = await runWebhookService(argv, env);
    return { code, stderr: errors.join("\n"), stdout: printed.join("\n") };
  } finally {
    error.mockRestore();
    log.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("ctct-webhook that cannot start", () => {
  it("says no configuration was given, and how to give one, exit 2", async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "No configuration: pass --config <file>, or set CTCT_WEBHOOK_CONFIG to the configuration's JSON",
    );
  });

  it("prints its version with --version", async () => {
    const { code, stdout } = await run(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ctct-webhook \d+\.\d+\.\d+/);
  });

  it("names a SQLite path it cannot open, in one line, exit 3", async () => {
    const path = join(dir, "no-such-dir", "queue.db");
    const { code, stderr } = await run([], {
      CTCT_WEBHOOK_CONFIG: configJson({ store: { kind: "sqlite", path } }),
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(new RegExp(`^Cannot open the SQLite store "${path}": `));
    expect(stderr).not.toContain("\n");
    expect(stderr).not.toContain("    at ");
  });

  it("names a port in use, in one line, exit 3", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as { port: number };
    try {
      const { code, stderr } = await run([], {
        CTCT_WEBHOOK_CONFIG: configJson({
          listen: { host: "127.0.0.1", port },
          store: { kind: "sqlite", path: join(dir, `port-${port}.db`) },
        }),
      });
      expect(code).toBe(3);
      expect(stderr).toBe(`Cannot listen on 127.0.0.1:${port}: the port is already in use`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("names a PostgreSQL database that refuses, without its password, in one line, exit 3", async () => {
    const { code, stderr } = await run([], {
      CTCT_WEBHOOK_CONFIG: configJson({
        store: { kind: "postgres", url: "postgres://hook:s3cret-pw@127.0.0.1:1/queue" },
      }),
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /^Cannot connect to PostgreSQL database "queue" on 127\.0\.0\.1:1 as "hook": .*ECONNREFUSED/,
    );
    expect(stderr).not.toContain("s3cret-pw");
    expect(stderr).not.toContain("\n");
  });

  it.skipIf(postgres.url === undefined)(
    `names a PostgreSQL database that refuses a bad password, without the password${postgres.url === undefined ? ` (skipped: ${postgres.reason})` : ""}`,
    async () => {
      const url = new URL(postgres.url!);
      url.password = "wrong-pw-do-not-print";
      const { code, stderr } = await run([], {
        CTCT_WEBHOOK_CONFIG: configJson({ store: { kind: "postgres", url: url.href } }),
      });
      expect(code).toBe(3);
      expect(stderr).toMatch(
        /^Cannot connect to PostgreSQL database ".+" on .+: password authentication failed/,
      );
      expect(stderr).not.toContain("wrong-pw-do-not-print");
      expect(stderr).not.toContain("\n");
    },
  );
});
