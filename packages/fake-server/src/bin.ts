#!/usr/bin/env node
// The `ctct-fake-server` command: the fake API on a port, for manual runs and other processes.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_ACCOUNT, type FakeSeed } from "./accounts.ts";
import type { ClockMode } from "./clock.ts";
import { checkFaultRule, type FaultRule } from "./faults.ts";
import { DEFAULT_LOG_BODY_BYTES } from "./requests-log.ts";
import { describeListenError, startFakeServer } from "./start.ts";

const USAGE = `Usage: ctct-fake-server [options]

A fake Constant Contact Bulk Activities API on a port.

Options:
  --port <n>          port to listen on (default 8787; 0 = any free port)
  --host <host>       interface to listen on (default 127.0.0.1)
  --seed <json|file>  JSON seed, inline or a file: { "accounts": [...], "lists": [...], "contacts": [...] }
  --job-delay <ms>    how long each job status step takes (default 400)
  --clock <mode>      realistic (default), immediate or manual
  --faults <json|file>  fault rules: a JSON array (or object), or a file holding one
  --random-seed <n>   seed of activity ids and fault draws (default 1)
  --log-body-bytes <n>  parameter text the request log keeps, newest requests first (default 8388608)
  -h, --help          this help
  --version           print the version`;

function fail(message: string): never {
  console.error(`ctct-fake-server: ${message}`);
  console.error("Run ctct-fake-server --help for the options");
  process.exit(2);
}

function readJsonArgument(value: string, option: string): unknown {
  const trimmed = value.trim();
  const text =
    trimmed.startsWith("{") || trimmed.startsWith("[") ? trimmed : readText(value, option);
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`Invalid JSON in ${option} "${value}": ${(error as Error).message}`);
  }
}

/** What a file-system error code means, in the words a user reads. */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
};

function readText(path: string, option: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      `Cannot read ${option} file "${path}": ${(code && FILE_PROBLEMS[code]) ?? code ?? (error as Error).message}`,
    );
  }
}

function readNumber(
  value: string | undefined,
  option: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === "" || !Number.isInteger(number) || number < 0 || number > max)
    fail(
      max === Number.MAX_SAFE_INTEGER
        ? `Invalid ${option} "${value}": expected a whole number ≥ 0`
        : `Invalid ${option} "${value}": expected a whole number from 0 to ${max}`,
    );
  return number;
}

let parsed: ReturnType<typeof parseArgs<{ options: typeof options }>>;
const options = {
  port: { type: "string" },
  host: { type: "string" },
  seed: { type: "string" },
  "job-delay": { type: "string" },
  clock: { type: "string" },
  faults: { type: "string" },
  "random-seed": { type: "string" },
  "log-body-bytes": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;
try {
  parsed = parseArgs({ options, strict: true, allowPositionals: false });
} catch (error) {
  fail((error as Error).message);
}
const values = parsed.values;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.version) {
  // src/ and dist/ are both one level under the package's folder
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  console.log(`ctct-fake-server ${pkg.version}`);
  process.exit(0);
}

const clock = (values.clock ?? "realistic") as ClockMode;
if (!["immediate", "realistic", "manual"].includes(clock))
  fail(`Invalid --clock "${values.clock}": expected realistic, immediate or manual`);
const seed =
  values.seed === undefined ? undefined : (readJsonArgument(values.seed, "--seed") as FakeSeed);
// Inline JSON is named by the option alone, a file by its path too.
const seedName =
  values.seed === undefined || /^\s*[[{]/.test(values.seed) ? "--seed" : `--seed "${values.seed}"`;
if (seed !== undefined && (typeof seed !== "object" || seed === null || Array.isArray(seed)))
  fail(`Invalid ${seedName}: expected a JSON object with accounts, lists or contacts`);
// The banner shows the default account's credentials as the seed may have set them.
const shownAccount =
  (Array.isArray(seed?.accounts) ? seed.accounts : []).find(
    (account) =>
      typeof account?.username === "string" &&
      account.username.toLowerCase() === DEFAULT_ACCOUNT.username,
  ) ?? DEFAULT_ACCOUNT;
let faults: FaultRule[] = [];
if (values.faults !== undefined) {
  const raw = readJsonArgument(values.faults, "--faults");
  try {
    faults = (Array.isArray(raw) ? raw : [raw]).map((rule, index) =>
      checkFaultRule(rule, `--faults rule ${index + 1}`),
    );
  } catch (error) {
    fail((error as Error).message);
  }
}

const port = readNumber(values.port, "--port", 8787, 65535);
const host = values.host ?? "127.0.0.1";
const jobDelay = readNumber(values["job-delay"], "--job-delay", 400);
const randomSeed = readNumber(values["random-seed"], "--random-seed", 1);
const requestLogBodyBytes = readNumber(
  values["log-body-bytes"],
  "--log-body-bytes",
  DEFAULT_LOG_BODY_BYTES,
);
try {
  const running = await startFakeServer({
    port,
    host,
    clock,
    jobDelay,
    randomSeed,
    faults,
    requestLogBodyBytes,
    ...(seed === undefined ? {} : { seed }),
  }).catch((error: unknown) => {
    // Socket errors carry a code; anything else was thrown while applying the seed.
    if (typeof (error as NodeJS.ErrnoException).code === "string")
      fail(describeListenError(error as NodeJS.ErrnoException, host, port));
    if (seed !== undefined) fail(`Invalid ${seedName}: ${(error as Error).message}`);
    throw error;
  });
  const { username, apiKey, password, accessToken } = shownAccount;
  console.log(`ctct-fake-server listening on ${running.origin}`);
  console.log(`  API base URL:  ${running.url}  (account "${username}")`);
  console.log(`  Basic auth:    user "${apiKey}%${username}", password "${password}"`);
  console.log(`  Bearer token:  ${accessToken ?? "none (the seed gives this account none)"}`);
  console.log(`  Inspection:    ${running.origin}/_fake/requests`);
  console.log(`  Jobs:          ${clock} clock, ${jobDelay} ms a status step`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`ctct-fake-server: ${signal}, shutting down`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
} catch (error) {
  fail((error as Error).message);
}
