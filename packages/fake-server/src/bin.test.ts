// The standalone binary, run as a user would: node src/bin.ts, a real port, signals.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { AUTH } from "./_test_helpers.ts";

const BIN = fileURLToPath(new URL("./bin.ts", import.meta.url));
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  child = undefined;
});

function start(args: string[]): Promise<{ origin: string; output: () => string }> {
  child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr!.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child!.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match && output.includes("Jobs:")) resolve({ origin: match[1]!, output: () => output });
    });
    child!.once("exit", (code) => reject(new Error(`Exited ${code}: ${output}`)));
  });
}

/** Runs the binary to its end (for options it refuses): its exit code and stderr. */
async function run(args: string[]): Promise<{ code: number | null; errors: string }> {
  child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let errors = "";
  child.stderr!.on("data", (chunk) => {
    errors += chunk;
  });
  const code = await exit();
  return { code, errors };
}

function exit(): Promise<number | null> {
  return new Promise((resolve) => child!.once("exit", (code) => resolve(code)));
}

// Each case starts node processes: a loaded machine (other suites, benchmarks) needs more than 5 s.
describe("ctct-fake-server", { timeout: 30_000 }, () => {
  it("prints its base URL and the demo credentials, serves the API, and stops cleanly on SIGTERM", async () => {
    const { origin, output } = await start(["--port", "0", "--job-delay", "50"]);
    expect(output()).toContain(`${origin}/ws/customers`);
    expect(output()).toContain('user "demo-key%joesflowers", password "demo-password"');
    expect(output()).toContain("demo-token");
    const response = await fetch(`${origin}/ws/customers/joesflowers/lists/1`, { headers: AUTH });
    expect(response.status).toBe(200);
    const exited = exit();
    child!.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("takes a seed file and fault rules as JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ctct-fake-"));
    const seed = join(dir, "seed.json");
    writeFileSync(
      seed,
      JSON.stringify({
        accounts: [
          {
            username: "rosesandco",
            apiKey: "rk",
            password: "rp",
            lists: [{ id: 7, name: "Roses" }],
          },
        ],
        contacts: [{ email: "seeded@example.com", lists: [2] }],
      }),
    );
    const { origin } = await start([
      "--port",
      "0",
      "--seed",
      seed,
      "--faults",
      '[{"route":"GET /ws/customers/:username/lists/2","kind":"status","status":503,"times":1}]',
    ]);
    expect(
      (await fetch(`${origin}/ws/customers/joesflowers/lists/2`, { headers: AUTH })).status,
    ).toBe(503);
    const members = await fetch(`${origin}/_fake/accounts/joesflowers/lists/2/members`);
    expect(((await members.json()) as { email: string }[]).map((member) => member.email)).toEqual([
      "seeded@example.com",
    ]);
    const roses = await fetch(`${origin}/ws/customers/rosesandco/lists/7`, {
      headers: { authorization: `Basic ${btoa("rk%rosesandco:rp")}` },
    });
    expect(roses.status).toBe(200);
    const exited = exit();
    child!.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("shows the credentials a seed gives the default account, and only those open it", async () => {
    const { origin, output } = await start([
      "--port",
      "0",
      "--seed",
      '{"accounts":[{"username":"joesflowers","apiKey":"k2","password":"p2"}]}',
    ]);
    expect(output()).toContain('user "k2%joesflowers", password "p2"');
    expect(output()).not.toContain("demo-password");
    const lists = `${origin}/ws/customers/joesflowers/lists`;
    const seeded = { authorization: `Basic ${btoa("k2%joesflowers:p2")}` };
    expect((await fetch(lists, { headers: seeded })).status).toBe(200);
    expect((await fetch(lists, { headers: AUTH })).status).toBe(401);
  });

  it("names the seed file when its content is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ctct-fake-"));
    const seed = join(dir, "seed.json");
    writeFileSync(seed, JSON.stringify({ contacts: [{ email: "not-an-address" }] }));
    const { code, errors } = await run(["--port", "0", "--seed", seed]);
    expect(code).toBe(2);
    expect(errors).toContain(
      `Invalid --seed "${seed}": Invalid email address "not-an-address" for a seeded contact`,
    );
    const inline = await run(["--port", "0", "--seed", '{"accounts":5}']);
    expect(inline.errors).toContain('Invalid --seed: Invalid seed "accounts": expected an array');
  });

  it("says in plain words why a seed or faults file cannot be read, and its help says inline JSON works", async () => {
    const missing = await run(["--port", "0", "--seed", "no-such-seed.json"]);
    expect(missing.code).toBe(2);
    expect(missing.errors).toContain('Cannot read --seed file "no-such-seed.json": no such file');
    const directory = await run(["--port", "0", "--faults", tmpdir()]);
    expect(directory.errors).toContain(
      `Cannot read --faults file "${tmpdir()}": it is a directory`,
    );
    child = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let help = "";
    child.stdout!.on("data", (chunk) => {
      help += chunk;
    });
    await exit();
    expect(help).toContain("--seed <json|file>");
  });

  it("prints its version with --version, as ctct-bulk and ctct-webhook do", async () => {
    child = spawn(process.execPath, [BIN, "--version"], { stdio: ["ignore", "pipe", "pipe"] });
    let printed = "";
    child.stdout!.on("data", (chunk) => {
      printed += chunk;
    });
    expect(await exit()).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(printed).toBe(`ctct-fake-server ${pkg.version}\n`);
    const help = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    child = help;
    let usage = "";
    help.stdout!.on("data", (chunk) => {
      usage += chunk;
    });
    await exit();
    expect(usage).toContain("--version");
  });

  it("refuses a port out of range, and a port in use, in plain words", async () => {
    const outOfRange = await run(["--port", "70000"]);
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.errors).toContain(
      'Invalid --port "70000": expected a whole number from 0 to 65535',
    );
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const busy = await run(["--port", String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.errors).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(busy.errors).not.toContain("EADDRINUSE");
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("refuses bad options with a message naming the option", async () => {
    child = spawn(process.execPath, [BIN, "--job-delay", "soon"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr!.on("data", (chunk) => {
      errors += chunk;
    });
    expect(await exit()).toBe(2);
    expect(errors).toContain('Invalid --job-delay "soon"');
  });

  it("takes --log-body-bytes, the request log's budget of parameter text", async () => {
    const { origin } = await start([
      "--port",
      "0",
      "--clock",
      "immediate",
      "--log-body-bytes",
      "0",
    ]);
    const response = await fetch(`${origin}/ws/customers/joesflowers/activities`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        activityType: "SV_ADD",
        data: "EMAIL ADDRESS\na@example.com",
        lists: "http://api.constantcontact.com/ws/customers/joesflowers/lists/1",
      }),
    });
    expect(response.status).toBe(201);
    const log = await (await fetch(`${origin}/_fake/requests`)).json();
    expect(log[0]).toMatchObject({ method: "POST", status: 201, paramsDropped: true });
    expect(log[0].params).toBeUndefined();
    child!.kill("SIGKILL");
    expect((await run(["--log-body-bytes", "lots"])).errors).toContain(
      'Invalid --log-body-bytes "lots": expected a whole number ≥ 0',
    );
  });
});
