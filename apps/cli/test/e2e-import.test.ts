import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { accountEnv, contactFile, killAll, runCli, startCli, tempDir } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  running = await startFakeServer({ port: 0, clock: "immediate" });
  dir = await tempDir();
  env = accountEnv(running.url, dir);
});
afterEach(killAll);
afterAll(() => running.close());

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

describe("ctct-bulk import", () => {
  const bad = new Map([
    [5, "not-an-email,Ann,Bad,Boston,MA"],
    [40, "ann@example.com,Ann,Bad,Springfield,ZZ"],
  ]);

  it("imports a file, waits, reports refused lines by their line in the file and writes them to --rejects", async () => {
    await writeFile(join(dir, "contacts.csv"), contactFile(120, bad));
    const run = await runCli(
      ["import", "contacts.csv", "--list", "2", "--wait", "--rejects", "refused.csv", "--json"],
      { cwd: dir, env },
    );
    expect(run.stderr).not.toContain("    at ");
    expect(run.code).toBe(4);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      command: "import",
      rows: 120,
      outcome: "complete-with-errors",
      errorCount: 2,
    });
    expect(
      result.errors.map((error: { line: number; message: string }) => [error.line, error.message]),
    ).toEqual([
      [7, 'Invalid email address "not-an-email"'],
      [42, 'Unknown US/Canadian state/prov "ZZ"'],
    ]);
    expect(await readFile(join(dir, "refused.csv"), "utf8")).toBe(
      [
        "EMAIL ADDRESS,FIRST NAME,LAST NAME,CITY,STATE/PROVINCE (US/CANADA),REJECTED LINE,REJECTED REASON",
        'not-an-email,Ann,Bad,Boston,MA,7,"Invalid email address ""not-an-email"""',
        'ann@example.com,Ann,Bad,Springfield,ZZ,42,"Unknown US/Canadian state/prov ""ZZ"""',
        "",
      ].join("\n"),
    );
    expect(
      running.server.control.members(2).some((member) => member.email === "user119@example.com"),
    ).toBe(true);
  });

  it("imports a fixed rejects file as it is", async () => {
    const fixed = (await readFile(join(dir, "refused.csv"), "utf8"))
      .replace("not-an-email", "fixed@example.com")
      .replace(",ZZ,", ",IL,");
    await writeFile(join(dir, "fixed.csv"), fixed);
    const run = await runCli(["import", "fixed.csv", "--list", "3", "--wait"], { cwd: dir, env });
    expect(run.stderr).toContain("as a rejects file");
    expect(run.code).toBe(0);
    expect(
      running.server.control
        .members(3)
        .map((member) => member.email)
        .sort(),
    ).toEqual(["ann@example.com", "fixed@example.com"]);
  });

  it("reads gzip from stdin and Excel workbooks", async () => {
    const piped = contactFile(30, new Map([[3, "bad-address,Bad,Row,Boston,MA"]]), "stdin");
    const fromStdin = await runCli(
      ["import", "-", "--list", "4", "--rejects", "stdin-refused.csv", "--quiet"],
      {
        cwd: dir,
        env,
        input: gzipSync(piped),
      },
    );
    expect(fromStdin).toMatchObject({ code: 4, stderr: "" });
    expect(fromStdin.stdout).toContain('Imported "stdin": 30 rows in 1 request');
    // stdin cannot be read twice: the refused row comes from the copy kept while importing.
    expect((await readFile(join(dir, "stdin-refused.csv"), "utf8")).split("\n")[1]).toBe(
      'bad-address,Bad,Row,Boston,MA,5,"Invalid email address ""bad-address"""',
    );

    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        ["Email Address", "First Name"],
        ...Array.from({ length: 30 }, (_, i) => [`xl${i}@example.com`, `Xl ${i}`]),
      ]),
      "Contacts",
    );
    await writeFile(join(dir, "book.xlsx"), XLSX.write(book, { type: "buffer", bookType: "xlsx" }));
    const fromExcel = await runCli(["import", "book.xlsx", "--list", "4", "--wait"], {
      cwd: dir,
      env,
    });
    expect(fromExcel.code).toBe(0);
    expect(
      running.server.control.members(4).some((member) => member.email === "xl29@example.com"),
    ).toBe(true);
  });

  it("shows the chunks of a dry run and sends nothing", async () => {
    running.server.control.clearRequests();
    const run = await runCli(
      ["import", "contacts.csv", "--list", "2", "--dry-run", "--chunk-size", "2000"],
      { cwd: dir, env },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Would send \d+ requests for "contacts.csv"/);
    expect(run.stdout).toContain("CHUNK  LINES");
    expect(`${run.stdout}${run.stderr}`).not.toContain("demo-password");
    expect(
      running.server.control.requests().filter((request) => request.method === "POST"),
    ).toEqual([]);
  });

  it("refuses a header with an unknown column before sending anything", async () => {
    await writeFile(join(dir, "bad-header.csv"), "EMAIL ADDRESS,FIRST NAM\nann@example.com,Ann\n");
    running.server.control.clearRequests();
    const run = await runCli(["import", "bad-header.csv", "--list", "2"], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain('Unknown column "FIRST NAM"');
    expect(
      running.server.control.requests().filter((request) => request.method === "POST"),
    ).toEqual([]);
  });

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
    for (let tries = 0; tries < 400; tries++) {
      const text = await readFile(statePath, "utf8").catch(() => "");
      if ((text.match(/"activityId"/g) ?? []).length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
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
    for (let tries = 0; tries < 400; tries++) {
      const text = await readFile(statePath, "utf8").catch(() => "");
      if ((text.match(/"activityId"/g) ?? []).length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
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
    const stopped = await runCli(["import", "quote.csv", "--list", "1", "--chunk-size", "3000"], {
      cwd: dir,
      env,
    });
    expect(stopped.code).toBe(1);
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
    const first = await runCli(["import", "lost.csv", "--list", "3", "--chunk-size", "4000"], {
      cwd: dir,
      env,
    });
    expect(first.code).toBe(0);
    // The journal as a crash between the server's 201 for the last chunk and its write leaves it.
    const journal = JSON.parse(await readFile(statePath, "utf8"));
    const lost = journal.chunks.pop();
    journal.pending = { index: lost.index, since: lost.acceptedAt };
    journal.completed = false;
    await writeFile(statePath, JSON.stringify(journal));
    running.server.control.clearRequests();

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

describe("ctct-bulk remove", () => {
  it("takes the file's contacts off a list", async () => {
    await writeFile(join(dir, "gone.csv"), "EMAIL ADDRESS\nuser1@example.com\nuser2@example.com\n");
    const run = await runCli(["remove", "gone.csv", "--list", "2", "--wait", "--ndjson"], {
      cwd: dir,
      env,
    });
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.at(-1)).toMatchObject({
      type: "result",
      result: { command: "remove", rows: 2, outcome: "complete" },
    });
    expect(events.some((event) => event.type === "chunk")).toBe(true);
    const emails = running.server.control.members(2).map((member) => member.email);
    expect(emails).not.toContain("user1@example.com");
    expect(emails).toContain("user3@example.com");
    expect((await stat(join(dir, "gone.csv.ctct-bulk.json"))).isFile()).toBe(true);
  });
});
