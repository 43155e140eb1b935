import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { createFakeServer, DEFAULT_ACCOUNT, type FakeServer } from "@ctct-bulk/fake-server";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs, testContext } from "./_test_context.ts";
import { GLOBAL_OPTIONS, runCli } from "./cli.ts";
import { COMMANDS } from "./commands/all.ts";

let server: FakeServer;
let dir: string;

/** The environment of a run against the fake server's demo account, its config in `dir`. */
function accountEnv(): Record<string, string> {
  return {
    XDG_CONFIG_HOME: join(dir, "config"),
    CTCT_BASE_URL: server.baseUrl,
    CTCT_USERNAME: DEFAULT_ACCOUNT.username,
    CTCT_API_KEY: DEFAULT_ACCOUNT.apiKey,
    CTCT_PASSWORD: DEFAULT_ACCOUNT.password,
  };
}

beforeEach(async () => {
  server = createFakeServer();
  dir = await makeTempDir("ctct-cli-run-");
});

/** Runs the CLI in this process against the in-process fake server. */
async function run(
  args: string[],
  env: Record<string, string> = {},
  wrapFetch: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch = (fetch) => fetch,
) {
  const context = testContext({
    cwd: dir,
    env: {
      ...accountEnv(),
      ...env,
    },
  });
  const fetch = wrapFetch(server.fetch as typeof globalThis.fetch);
  const code = await runCli(args, { ...context, fetch });
  return { code, stdout: context.stdout.text, stderr: context.stderr.text };
}

const posts = (): number =>
  server.control.requests().filter((request) => request.method === "POST").length;

afterAll(removeTempDirs);

