// Runs the CLI as a user does: `node apps/cli/src/bin.ts …` in a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_ACCOUNT, type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import { afterAll, afterEach, beforeAll } from "vitest";

export const BIN: string = fileURLToPath(new URL("../src/bin.ts", import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string | Uint8Array;
}

/** The environment of a run against `baseUrl` with the demo account (and nothing of ours). */
export function accountEnv(baseUrl: string, home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    CTCT_BASE_URL: baseUrl,
    CTCT_USERNAME: DEFAULT_ACCOUNT.username,
    CTCT_API_KEY: DEFAULT_ACCOUNT.apiKey,
    CTCT_PASSWORD: DEFAULT_ACCOUNT.password,
  };
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "ctct-cli-e2e-"));
}

const children = new Set<ChildProcess>();

/** Kills every CLI still running (a test that failed half-way leaves none behind). */
export function killAll(): void {
  for (const child of children) child.kill("SIGKILL");
}

/** Starts the CLI; `done` resolves when it exits. */
export function startCli(
  args: readonly string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliRun>; stdout: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin!.on("error", () => {});
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout };
}

/** Runs the CLI to its end. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/** A contact file: `count` good rows, and bad ones at the given row indexes. */
export function contactFile(
  count: number,
  bad: ReadonlyMap<number, string> = new Map(),
  prefix = "user",
): string {
  const lines = ["EMAIL ADDRESS,FIRST NAME,LAST NAME,CITY,STATE/PROVINCE (US/CANADA)"];
  for (let index = 0; index < count; index++)
    lines.push(
      bad.get(index) ?? `${prefix}${index}@example.com,First${index},Last${index},"Boston, MA",MA`,
    );
  return `${lines.join("\n")}\n`;
}

/** What every end-to-end file shares: a fake server on a socket, a temporary home and its env. */
export interface CliSuite {
  running: RunningFakeServer;
  dir: string;
  env: Record<string, string>;
}

/**
 * Starts a fake server (immediate clock) and a temporary directory before the file's tests, kills
 * the CLI processes a test left after each, and removes both after the file; `ready` receives
 * them once started.
 */
export function useCliSuite(ready: (suite: CliSuite) => void): void {
  let suite: CliSuite | undefined;
  beforeAll(async () => {
    const running = await startFakeServer({ port: 0, clock: "immediate" });
    const dir = await tempDir();
    suite = { running, dir, env: accountEnv(running.url, dir) };
    ready(suite);
  });
  afterEach(killAll);
  afterAll(async () => {
    await suite?.running.close();
    if (suite) await rm(suite.dir, { recursive: true, force: true });
  });
}
