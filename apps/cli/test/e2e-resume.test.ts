import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningFakeServer } from "@ctct-bulk/fake-server";
import { describe, expect, it } from "vitest";
import { contactFile, runCli, startCli, useCliSuite } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

useCliSuite((suite) => {
  ({ running, dir, env } = suite);
});

/** Waits (up to 10 s) until the import's state file records `count` accepted chunks. */
async function untilChunksRecorded(statePath: string, count: number): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    const text = await readFile(statePath, "utf8").catch(() => "");
    if ((text.match(/"activityId"/g) ?? []).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The first row of every chunk the server received, for `list`'s POSTs. */
function postedFirstRows(): string[] {
  return running.server.control
    .requests()
    .filter((request) => request.method === "POST" && request.status === 201)
    .map((request) => {
      const data = request.params?.find(([name]) => name === "data")?.[1] ?? "";
      return data.split("\n")[1] ?? "";
    });
}

describe("ctct-bulk import --resume", () => {
  it("resumes after a SIGKILL without sending any chunk twice", async () => {
    const rows = 500;
    await writeFile(join(dir, "big.csv"), contactFile(rows, new Map(), "big"));
    const statePath = join(dir, "big.csv.ctct-bulk.json");
    running.server.control.clearRequests();
    const first = startCli(["import", "big.csv", "--list", "5", "--chunk-size", "4000"], {
      cwd: dir,
      env,
    });
    // Kill it once the journal holds a few accepted chunks: mid-import, with no warning.
    await untilChunksRecorded(statePath, 3);
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const journal = JSON.parse(await readFile(statePath, "utf8"));
    expect(journal.completed).toBe(false);

    const resumed = await runCli(
      ["import", "big.csv", "--list", "5", "--chunk-size", "4000", "--resume", "--wait", "--json"],
      { cwd: dir, env },
    );
    expect(resumed.stderr).not.toContain("Error");
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.rows).toBe(rows);
    expect(result.chunks.some((chunk: { resumed: boolean }) => chunk.resumed)).toBe(true);

    const firstRows = postedFirstRows();
    expect(new Set(firstRows).size).toBe(firstRows.length);
    expect(firstRows.length).toBe(result.chunks.length);
    expect(
      running.server.control.members(5).filter((member) => member.email.startsWith("big")),
    ).toHaveLength(rows);
  });

  it("stops on SIGTERM (as from kill or a service manager) with exit code 130, and resumes", async () => {
    await writeFile(join(dir, "term.csv"), contactFile(300, new Map(), "term"));
    const statePath = join(dir, "term.csv.ctct-bulk.json");
    const first = startCli(["import", "term.csv", "--list", "4", "--chunk-size", "3000"], {
      cwd: dir,
      env,
    });
    await untilChunksRecorded(statePath, 2);
    first.child.kill("SIGTERM");
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain("--resume");
    const resumed = await runCli(
      ["import", "term.csv", "--list", "4", "--chunk-size", "3000", "--resume", "--wait"],
      { cwd: dir, env },
    );
    expect(resumed.code).toBe(0);
    expect(
      running.server.control.members(4).filter((member) => member.email.startsWith("term")),
    ).toHaveLength(300);
  });

  it("refuses to resume when the part already sent has changed, and allows edits after it", async () => {
    await writeFile(
      join(dir, "edit.csv"),
      contactFile(300, new Map([[290, "broken,Row,Here,X,MA"]]), "edit"),
    );
    const statePath = join(dir, "edit.csv.ctct-bulk.json");
    // Interrupt it with Ctrl-C after two chunks.
    const first = startCli(["import", "edit.csv", "--list", "1", "--chunk-size", "3000"], {
      cwd: dir,
      env,
    });
    await untilChunksRecorded(statePath, 2);
    first.child.kill("SIGINT");
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain("--resume");

    const original = await readFile(join(dir, "edit.csv"), "utf8");
    await writeFile(
      join(dir, "edit.csv"),
      original.replace("edit3@example.com", "EDIT3@example.com"),
    );
    running.server.control.clearRequests();
    const refused = await runCli(
      ["import", "edit.csv", "--list", "1", "--chunk-size", "3000", "--resume"],
      { cwd: dir, env },
    );
    expect(refused.stderr).toContain(
      'Cannot resume: "edit.csv" is not the file the interrupted run sent',
    );
    expect(refused.code).toBe(1);
    expect(
      running.server.control.requests().filter((request) => request.method === "POST"),
    ).toEqual([]);

    // Fixing a line the interrupted run had not reached is what resuming is for.
    await writeFile(join(dir, "edit.csv"), original.replace("broken,Row", "fixed@example.com,Row"));
    const fixed = await runCli(
      ["import", "edit.csv", "--list", "1", "--chunk-size", "3000", "--resume", "--wait"],
      { cwd: dir, env },
    );
    expect(fixed.stderr).not.toContain("Error");
    expect(fixed.code).toBe(0);
    expect(
      running.server.control.members(1).filter((member) => member.email.startsWith("edit")),
    ).toHaveLength(299);
  });

  it("stops at a malformed line, naming it, and resumes after the fix without sending a chunk twice", async () => {
    const broken = contactFile(
      300,
      new Map([[250, 'quote@example.com,"Bad"x,Row,Boston,MA']]),
      "quote",
    );
    await writeFile(join(dir, "quote.csv"), broken);
    running.server.control.clearRequests();
    const stopped = await runCli(
      ["import", "quote.csv", "--list", "1", "--chunk-size", "3000", "--rate-limit", "0"],
      {
        cwd: dir,
        env,
      },
    );
    // A malformed input file is a usage error (exit code 2), also half-way through.
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain(
      'Unexpected text after a closing quote in "quote.csv" at line 252',
    );
    expect(stopped.stderr).toContain("--resume");
    const sent = postedFirstRows().length;
    expect(sent).toBeGreaterThan(0);

    await writeFile(join(dir, "quote.csv"), broken.replace('"Bad"x', "Fixed"));
    const resumed = await runCli(
      [
        "import",
        "quote.csv",
        "--list",
        "1",
        "--chunk-size",
        "3000",
        "--resume",
        "--wait",
        "--json",
      ],
      {
        cwd: dir,
        env,
      },
    );
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).rows).toBe(300);
    const firstRows = postedFirstRows();
    expect(firstRows.length).toBeGreaterThan(sent);
    expect(new Set(firstRows).size).toBe(firstRows.length);
    expect(
      running.server.control.members(1).filter((member) => member.email.startsWith("quote")),
    ).toHaveLength(300);
  });

  it("does not send again a chunk the server got just before the process died", async () => {
    await writeFile(join(dir, "lost.csv"), contactFile(200, new Map(), "lost"));
    const statePath = join(dir, "lost.csv.ctct-bulk.json");
    const first = await runCli(
      ["import", "lost.csv", "--list", "3", "--chunk-size", "4000", "--rate-limit", "0"],
      {
        cwd: dir,
        env,
      },
    );
    expect(first.code).toBe(0);
    // The journal as a crash between the server's 201 for the last chunk and its write leaves it.
    const journal = JSON.parse(await readFile(statePath, "utf8"));
    const lost = journal.chunks.pop();
    journal.pending = { index: lost.index, since: lost.acceptedAt };
    journal.completed = false;
    await writeFile(statePath, JSON.stringify(journal));
    running.server.control.clearRequests();

    // An edit in the part already sent is refused, even when a lost chunk has to be rebuilt.
    const original = await readFile(join(dir, "lost.csv"), "utf8");
    await writeFile(join(dir, "lost.csv"), original.replace("lost1@", "LOST1@"));
    const refused = await runCli(
      ["import", "lost.csv", "--list", "3", "--chunk-size", "4000", "--resume"],
      { cwd: dir, env },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Cannot resume: "lost.csv" is not the file the interrupted run sent',
    );
    await writeFile(join(dir, "lost.csv"), original);

    const resumed = await runCli(
      ["import", "lost.csv", "--list", "3", "--chunk-size", "4000", "--resume", "--json"],
      {
        cwd: dir,
        env,
      },
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`it is activity ${lost.activityId}, not sent again`);
    expect(
      running.server.control.requests().filter((request) => request.method === "POST"),
    ).toEqual([]);
    const result = JSON.parse(resumed.stdout);
    expect(result.chunks.at(-1)).toMatchObject({
      activityId: lost.activityId,
      recovered: true,
      rowCount: lost.rowCount,
    });
    expect(result.rows).toBe(200);
  });

  it("will not start over an interrupted import without --resume", async () => {
    await writeFile(
      join(dir, "again.csv.ctct-bulk.json"),
      JSON.stringify({
        version: 1,
        input: { path: "again.csv", fileName: "again.csv" },
        request: { command: "import", activityType: "SV_ADD", lists: [], maxEncodedBytes: 1 },
        chunks: [],
        pending: null,
        completed: false,
        startedAt: "",
        updatedAt: "",
      }),
    );
    await writeFile(join(dir, "again.csv"), contactFile(30));
    const run = await runCli(["import", "again.csv", "--list", "1"], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("continue it with --resume, or delete the file to start over");
    const nothing = await runCli(
      ["import", "contacts.csv", "--list", "1", "--resume", "--state", "none.json"],
      { cwd: dir, env },
    );
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing to resume: there is no state file "none.json"');
  });
});