describe("runCli()", () => {
  it("names the commands when given an unknown one, with exit code 2", async () => {
    const result = await run(["imprt"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: Unknown command "imprt": expected one of ${COMMANDS.map((c) => c.command.split(" ")[0]).join(", ")}\nRun ctct-bulk --help for the options\n`,
    );
  });

  it("asks for a command, and for the required options of one", async () => {
    expect((await run([])).stderr).toContain("Error: Name a command");
    const noFile = await run(["import", "--list", "2"]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(
      "Error: Missing <file>: ctct-bulk import <file> [options]\nRun ctct-bulk import --help for the options\n",
    );
    expect((await run(["wait"])).stderr).toContain(
      "Error: Missing <ids..>: ctct-bulk wait <ids..> [options]",
    );
    const missing = await run(["import", "contacts.csv"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "Error: Missing --list\nRun ctct-bulk import --help for the options\n",
    );
  });

  it("reports an option typed without its value as a usage error (exit code 2) naming it", async () => {
    for (const option of ["--list", "--state", "--chunk-size", "--rejects"]) {
      const result = await run(["import", "contacts.csv", "--list", "2", option]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `Error: Missing the value of ${option}\nRun ctct-bulk import --help for the options\n`,
      );
    }
    expect(posts()).toBe(0);
  });

  it("refuses every option that takes a value when it is typed without one", async () => {
    const positionals: Record<string, string[]> = {
      import: ["contacts.csv"],
      remove: ["contacts.csv"],
      validate: ["contacts.csv"],
      status: ["a07e1ffaxjyffmvqgiz"],
      wait: ["a07e1ffaxjyffmvqgiz"],
    };
    for (const definition of COMMANDS) {
      const name = definition.command.split(" ")[0]!;
      const options = { ...GLOBAL_OPTIONS, ...definition.options };
      for (const [option, spec] of Object.entries(options)) {
        if (spec.type === "boolean") continue;
        const result = await run([name, ...(positionals[name] ?? []), `--${option}`]);
        expect({ name, option, code: result.code, stderr: result.stderr }).toEqual({
          name,
          option,
          code: 2,
          stderr: `Error: Missing the value of --${option}\nRun ctct-bulk ${name} --help for the options\n`,
        });
      }
    }
    expect(posts()).toBe(0);
  });

  it("refuses a --max-errors that is not a whole number of errors, before any request", async () => {
    for (const value of ["-1", "2.5"]) {
      const result = await run(["status", "a07e1ffaxjyffmvqgiz", "--max-errors", value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `Error: Invalid --max-errors "${value}": expected a whole number from 0\nRun ctct-bulk status --help for the options\n`,
      );
    }
    expect(server.control.requests()).toHaveLength(0);
  });

  it("takes one value a --list (repeat it for several), so that the file may come after it", async () => {
    await writeFile(join(dir, "after.csv"), "EMAIL ADDRESS\nafter1@example.com\n");
    const result = await run([
      "import",
      "--list",
      "2",
      "after.csv",
      "--list",
      "3",
      "--dry-run",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: "after.csv" });
    expect(JSON.parse(result.stdout).requests[0].lists).toEqual(["2", "3"]);
  });

  it("names the option of a value outside its choices", async () => {
    const result = await run(["export", "--list", "2", "--sort", "size", "--out", "x.csv"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Error: Invalid --sort "size": expected one of "email", "date"\nRun ctct-bulk export --help for the options\n',
    );
  });

  it("quotes what was typed for a numeric option that is not a number, with exit code 2", async () => {
    await writeFile(join(dir, "n.csv"), "EMAIL ADDRESS\nn1@example.com\n");
    const chunk = await run(["import", "n.csv", "--list", "2", "--chunk-size", "abc"]);
    expect(chunk.code).toBe(2);
    expect(chunk.stderr).toBe(
      'Error: Invalid --chunk-size "abc": expected a number\nRun ctct-bulk import --help for the options\n',
    );
    const limit = await run(["activities", "--limit=many"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('Error: Invalid --limit "many": expected a number');
    expect(posts()).toBe(0);
  });

  it("refuses a --timeout that is not above 0 before sending anything", async () => {
    await writeFile(join(dir, "t.csv"), "EMAIL ADDRESS\nt1@example.com\n");
    const result = await run(["import", "t.csv", "--list", "2", "--wait", "--timeout", "-1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Error: Invalid --timeout "-1": expected a number of seconds above 0',
    );
    expect(posts()).toBe(0);
  });

  it("shows a required variadic positional without a contradictory default", async () => {
    const help = await run(["wait", "--help"]);
    expect(help.stdout).toMatch(/ids +Activity ids .*\[array\] \[required\]\n/);
    expect(help.stdout).not.toContain("[default: []]");
  });

  it("writes the lists one JSON object a line with --ndjson", async () => {
    const result = await run(["lists", "--ndjson"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty("uri");
  });

  it("points an import that the server stopped taking half-way at --resume, not at a plain run", async () => {
    const rows = Array.from({ length: 80 }, (_, index) => `later${index}@example.com`);
    await writeFile(join(dir, "later.csv"), `EMAIL ADDRESS\n${rows.join("\n")}\n`);
    let creates = 0;
    // The second create is refused for longer than the client waits: it gives up at once.
    const busy = (fetch: typeof globalThis.fetch): typeof globalThis.fetch =>
      (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (request.method === "POST" && ++creates > 1)
          return new Response("Too many requests", {
            status: 429,
            headers: { "retry-after": "3600" },
          });
        return fetch(request);
      }) as typeof globalThis.fetch;
    const args = ["import", "later.csv", "--list", "2", "--chunk-size", "1000"];
    const failed = await run(args, {}, busy);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      '(429) from POST "http://fake.ctct.test/ws/customers/joesflowers/activities": Too many requests\n"later.csv.ctct-bulk.json" records what the server accepted: when it can be reached, continue with: ctct-bulk import later.csv --list 2 --chunk-size 1000 --resume\n',
    );
    const resumed = await run([...args, "--resume"]);
    expect(resumed.code).toBe(0);
    expect(server.control.members(2)).toHaveLength(80);
  });

  it("says a file with a header and no rows has no contacts, not that it is a small batch", async () => {
    await writeFile(join(dir, "header.csv"), "EMAIL ADDRESS,FIRST NAME\n");
    const result = await run(["validate", "header.csv"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "header.csv: warning: No contacts: the file has a header and no rows (import sends nothing)\n",
    );
  });

  it("refuses a base URL with a query or fragment, which would swallow the path, without showing it", async () => {
    const query = await run(["lists"], { CTCT_BASE_URL: `${server.baseUrl}?key=q-secret-1` });
    expect(query.code).toBe(2);
    expect(query.stderr).toContain(
      `Error: Invalid CTCT_BASE_URL "${server.baseUrl}?…": the API root takes no query (?…) or fragment (#…)`,
    );
    expect(query.stderr).not.toContain("q-secret-1");
    const fragment = await run(["lists", "--base-url", `${server.baseUrl}/#top`]);
    expect(fragment.code).toBe(2);
    expect(fragment.stderr).toContain('Error: Invalid --base-url "');
    expect(server.control.requests()).toHaveLength(0);
  });

  it("refuses an empty --base-url (an unset shell variable) instead of falling back to CTCT_BASE_URL", async () => {
    const empty = await run(["lists", "--base-url", ""], { CTCT_BASE_URL: server.baseUrl });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('Error: Invalid --base-url "": name the API root');
    expect(server.control.requests()).toHaveLength(0);
  });

  it("refuses a base URL that ends with the username (appended by the client) as a usage error naming its source", async () => {
    const env = await run(["lists"], { CTCT_BASE_URL: `${server.baseUrl}/joesflowers/` });
    expect(env.code).toBe(2);
    expect(env.stderr).toBe(
      `Error: Invalid CTCT_BASE_URL "${server.baseUrl}/joesflowers": it ends with the username; give the API root ("${server.baseUrl}"): the username "joesflowers" is appended\nRun ctct-bulk lists --help for the options\n`,
    );
    const option = await run(["lists", "--base-url", `${server.baseUrl}/JoesFlowers`]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('Error: Invalid --base-url "');
    expect(server.control.requests()).toHaveLength(0);
  });

  it("refuses --rejects or --state naming the input file, which they would overwrite, and keeps it", async () => {
    const contacts = "EMAIL ADDRESS\nkeep@example.com\nbad@\n";
    await writeFile(join(dir, "keep.csv"), contacts);
    for (const args of [
      ["import", "keep.csv", "--list", "2", "--rejects", "keep.csv"],
      ["import", "keep.csv", "--list", "2", "--state", "./keep.csv"],
      ["validate", "keep.csv", "--rejects", join(dir, "keep.csv")],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("it is the input file, which it would overwrite");
    }
    expect(await readFile(join(dir, "keep.csv"), "utf8")).toBe(contacts);
    expect(posts()).toBe(0);
  });

  it("checks that --rejects can be written before sending anything", async () => {
    await writeFile(join(dir, "r.csv"), "EMAIL ADDRESS\nr1@example.com\nbad@\n");
    for (const args of [
      ["import", "r.csv", "--list", "2", "--rejects", "no-dir/refused.csv"],
      ["validate", "r.csv", "--rejects", "no-dir/refused.csv"],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `Error: Cannot write "no-dir/refused.csv": no such directory\nChoose a file in an existing, writable directory with --rejects\n`,
      );
    }
    expect(posts()).toBe(0);
    const state = await run(["import", "r.csv", "--list", "2", "--state", "no-dir/state.json"]);
    expect(state.code).toBe(2);
    expect(state.stderr).toBe(
      `Error: Cannot write "no-dir/state.json": no such directory\nChoose a writable place for the state file with --state\n`,
    );
    expect(posts()).toBe(0);
  });

  it("names the jobs still running when wait gives up at its --timeout", async () => {
    server = createFakeServer({ clock: "manual" });
    await writeFile(join(dir, "w.csv"), "EMAIL ADDRESS\nw1@example.com\n");
    const created = await run(["import", "w.csv", "--list", "2", "--json"]);
    const id = JSON.parse(created.stdout).chunks[0].activityId as string;
    const waited = await run(["wait", id, "--timeout", "0.2"]);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain(
      `The job is still running: follow it later with ctct-bulk wait ${id}\n`,
    );
  });

  it("names every job still running when import --wait gives up at its --timeout", async () => {
    server = createFakeServer({ clock: "manual" });
    const rows = Array.from({ length: 120 }, (_, index) => `t${index}@example.com`);
    await writeFile(join(dir, "t.csv"), `EMAIL ADDRESS\n${rows.join("\n")}\n`);
    const result = await run([
      "import",
      "t.csv",
      "--list",
      "2",
      "--chunk-size",
      "1000",
      "--rate-limit",
      "0",
      "--wait",
      "--timeout",
      "0.2",
    ]);
    expect(result.code).toBe(1);
    const creates = server.control
      .requests()
      .filter((request) => request.method === "POST" && request.status === 201).length;
    expect(creates).toBeGreaterThan(1);
    const chunkLines = result.stderr.match(/→ activity (\S+)/g) ?? [];
    const created = chunkLines.map((line) => line.split(" ").pop()!);
    expect(created).toHaveLength(creates);
    expect(result.stderr).toContain(
      `The jobs are still running: follow them later with ctct-bulk wait ${created.join(" ")}\n`,
    );
  });

  it("downloads an export created with --no-wait by its id, and refuses what is not one", async () => {
    await writeFile(join(dir, "e.csv"), "EMAIL ADDRESS\nexp1@example.com\nexp2@example.com\n");
    const imported = await run(["import", "e.csv", "--list", "4", "--wait", "--json"]);
    const created = await run(["export", "--list", "4", "--no-wait", "--json"]);
    expect(created.stderr).toContain("download it when done with ctct-bulk export --activity");
    const id = JSON.parse(created.stdout).activity.id as string;
    const downloaded = await run(["export", "--activity", id, "--out", "got.csv"]);
    expect(downloaded.code).toBe(0);
    expect((await readFile(join(dir, "got.csv"), "utf8")).split("\n").slice(0, 3)).toEqual([
      expect.stringMatching(/^EMAIL ADDRESS,/),
      expect.stringMatching(/^exp1@example\.com,/),
      expect.stringMatching(/^exp2@example\.com,/),
    ]);
    const importId = JSON.parse(imported.stdout).chunks[0].activityId as string;
    const notExport = await run(["export", "--activity", importId, "--out", "x.csv"]);
    expect(notExport.code).toBe(2);
    expect(notExport.stderr).toContain("it is not an export (its type is ADD_CONTACTS)");
    expect((await run(["export", "--out", "x.csv"])).stderr).toContain("Missing --list");
    expect(
      (await run(["export", "--list", "4", "--activity", id, "--out", "x.csv"])).stderr,
    ).toContain("choose one");
  });

  it("downloads an export by its file's URI or name (the File: that status shows), and status and wait point there", async () => {
    await writeFile(join(dir, "f.csv"), "EMAIL ADDRESS\nfile1@example.com\n");
    await run(["import", "f.csv", "--list", "5", "--wait"]);
    const created = await run(["export", "--list", "5", "--no-wait", "--json"]);
    const id = JSON.parse(created.stdout).activity.id as string;
    await run(["wait", id]);
    const shown = await run(["status", id]);
    const fileUri = /^File: +(\S+)$/m.exec(shown.stdout)?.[1];
    expect(fileUri).toMatch(new RegExp(`/activities/${id}\\.csv$`));
    expect(shown.stdout).toContain(`\nDownload: ctct-bulk export --activity ${id} --out FILE`);
    for (const ref of [fileUri!, `${id}.csv`, `${id.toUpperCase()}.CSV`]) {
      await rm(join(dir, "by-file.csv"), { force: true });
      const downloaded = await run(["export", "--activity", ref, "--out", "by-file.csv"]);
      expect(downloaded.stderr).not.toContain("Error");
      expect(downloaded.code).toBe(0);
      expect(await readFile(join(dir, "by-file.csv"), "utf8")).toMatch(
        /^EMAIL ADDRESS,.*\nfile1@example\.com,/,
      );
    }
    for (const command of ["status", "wait"]) {
      const result = await run([command, `${id}.csv`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `Error: Invalid activity "${id}.csv": it names an export's file: download it with ctct-bulk export --activity ${id}.csv --out FILE, or name the activity without ".csv"\nRun ctct-bulk ${command} --help for the options\n`,
      );
    }
  });

  it("says that --sandbox starts from an empty account when an activity is not found there", async () => {
    for (const args of [
      ["status", "a07e1ffaxjyffmvqgiz"],
      ["wait", "a07e1ffaxjyffmvqgiz"],
      ["export", "--activity", "a07e1ffaxjyffmvqgiz", "--out", "x.csv"],
    ]) {
      const result = await run([...args, "--sandbox"]);
      expect(result.code).toBe(1);
      expect(result.stderr.split("\n")[1]).toBe(
        "--sandbox starts every run from an empty account: to keep activities between commands, run ctct-bulk fake-server and point CTCT_BASE_URL at it",
      );
    }
    expect((await run(["status", "a07e1ffaxjyffmvqgiz"])).stderr).toContain(
      "Activities are kept for 14 days",
    );
  });

  it("says how to download an export that outlived --timeout: export --activity, not wait", async () => {
    server = createFakeServer({ clock: "manual" });
    const result = await run(["export", "--list", "2", "--out", "late.csv", "--timeout", "0.2"]);
    expect(result.code).toBe(1);
    const id = /\((a07e[a-z0-9]{15})\)/.exec(result.stderr)?.[1];
    expect(result.stderr).toContain(
      `\nThe export is still running: download it when done with ctct-bulk export --activity ${id} --out late.csv\n`,
    );
  });

  it("says the time zone of the times it shows (UTC), in status and in the activities table", async () => {
    await writeFile(join(dir, "tz.csv"), "EMAIL ADDRESS\ntz@example.com\n");
    const imported = await run(["import", "tz.csv", "--list", "3", "--wait", "--json"]);
    const id = JSON.parse(imported.stdout).chunks[0].activityId as string;
    const shown = await run(["status", id], { TZ: "America/New_York" });
    expect(shown.stdout).toMatch(/^Created: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    expect(shown.stdout).toMatch(/^Finished: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    const table = await run(["activities"]);
    expect(table.stdout.split("\n")[0]).toMatch(/ CREATED \(UTC\)$/);
  });

  it("validate of a file that is not UTF-8 says how to name its encoding, as import does", async () => {
    await writeFile(
      join(dir, "latin.csv"),
      Buffer.from("EMAIL ADDRESS,FIRST NAME\njose@example.com,Jos\xe9\n", "latin1"),
    );
    const result = await run(["validate", "latin.csv"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      'Checked 0 rows of "latin.csv": 1 error, 0 warnings (reading stopped at line 2)\nSave the file as UTF-8, or name its encoding with --encoding (windows-1252 for Excel\'s CSV on Windows)\n',
    );
    expect((await run(["validate", "latin.csv", "--encoding", "windows-1252"])).code).toBe(0);
  });

  it("names a row too large for any request, in validate and in import (a usage error, nothing sent)", async () => {
    await writeFile(
      join(dir, "huge.csv"),
      `EMAIL ADDRESS,CUSTOM FIELD 1\nok@example.com,x\nbig@example.com,${"y".repeat(1_900_000)}\n`,
    );
    const validated = await run(["validate", "huge.csv"]);
    expect(validated.code).toBe(4);
    expect(validated.stdout).toContain(
      "huge.csv:3: Row too large for one request: 1900053 bytes once form-encoded with the header, over the limit of 1900000",
    );
    const imported = await run(["import", "huge.csv", "--list", "2"]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toBe(
      'Error: Row at line 3 of "huge.csv" is too large for one request: 1900053 bytes once form-encoded with the header, over the limit of 1900000\nShorten that row\'s fields (or take the row out) and run the same command again: nothing was sent\n',
    );
    expect(posts()).toBe(0);
  });

  it("gives the state file's absolute path in the JSON result of an import", async () => {
    await writeFile(join(dir, "abs.csv"), "EMAIL ADDRESS\nabs1@example.com\n");
    const result = await run(["import", "abs.csv", "--list", "2", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).stateFile).toBe(join(dir, "abs.csv.ctct-bulk.json"));
  });

  it("takes help <command> as git and npm do", async () => {
    const help = await run(["help", "export"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await run(["export", "--help"])).stdout);
    expect((await run(["help"])).stdout).toContain("ctct-bulk <command> [options]");
  });

  it("prints help and the version on stdout", async () => {
    const help = await run(["export", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("ctct-bulk export");
    expect(help.stdout).toContain("--include-list-name");
    // An export sends one request and reads no file: no "chunks" in its --dry-run.
    expect(help.stdout).toContain("--dry-run            Show the request that would be sent");
    expect((await run(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("refuses --json with --ndjson", async () => {
    const result = await run(["lists", "--json", "--ndjson"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--json and --ndjson cannot be used together");
  });

  it("refuses to clear system or named lists, and a list without --yes off a terminal, before any request", async () => {
    for (const list of ["do-not-mail", "Active", "Awaiting Confirmation", "removed"]) {
      const result = await run(["clear", "--list", list, "--yes"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Cannot clear list "${list}"`);
    }
    expect((await run(["clear", "--list", "2"])).stderr).toContain(
      "Refusing to clear lists without --yes",
    );
    expect(posts()).toBe(0);
  });

  it("shows a clear as a dry run without sending it", async () => {
    const result = await run(["clear", "--list", "4", "--dry-run", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      dryRun: true,
      requests: [
        {
          activityType: "CLEAR_CONTACTS_FROM_LISTS",
          lists: [
            `http://api.constantcontact.com/ws/customers/${DEFAULT_ACCOUNT.username}/lists/4`,
          ],
        },
      ],
    });
    expect(posts()).toBe(0);
  });

  it("refuses bad export options before any request", async () => {
    expect((await run(["export", "--list", "2"])).stderr).toContain("Missing --out");
    expect((await run(["export", "--list", "2", "--out", "-", "--ndjson"])).code).toBe(2);
    const column = await run([
      "export",
      "--list",
      "2",
      "--out",
      "x.csv",
      "--columns",
      "FIRST NAME,SHOE SIZE",
    ]);
    expect(column.code).toBe(2);
    expect(column.stderr).toContain('Unknown export column "SHOE SIZE"');
    // the list names every column --columns accepts, EMAIL ADDRESS among them
    expect(column.stderr).toContain("expected one of EMAIL ADDRESS (always exported), FIRST NAME");
    expect(posts()).toBe(0);
  });

  it("exports the email addresses alone when --columns names only EMAIL ADDRESS, and refuses an empty --columns", async () => {
    await writeFile(join(dir, "only.csv"), "EMAIL ADDRESS,FIRST NAME\nonly1@example.com,Ann\n");
    expect((await run(["import", "only.csv", "--list", "3", "--wait"])).code).toBe(0);
    const dry = await run([
      "export",
      "--list",
      "3",
      "--columns",
      "email address",
      "--out",
      "only-out.csv",
      "--dry-run",
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("  columns=EMAIL ADDRESS\n");
    const exported = await run([
      "export",
      "--list",
      "3",
      "--columns",
      "EMAIL ADDRESS",
      "--out",
      "only-out.csv",
    ]);
    expect(exported.code).toBe(0);
    expect((await readFile(join(dir, "only-out.csv"), "utf8")).split(/\r?\n/)[0]).toBe(
      "EMAIL ADDRESS",
    );
    const empty = await run(["export", "--list", "3", "--columns", "", "--out", "x.csv"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr.split("\n")[0]).toBe(
      'Error: Invalid --columns "": name at least one column (leave --columns out to export them all)',
    );
  });

  it("refuses to run an import whose state file another run is using, and leaves no lock behind", async () => {
    await writeFile(join(dir, "l.csv"), "EMAIL ADDRESS\nl1@example.com\n");
    // This process stands for a run still going: its pid is alive.
    await writeFile(
      join(dir, "l.csv.ctct-bulk.json.lock"),
      JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }),
    );
    const refused = await run(["import", "l.csv", "--list", "2", "--resume"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split("\n")[0]).toBe(
      `Error: Another ctct-bulk run (process ${process.pid}) is using "l.csv.ctct-bulk.json": a second run at the same time would send its chunks again`,
    );
    expect(posts()).toBe(0);
    await rm(join(dir, "l.csv.ctct-bulk.json.lock"));
    expect((await run(["import", "l.csv", "--list", "2"])).code).toBe(0);
    await expect(stat(join(dir, "l.csv.ctct-bulk.json.lock"))).rejects.toThrow(/ENOENT/);
  });

  it("counts rows and requests in the progress bar in words that agree with the number", async () => {
    await writeFile(join(dir, "one.csv"), "EMAIL ADDRESS\none1@example.com\n");
    const context = testContext({
      cwd: dir,
      tty: true,
      env: accountEnv(),
    });
    const code = await runCli(["import", "one.csv", "--list", "2"], {
      ...context,
      fetch: server.fetch as typeof globalThis.fetch,
    });
    expect(code).toBe(0);
    expect(context.stderr.text).toContain("| 1 row | 1 request |");
    expect(context.stderr.text).not.toMatch(/\b1 (rows|requests)\b/);
  });

  it("refuses a chunk size outside the API's limit", async () => {
    await writeFile(join(dir, "c.csv"), "EMAIL ADDRESS\nann@example.com\n");
    const result = await run(["import", "c.csv", "--list", "2", "--chunk-size", "2000000"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Invalid --chunk-size "2000000": expected a whole number of bytes from 1000 to 1900000',
    );
  });

  it("exits 5 with no credentials anywhere, naming what to set", async () => {
    const result = await run(["lists"], { CTCT_USERNAME: "", CTCT_API_KEY: "", CTCT_PASSWORD: "" });
    expect(result.code).toBe(5);
    expect(result.stderr.split("\n")[0]).toBe(
      "Error: No credentials: set CTCT_USERNAME with CTCT_API_KEY and CTCT_PASSWORD (or CTCT_ACCESS_TOKEN)",
    );
  });

  it("reports a missing activity in one line and a hint", async () => {
    const result = await run(["status", "a07eaaaaaaaaaaaaaaa"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(2);
    expect(result.stderr).not.toContain("    at ");
  });

  it("says plainly when the fake server's port is taken or out of range", async () => {
    const { createServer } = await import("node:net");
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as { port: number };
    try {
      const taken = await run(["fake-server", "--port", String(port)]);
      expect(taken.code).toBe(2);
      expect(taken.stderr.split("\n")[0]).toBe(
        `Error: Port ${port} on 127.0.0.1 is already in use: stop what holds it, or pick another with --port (0 takes any free port)`,
      );
    } finally {
      holder.close();
    }
    expect((await run(["fake-server", "--port", "70000"])).code).toBe(2);
    // An empty host would listen on every interface: the fake server is for this machine.
    for (const host of ["", " "]) {
      const empty = await run(["fake-server", "--port", "0", "--host", host]);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toBe(
        `Error: Invalid --host "${host}": expected an interface's address or name, e.g. 127.0.0.1 or 0.0.0.0\nRun ctct-bulk fake-server --help for the options\n`,
      );
    }
    const seed = await run(["fake-server", "--port", "0", "--seed", "no-seed.json"]);
    expect(seed.code).toBe(2);
    expect(seed.stderr.split("\n")[0]).toBe(
      'Error: Cannot read --seed file "no-seed.json": no such file',
    );
  });

  it("writes validate's diagnostics as JSON, or as events then a result", async () => {
    await writeFile(
      join(dir, "v.csv"),
      `EMAIL ADDRESS,STATE\n${"ok@example.com,MA\n".repeat(30)}bad,MA\n`,
    );
    const json = JSON.parse((await run(["validate", "v.csv", "--json"])).stdout);
    expect(json).toMatchObject({
      file: "v.csv",
      rows: 31,
      accepted: 30,
      rejected: 1,
      errors: 1,
      warnings: 0,
    });
    expect(json.diagnostics).toEqual([
      {
        severity: "error",
        message: 'Invalid email address "bad"',
        line: 32,
        email: "bad",
        field: "EMAIL ADDRESS",
      },
    ]);
    const events = (await run(["validate", "v.csv", "--ndjson"])).stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.type)).toEqual(["diagnostic", "result"]);
  });
});
