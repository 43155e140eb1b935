// A service whose store's writer thread dies does not stay up refusing (or hanging) every push:
// it says so in one error line (no secret, no contact) and exits 4, for its supervisor to
// restart it (ADR 0150). The writer is made to die by a preload that swaps its module.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXIT_STORE_FAILED } from "../src/service.ts";
import { SECRET, signedRequest } from "./_harness.ts";
import { NEEDLES } from "./_logs.ts";

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const PRELOAD = fileURLToPath(new URL("./_writer-dies-preload.ts", import.meta.url));

describe("ctct-webhook whose store's writer thread dies", () => {
  it("logs it once and exits 4 instead of answering pushes for ever", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-writer-failure-"));
    let running: ChildProcess | undefined;
    try {
      const configPath = join(dir, "config.json");
      await writeFile(
        configPath,
        JSON.stringify({
          listen: { host: "127.0.0.1", port: 0 },
          store: { kind: "sqlite", path: join(dir, "store.db") },
          accounts: [{ username: "joesflowers", apiKey: "k", password: { env: "CTCT_PW" } }],
          partners: [
            {
              id: "shop",
              secrets: [{ env: "SHOP_SECRET" }],
              accounts: { joesflowers: { lists: ["1"] } },
              fieldMapping: { email: "EMAIL ADDRESS" },
            },
          ],
        }),
      );
      const child = spawn(process.execPath, ["--import", PRELOAD, BIN, "--config", configPath], {
        env: { ...process.env, SHOP_SECRET: SECRET, CTCT_PW: "ctct-ci-only-password" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      running = child;
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      const url = await new Promise<string>((resolve, reject) => {
        const look = () => {
          const listening = /"url":"([^"]+)"[^\n]*"msg":"listening"/.exec(output);
          if (listening) resolve(listening[1]!);
          else if (child.exitCode !== null) reject(new Error(`It exited first:\n${output}`));
          else setTimeout(look, 20);
        };
        look();
      });
      const request = await signedRequest({
        action: "add",
        lists: ["1"],
        contacts: [{ email: "dies@example.com" }],
      });
      const response = await fetch(`${url}${new URL(request.url).pathname}`, {
        method: "POST",
        headers: request.headers,
        body: await request.text(),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await exited).toBe(EXIT_STORE_FAILED);
      const lines = output.split("\n").filter(Boolean);
      const failure = lines.filter((line) => line.includes('"msg":"store failed'));
      expect(failure).toHaveLength(1);
      expect(JSON.parse(failure[0]!)).toMatchObject({
        level: 50,
        err: { message: "The store's writer thread failed: test: the writer thread died" },
      });
      expect(lines.at(-1)).toContain('"msg":"stopped after a store failure"');
      for (const needle of [...NEEDLES, "ctct-ci-only-password"]) {
        expect(
          lines.filter((line) =>
            typeof needle === "string" ? line.includes(needle) : needle.test(line),
          ),
        ).toEqual([]);
      }
    } finally {
      // a test that fails (or times out) leaves no service running
      if (running?.exitCode === null && running.signalCode === null) running.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
