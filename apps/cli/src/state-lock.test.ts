import { spawnSync } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs } from "./_test_context.ts";
import { CliError } from "./cli-error.ts";
import { lockStateFile } from "./state-lock.ts";

afterAll(removeTempDirs);

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

describe("lockStateFile()", () => {
  it("holds <state>.lock while a run uses the state file, and removes it when released", async () => {
    const dir = await makeTempDir("ctct-cli-lock-");
    const state = join(dir, "a.csv.ctct-bulk.json");
    const lock = await lockStateFile(state, "a.csv.ctct-bulk.json");
    const holder = JSON.parse(await readFile(`${state}.lock`, "utf8"));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    const second = await lockStateFile(state, "a.csv.ctct-bulk.json").catch((error) => error);
    expect(CliError.isInstance(second) && second.exitCode).toBe(1);
    expect((second as Error).message).toBe(
      `Another ctct-bulk run (process ${process.pid}) is using "a.csv.ctct-bulk.json": a second run at the same time would send its chunks again`,
    );
    await lock.release();
    await expect(stat(`${state}.lock`)).rejects.toThrow(/ENOENT/);
    await (await lockStateFile(state, "a.csv.ctct-bulk.json")).release();
  });

  it("takes over the lock of a run that died (kill -9, a crash) or that is unreadable", async () => {
    const dir = await makeTempDir("ctct-cli-lock-");
    const state = join(dir, "b.csv.ctct-bulk.json");
    for (const stale of [
      JSON.stringify({ pid: deadPid(), host: hostname(), since: "2026-01-01T00:00:00.000Z" }),
      "",
    ]) {
      await writeFile(`${state}.lock`, stale);
      const lock = await lockStateFile(state, "b.csv.ctct-bulk.json");
      expect(JSON.parse(await readFile(`${state}.lock`, "utf8")).pid).toBe(process.pid);
      await lock.release();
    }
  });

  it("does not judge a lock from another machine (a shared disk) stale", async () => {
    const dir = await makeTempDir("ctct-cli-lock-");
    const state = join(dir, "c.csv.ctct-bulk.json");
    await writeFile(
      `${state}.lock`,
      JSON.stringify({ pid: deadPid(), host: `not-${hostname()}`, since: "2026-01-01T00:00:00Z" }),
    );
    const refused = await lockStateFile(state, "c.csv.ctct-bulk.json").catch((error) => error);
    expect(CliError.isInstance(refused)).toBe(true);
    expect((refused as CliError).hint).toContain('delete "c.csv.ctct-bulk.json.lock"');
  });
});
