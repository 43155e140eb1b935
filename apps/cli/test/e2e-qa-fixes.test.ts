// What operators ran into (QA Q3, Q11, Q15, Q21, Q24), run as they ran it.
import { access, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import { describe, expect, it } from "vitest";
import { accountEnv, runCli, useCliSuite } from "./_cli.ts";

let running: RunningFakeServer;
let dir: string;
let env: Record<string, string>;

useCliSuite((suite) => {
  ({ running, dir, env } = suite);
});

function posts(): number {
  return running.server.control.requests().filter((request) => request.method === "POST").length;
}

describe("a base URL", () => {
  it("with a password is refused as a usage error that never prints the password, even with --verbose", async () => {
    const withPassword = running.url.replace("http://", "http://u:sekret-url-XYZ@");
    const run = await runCli(["lists", "-v", "--base-url", withPassword], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Invalid --base-url "${running.url}": credentials go in`);
    expect(run.stdout + run.stderr).not.toContain("sekret-url-XYZ");
    expect(run.stderr).not.toContain("    at ");
  });

  it("from CTCT_BASE_URL that is not a URL is refused naming the variable", async () => {
    const run = await runCli(["lists"], { cwd: dir, env: { ...env, CTCT_BASE_URL: "nonsense" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'Invalid CTCT_BASE_URL "nonsense": expected an http:// or https:// URL',
    );
  });

  it("without /ws/customers gets a 404 with the URL it probably meant, and no 14-day hint", async () => {
    const run = await runCli(["lists", "--base-url", running.origin], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`did you mean --base-url ${running.origin}/ws/customers?`);
    expect(run.stderr).not.toContain("14 days");
  });

  it("that is right gets the 14-day hint only for an activity that is not there", async () => {
    const run = await runCli(["status", "a07eaaaaaaaaaaaaaaa"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Activities are kept for 14 days");
    expect(run.stderr).not.toContain("did you mean");
  });
});

describe("export --out", () => {
  it("into a missing directory fails before the export is created, exit 2", async () => {
    running.server.control.clearRequests();
    const run = await runCli(["export", "--list", "2", "--out", "nonexist/dir/x.csv"], {
      cwd: dir,
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Error: Cannot write "nonexist/dir/x.csv": no such directory');
    expect(run.stderr).not.toContain("ENOENT");
    expect(posts()).toBe(0);
  });
});

describe("--encoding", () => {
  const latin1 = Uint8Array.from([
    ...new TextEncoder().encode("EMAIL ADDRESS,FIRST NAME\r\nlat1@example.com,Ren"),
    0xe9,
    ...new TextEncoder().encode("e\r\n"),
  ]);

  it("is what a windows-1252 file needs: without it, a usage error pointing at it", async () => {
    await writeFile(join(dir, "latin1.csv"), latin1);
    const refused = await runCli(["import", "latin1.csv", "--list", "2"], { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Invalid UTF-8");
    expect(refused.stderr).toContain("--encoding");
    expect(refused.stderr).not.toContain("--resume");
    await expect(access(join(dir, "latin1.csv.ctct-bulk.json"))).rejects.toThrow();

    const imported = await runCli(
      ["import", "latin1.csv", "--list", "2", "--encoding", "windows-1252", "--wait"],
      { cwd: dir, env },
    );
    expect(imported.stderr).not.toContain("Error");
    expect(imported.code).toBe(0);
    const member = running.server.control
      .members(2)
      .find((candidate) => candidate.email === "lat1@example.com");
    expect(member?.fields["FIRST NAME"]).toBe("Renée");
  });

  it("refuses a label it does not know, exit 2", async () => {
    const run = await runCli(["validate", "latin1.csv", "--encoding", "klingon"], {
      cwd: dir,
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid --encoding "klingon"');
  });
});

describe("ctct-bulk fake-server", () => {
  it("says a port in use as ctct-fake-server does, exit 2", async () => {
    const port = new URL(running.origin).port;
    const run = await runCli(["fake-server", "--port", port], {
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `Port ${port} on 127.0.0.1 is already in use: stop what holds it, or pick another with --port (0 takes any free port)`,
    );
  });

  it("names --seed when the seed is refused, exit 2", async () => {
    const run = await runCli(
      ["fake-server", "--port", "0", "--seed", '{"contacts":[{"email":"bad"}]}'],
      { env: { PATH: process.env.PATH ?? "" } },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Error: Invalid --seed: .*"bad"/);
  });
});

describe("ctct-bulk clear", () => {
  it("refuses a numbered list named like a named list before any request, as it refuses the name", async () => {
    const seeded = await startFakeServer({
      port: 0,
      clock: "immediate",
      seed: { lists: [{ id: 10, name: "Do-Not-Mail" }] },
    });
    try {
      const seededEnv = accountEnv(seeded.url, dir);
      for (const list of ["10", "Do-Not-Mail"]) {
        const run = await runCli(["clear", "--list", list, "--yes"], { cwd: dir, env: seededEnv });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`Error: Cannot clear list "${list}"`);
        expect(run.stderr).toContain("cannot be cleared");
      }
      expect(
        seeded.server.control.requests().filter((request) => request.method === "POST"),
      ).toEqual([]);
    } finally {
      await seeded.close();
    }
  });
});

describe("ctct-bulk import against a server that refuses connections", () => {
  it("leaves no state file to resume: a create that never connected created nothing", async () => {
    // The lists are read first (the list ids are checked before any create), then the server
    // goes away: this one answers that read on a connection it closes, and accepts no other.
    const fake = await startFakeServer({ port: 0 });
    const gone = createServer(async (request, response) => {
      gone.close();
      const upstream = await fetch(new URL(request.url ?? "/", fake.origin), {
        headers: { authorization: request.headers.authorization ?? "" },
      });
      response.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "text/plain",
        connection: "close",
      });
      response.end(await upstream.text());
    });
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const { port } = gone.address() as AddressInfo;
    await writeFile(join(dir, "refused.csv"), "EMAIL ADDRESS\nrefused@example.com\n");
    // The create is sent again under the retry policy (about 10 s of backoff), never looked for.
    const run = await runCli(["import", "refused.csv", "--list", "1", "--verbose"], {
      cwd: dir,
      env: accountEnv(`http://127.0.0.1:${port}/ws/customers`, dir),
    }).finally(() => fake.close());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("ECONNREFUSED");
    expect(run.stderr).toContain("so nothing was created");
    expect(run.stderr).not.toMatch(/GET .*activities/);
    expect(run.stderr).not.toContain("--resume");
    await expect(access(join(dir, "refused.csv.ctct-bulk.json"))).rejects.toThrow();
  }, 60_000);
});
