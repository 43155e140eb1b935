import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_ACCOUNT, type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import { beforeAll, describe, expect, it } from "vitest";
import { accountEnv, contactFile, runCli, startCli, tempDir, useCliSuite } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

useCliSuite((suite) => {
  ({ running, dir, env } = suite);
});
beforeAll(async () => {
  await writeFile(join(dir, "contacts.csv"), contactFile(60));
  const imported = await runCli(["import", "contacts.csv", "--list", "2", "--wait", "--quiet"], {
    cwd: dir,
    env,
  });
  expect(imported.code).toBe(0);
});

const posts = (): number =>
  running.server.control.requests().filter((request) => request.method === "POST").length;

describe("ctct-bulk --help", () => {
  it("lists every command, the global options and the exit codes", async () => {
    const run = await runCli(["--help"], { env: {} });
    expect(run.code).toBe(0);
    for (const command of [
      "import",
      "remove",
      "clear",
      "export",
      "status",
      "wait",
      "activities",
      "lists",
      "validate",
      "login",
      "fake-server",
    ])
      expect(run.stdout).toContain(`ctct-bulk ${command}`);
    expect(run.stdout).toContain("Global options:");
    expect(run.stdout).toMatch(/130\s+Interrupted/);
  });

  it("says what is wrong with a command line in one line and exits 2", async () => {
    const unknown = await runCli(["import", "contacts.csv", "--list", "2", "--wiat"], { env: {} });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Error: .*wiat/);
    expect(unknown.stderr).toContain("Run ctct-bulk import --help");
    expect(unknown.stderr).not.toContain("    at ");
  });
});

describe("ctct-bulk validate", () => {
  it("reports the server's per-line errors offline, with line numbers, and needs no account", async () => {
    await writeFile(
      join(dir, "bad.csv"),
      'EMAIL ADDRESS,FIRST NAME,STATE/PROVINCE (US/CANADA)\nann@example.com,Ann,MA\nnope,Bo,MA\n\n"multi\nline@example.com",Cy,ZZ\n' +
        Array.from({ length: 30 }, (_, i) => `ok${i}@example.com,Ok,MA`).join("\n"),
    );
    const run = await runCli(["validate", "bad.csv", "--rejects", "fix.csv"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe(
      [
        'bad.csv:3: Invalid email address "nope"',
        'bad.csv:5: Invalid email address "multi\nline@example.com"',
        'bad.csv:5: Unknown US/Canadian state/prov "ZZ"',
        "",
      ].join("\n"),
    );
    expect(run.stderr).toContain('Checked 33 rows of "bad.csv": 3 errors, 0 warnings');
    const rejects = await readFile(join(dir, "fix.csv"), "utf8");
    expect(rejects.split("\n")[1]).toBe('nope,Bo,MA,3,"Invalid email address ""nope"""');
  });

  it("passes a clean file with exit code 0", async () => {
    const run = await runCli(["validate", "contacts.csv", "--quiet"], { cwd: dir, env: {} });
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });
});

describe("ctct-bulk lists, activities, status, wait", () => {
  it("shows the lists as a table and as JSON", async () => {
    const table = await runCli(["lists"], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+CONTACTS\s+URI/);
    expect(table.stdout).toContain("VIP customers");
    const json = JSON.parse((await runCli(["lists", "--json"], { env })).stdout);
    expect(json.find((list: { id: string }) => list.id === "2")).toMatchObject({
      name: "VIP customers",
      system: false,
    });
  });

  it("filters activities and shows one, then waits for it", async () => {
    const list = JSON.parse(
      (
        await runCli(
          [
            "activities",
            "--type",
            "ADD_CONTACTS",
            "--type",
            "ADD_CONTACT_DETAIL",
            "--limit",
            "1",
            "--json",
          ],
          { env },
        )
      ).stdout,
    );
    expect(list).toHaveLength(1);
    const id: string = list[0].id;
    const status = await runCli(["status", id], { env });
    expect(status.stdout).toContain(`Activity: ${id}`);
    expect(status.stdout).toMatch(/Status:\s+COMPLETE/);
    const waited = await runCli(["wait", id, "--json"], { env });
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)[0]).toMatchObject({ id, status: "COMPLETE" });
  });
});

