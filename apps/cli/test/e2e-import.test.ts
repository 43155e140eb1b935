import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { RunningFakeServer } from "@ctct-bulk/fake-server";
import { describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { contactFile, runCli, useCliSuite } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

useCliSuite((suite) => {
  ({ running, dir, env } = suite);
});

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
    // A remove keeps its own state file: an import's never stands in its way.
    expect((await stat(join(dir, "gone.csv.ctct-bulk-remove.json"))).isFile()).toBe(true);
  });
});
