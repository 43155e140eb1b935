// The resume guard: a state file exists only when a chunk may have reached the server.
import { spawn } from "node:child_process";
import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningFakeServer } from "@ctct-bulk/fake-server";
import { describe, expect, it } from "vitest";
import { BIN, contactFile, runCli, useCliSuite } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

useCliSuite((suite) => {
  ({ running, dir, env } = suite);
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function posts(): number {
  return running.server.control.requests().filter((request) => request.method === "POST").length;
}

describe("a refused run leaves no resume guard", () => {
  it("lets the same command run again once a bad header is fixed", async () => {
    await writeFile(join(dir, "header.csv"), "EMAIL,FIRST NAM\nh1@example.com,x\n");
    const refused = await runCli(["import", "header.csv", "--list", "2"], { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Invalid header in "header.csv"');
    expect(await exists(join(dir, "header.csv.ctct-bulk.json"))).toBe(false);

    await writeFile(join(dir, "header.csv"), "EMAIL ADDRESS,FIRST NAME\nh1@example.com,x\n");
    const fixed = await runCli(["import", "header.csv", "--list", "2", "--wait"], {
      cwd: dir,
      env,
    });
    expect(fixed.stderr).not.toContain("Error");
    expect(fixed.code).toBe(0);
  });

  it("lets the corrected command run after the server refused the first chunk's list", async () => {
    await writeFile(join(dir, "typo.csv"), contactFile(3, new Map(), "typo"));
    running.server.control.clearRequests();
    const refused = await runCli(["import", "typo.csv", "--list", "99"], { cwd: dir, env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("99");
    expect(await exists(join(dir, "typo.csv.ctct-bulk.json"))).toBe(false);

    const fixed = await runCli(["import", "typo.csv", "--list", "2"], { cwd: dir, env });
    expect(fixed.stderr).not.toContain("Error");
    expect(fixed.code).toBe(0);
  });

  it("leaves nothing after refused credentials, and a remove of the same file then works", async () => {
    await writeFile(join(dir, "auth.csv"), contactFile(3, new Map(), "auth"));
    const refused = await runCli(["import", "auth.csv", "--list", "2"], {
      cwd: dir,
      env: { ...env, CTCT_PASSWORD: "wrong-password" },
    });
    expect(refused.code).toBe(5);
    expect(await exists(join(dir, "auth.csv.ctct-bulk.json"))).toBe(false);
    const removed = await runCli(["remove", "auth.csv", "--list", "4"], { cwd: dir, env });
    expect(removed.stderr).not.toContain("Error");
    expect(removed.code).toBe(0);
  });

  it("does not let an unfinished import's state block a remove, nor advise what cannot work", async () => {
    await writeFile(join(dir, "both.csv"), contactFile(3, new Map(), "both"));
    const importState = join(dir, "both.csv.ctct-bulk.json");
    await writeFile(
      importState,
      JSON.stringify({
        version: 1,
        input: { path: "both.csv", fileName: "both.csv" },
        request: { command: "import", activityType: "SV_ADD", lists: [], maxEncodedBytes: 1e6 },
        chunks: [],
        pending: { index: 0, since: new Date().toISOString() },
        completed: false,
        startedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      }),
    );
    const removed = await runCli(["remove", "both.csv", "--list", "4"], { cwd: dir, env });
    expect(removed.stderr).not.toContain("Error");
    expect(removed.code).toBe(0);

    const named = await runCli(
      ["remove", "both.csv", "--list", "4", "--state", "both.csv.ctct-bulk.json"],
      { cwd: dir, env },
    );
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(
      'holds the state of an unfinished import of "both.csv", not of a remove',
    );
    expect(named.stderr).not.toContain("--resume");
    expect(named.stderr).not.toContain("a import");
  });
});

describe("empty inputs", () => {
  it("says a header-only file has nothing to import, in one line, and sends nothing", async () => {
    await writeFile(join(dir, "hdr.csv"), "EMAIL ADDRESS,FIRST NAME\n");
    running.server.control.clearRequests();
    const run = await runCli(["import", "hdr.csv", "--list", "2", "--wait"], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('Nothing to import: "hdr.csv" has a header and no contacts');
    expect(run.stderr).not.toContain("25 contacts");
    expect(posts()).toBe(0);
    expect(await exists(join(dir, "hdr.csv.ctct-bulk.json"))).toBe(false);
  });

  it("refuses an empty file as a usage error, without advice to resume", async () => {
    await writeFile(join(dir, "empty.csv"), "");
    const run = await runCli(["import", "empty.csv", "--list", "2"], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"empty.csv"');
    expect(run.stderr).not.toContain("--resume");
    expect(await exists(join(dir, "empty.csv.ctct-bulk.json"))).toBe(false);
  });
});

describe("a create in doubt on resume", () => {
  it("names a few fitting activities and lets --forget-pending send the chunk again", async () => {
    // Two earlier imports of the same 37 rows: both fit a lost chunk of that file.
    await writeFile(join(dir, "doubt.csv"), contactFile(37, new Map(), "doubt"));
    const statePath = join(dir, "doubt.csv.ctct-bulk.json");
    for (let run = 0; run < 2; run++) {
      const done = await runCli(["import", "doubt.csv", "--list", "3", "--wait"], {
        cwd: dir,
        env,
      });
      expect(done.code).toBe(0);
    }
    const state = JSON.parse(await readFile(statePath, "utf8"));
    await writeFile(
      statePath,
      JSON.stringify({
        ...state,
        chunks: [],
        completed: false,
        pending: { index: 0, since: new Date(Date.now() - 1000).toISOString() },
      }),
    );
    const unsure = await runCli(["import", "doubt.csv", "--list", "3", "--resume"], {
      cwd: dir,
      env,
    });
    expect(unsure.code).toBe(1);
    expect(unsure.stderr).toContain("2 activities could be its");
    expect(unsure.stderr).toContain("--forget-pending");
    running.server.control.clearRequests();
    const forced = await runCli(
      ["import", "doubt.csv", "--list", "3", "--resume", "--forget-pending"],
      { cwd: dir, env },
    );
    expect(forced.stderr).not.toContain("Error");
    expect(forced.code).toBe(0);
    expect(posts()).toBe(1);
  });
});

describe("an interrupted import from stdin without --state", () => {
  it("says it cannot be resumed and names what was accepted", async () => {
    running.server.control.clearRequests();
    const child = spawn(
      process.execPath,
      [BIN, "import", "-", "--list", "5", "--chunk-size", "3000", "--rate-limit", "0"],
      { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.stdout.resume();
    child.stdin.on("error", () => {});
    const closed = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // Several chunks' worth, then stdin stays open: the CLI waits for more, as a slow pipe would.
    child.stdin.write(contactFile(600, new Map(), "pipe"));
    for (let tries = 0; tries < 400 && posts() < 2; tries++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(posts()).toBeGreaterThanOrEqual(2);
    child.kill("SIGINT");
    // It exits although its stdin is still open.
    const code = await closed;
    expect(code).toBe(130);
    expect(stderr).toContain("stdin cannot be resumed");
    expect(stderr).toMatch(/\d+ chunks? accepted \(lines 2–\d+\): activities /);
    expect(stderr).toContain("--state");
    expect(stderr).not.toContain("continues where it stopped with --resume");
  });
});