describe("ctct-bulk clear", () => {
  it("refuses system and named lists before any request", async () => {
    const before = posts();
    for (const list of [
      `http://api.constantcontact.com/ws/customers/${DEFAULT_ACCOUNT.username}/lists/do-not-mail`,
    ]) {
      const run = await runCli(["clear", "--list", list, "--yes"], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Cannot clear list "${list}"`);
    }
    expect(posts()).toBe(before);
  });

  it("asks for --yes when it cannot ask, and clears with it", async () => {
    const refused = await runCli(["clear", "--list", "2"], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("without --yes");
    const cleared = await runCli(
      ["clear", "--list", "VIP customers", "--yes", "--wait", "--json"],
      { env },
    );
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.stdout).activity).toMatchObject({
      type: "CLEAR_CONTACTS_FROM_LISTS",
      status: "COMPLETE",
    });
    expect(running.server.control.members(2)).toEqual([]);
    expect(cleared.stderr).toContain('Clear of list "VIP customers" (');
  });
});

describe("ctct-bulk export", () => {
  it("creates an export, waits and downloads it to a file or stdout", async () => {
    const imported = await runCli(["import", "contacts.csv", "--list", "3", "--wait", "--quiet"], {
      cwd: dir,
      env,
    });
    expect(imported.code).toBe(0);
    const run = await runCli(
      [
        "export",
        "--list",
        "3",
        "--out",
        "list-3.csv",
        "--columns",
        "FIRST NAME,last name",
        "--sort",
        "date",
        "--include-date",
        "--json",
      ],
      {
        cwd: dir,
        env,
      },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 60, out: "list-3.csv" });
    const file = await readFile(join(dir, "list-3.csv"), "utf8");
    expect(file.split(/\r?\n/)[0]).toBe("EMAIL ADDRESS,FIRST NAME,LAST NAME,ADD/REMOVE DATE");
    await expect(stat(join(dir, "list-3.csv.partial"))).rejects.toThrow();

    const piped = await runCli(
      ["export", "--list", "3", "--out", "-", "--file-type", "txt", "--columns", "FIRST NAME"],
      { cwd: dir, env },
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout.trim().split(/\r?\n/)).toHaveLength(61);
    expect(piped.stderr).toContain("Exported 60 contacts to stdout");
  });
});

describe("credentials", () => {
  it("exits 5 with wrong credentials, never printing a secret", async () => {
    const wrong = await runCli(["lists", "--verbose"], {
      env: { ...env, CTCT_PASSWORD: "wrong-secret-pw" },
    });
    expect(wrong.code).toBe(5);
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain("wrong-secret-pw");
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain(DEFAULT_ACCOUNT.apiKey);
  });

  it("logs in with a token from stdin, stores it with mode 0600, and uses it", async () => {
    const home = await tempDir();
    const bare = { PATH: process.env.PATH ?? "", HOME: home, XDG_CONFIG_HOME: join(home, "cfg") };
    const login = await runCli(
      ["login", "--username", DEFAULT_ACCOUNT.username, "--token-stdin", "--base-url", running.url],
      {
        env: bare,
        input: `${DEFAULT_ACCOUNT.accessToken}\n`,
      },
    );
    expect(login.stderr).toContain('Logged in as "joesflowers"');
    expect(login.code).toBe(0);
    const path = join(home, "cfg", "ctct-bulk", "config.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      username: DEFAULT_ACCOUNT.username,
      accessToken: DEFAULT_ACCOUNT.accessToken,
      baseUrl: running.url,
    });
    const lists = await runCli(["lists", "--json"], { env: bare });
    expect(lists.code).toBe(0);

    const refused = await runCli(
      ["login", "--username", DEFAULT_ACCOUNT.username, "--token-stdin", "--base-url", running.url],
      {
        env: { ...bare, XDG_CONFIG_HOME: join(home, "other") },
        input: "not-the-token",
      },
    );
    expect(refused.code).toBe(5);
    expect(refused.stderr).not.toContain("not-the-token");
    // The advice is about what was typed, not about the environment or running login.
    expect(refused.stderr).toContain(
      "Nothing was stored: check the username, the access token, and run ctct-bulk login again",
    );
    expect(refused.stderr).not.toContain("CTCT_API_KEY");
    await expect(stat(join(home, "other", "ctct-bulk", "config.json"))).rejects.toThrow();
  });

  it("runs against the built-in fake server with --sandbox, with no credentials", async () => {
    const run = await runCli(["lists", "--sandbox", "--json"], {
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).length).toBeGreaterThan(3);
  });
});

describe("ctct-bulk export, interrupted", () => {
  it("says how to download the export later when Ctrl-C stops the wait (exit 130)", async () => {
    const slow = await startFakeServer({ port: 0, clock: "manual" });
    try {
      const run = startCli(["export", "--list", "2", "--out", "later.csv"], {
        cwd: dir,
        env: accountEnv(slow.url, dir),
      });
      for (let tries = 0; tries < 400 && slow.server.control.requests().length < 3; tries++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      run.child.kill("SIGINT");
      const done = await run.done;
      expect(done.code).toBe(130);
      const id = /\((a07e[a-z0-9]{15})\)/.exec(done.stderr)?.[1];
      expect(done.stderr).toContain(
        `Error: Interrupted\nThe export goes on on the server: download it when done with ctct-bulk export --activity ${id} --out later.csv\n`,
      );
    } finally {
      await slow.close();
    }
  });
});

describe("ctct-bulk fake-server", () => {
  it("serves the API until Ctrl-C", async () => {
    const server = startCli(["fake-server", "--port", "0", "--clock", "immediate", "--json"], {
      env: { PATH: process.env.PATH ?? "" },
    });
    // The JSON result (the server's address) comes first on stdout.
    for (let tries = 0; tries < 400 && !server.stdout().includes("}\n"); tries++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const started = JSON.parse(server.stdout()) as { url: string };
    const lists = await runCli(["lists", "--json"], { env: accountEnv(started.url, dir) });
    expect(lists.code).toBe(0);
    server.child.kill("SIGINT");
    expect((await server.done).code).toBe(0);
  });

  it("takes --log-body-bytes, as ctct-fake-server does", async () => {
    const server = startCli(
      ["fake-server", "--port", "0", "--clock", "immediate", "--json", "--log-body-bytes", "0"],
      { env: { PATH: process.env.PATH ?? "" } },
    );
    for (let tries = 0; tries < 400 && !server.stdout().includes("}\n"); tries++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const started = JSON.parse(server.stdout()) as { url: string; origin: string };
    await writeFile(join(dir, "log.csv"), "EMAIL ADDRESS\nlog@example.com\n");
    const imported = await runCli(["import", "log.csv", "--list", "1"], {
      cwd: dir,
      env: accountEnv(started.url, dir),
    });
    expect(imported.code).toBe(0);
    const log = await (await fetch(`${started.origin}/_fake/requests`)).json();
    expect(log.find((entry: { method: string }) => entry.method === "POST")).toMatchObject({
      status: 201,
      paramsDropped: true,
    });
    server.child.kill("SIGINT");
    expect((await server.done).code).toBe(0);
  });

  it("names a bad number option as itself beside a --seed, not as the seed", async () => {
    const run = await runCli(
      ["fake-server", "--port", "0", "--job-delay", "-1", "--seed", '{"lists":[]}'],
      { env: { PATH: process.env.PATH ?? "" } },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Error: Invalid --job-delay "-1": expected a whole number ≥ 0\nRun ctct-bulk fake-server --help for the options\n',
    );
  });

  it("prints the credentials a --seed gives the demo account, and they open it", async () => {
    const seed = JSON.stringify({
      accounts: [{ username: DEFAULT_ACCOUNT.username, apiKey: "seed-key", password: "seed-pw" }],
    });
    const server = startCli(["fake-server", "--port", "0", "--seed", seed], {
      env: { PATH: process.env.PATH ?? "" },
    });
    for (let tries = 0; tries < 400 && !server.stdout().includes("Ctrl-C"); tries++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const exports = Object.fromEntries(
      [...server.stdout().matchAll(/\b(CTCT_[A-Z_]+)=(\S+)/g)].map((match) => [match[1], match[2]]),
    );
    expect(exports).toMatchObject({
      CTCT_USERNAME: DEFAULT_ACCOUNT.username,
      CTCT_API_KEY: "seed-key",
      CTCT_PASSWORD: "seed-pw",
    });
    const lists = await runCli(["lists", "--json"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        XDG_CONFIG_HOME: join(dir, ".config"),
        ...exports,
      },
    });
    expect(lists.stderr).toBe("");
    expect(lists.code).toBe(0);
    server.child.kill("SIGINT");
    expect((await server.done).code).toBe(0);
  });
});
