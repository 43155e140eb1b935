// QA T1: a list given by id or URI that the account does not have is refused before any create,
// as a usage error naming it, like a name that is not there; the lists are read once.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningFakeServer } from "@ctct-bulk/fake-server";
import { beforeEach, describe, expect, it } from "vitest";
import { runCli, useCliSuite } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

useCliSuite((suite) => {
  ({ running, dir, env } = suite);
});

const listReads = () =>
  running.server.control
    .requests()
    .filter((request) => request.method === "GET" && /\/lists$/.test(request.path)).length;
const posts = () =>
  running.server.control.requests().filter((request) => request.method === "POST").length;

beforeEach(async () => {
  await writeFile(join(dir, "contacts.csv"), "EMAIL ADDRESS\nann@example.com\n");
  running.server.control.clearRequests();
});

describe("import --list with an id or URI the account does not have", () => {
  it("refuses --list 99 before sending, exit 2, naming the list", async () => {
    const run = await runCli(["import", "contacts.csv", "--list", "99"], { cwd: dir, env });
    expect(run.stderr).toContain('Unknown list "99"');
    expect(run.stderr).toContain("ctct-bulk lists");
    expect(run.code).toBe(2);
    expect(posts()).toBe(0);
    expect(listReads()).toBe(1);
  });

  it("refuses a list URI that is not there, and reads the lists once with a name beside it", async () => {
    const uri = "http://api.constantcontact.com/ws/customers/joesflowers/lists/77";
    const run = await runCli(["remove", "contacts.csv", "--list", "2", "--list", uri], {
      cwd: dir,
      env,
    });
    expect(run.stderr).toContain(`Unknown list "${uri}"`);
    expect(run.code).toBe(2);
    expect(posts()).toBe(0);
    expect(listReads()).toBe(1);
  });

  it("sends to lists that are there, reading them once for ids and names together", async () => {
    const names = running.server.control.lists().map((list) => list.name);
    const run = await runCli(
      ["import", "contacts.csv", "--list", "2", "--list", names[0]!, "--wait"],
      { cwd: dir, env },
    );
    expect(run.code).toBe(0);
    expect(posts()).toBe(1);
    expect(listReads()).toBe(1);
  });
});

describe("clear and export with a list id the account does not have", () => {
  it("refuses clear --list 99 and export --list 99 before any create, exit 2", async () => {
    for (const args of [
      ["clear", "--list", "99", "--yes"],
      ["export", "--list", "99", "--out", "out.csv"],
    ]) {
      running.server.control.clearRequests();
      const run = await runCli(args, { cwd: dir, env });
      expect(run.stderr).toContain('Unknown list "99"');
      expect(run.code).toBe(2);
      expect(posts()).toBe(0);
      expect(listReads()).toBe(1);
    }
  });
});
