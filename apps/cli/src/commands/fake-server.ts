import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ClockMode, FakeSeed, FaultRule } from "@ctct-bulk/fake-server";
import { CliError, usageError } from "../cli-error.ts";
import type { CommandDefinition } from "../command.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import { fileProblem } from "../input.ts";

/** A JSON option given inline (`[...]`, `{...}`) or as a file holding it, as `ctct-fake-server` reads it. */
async function readJsonOption(value: string, option: string, cwd: string): Promise<unknown> {
  const trimmed = value.trim();
  let text = trimmed;
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
    try {
      text = await readFile(resolve(cwd, value), "utf8");
    } catch (cause) {
      throw usageError(`Cannot read ${option} file "${value}": ${fileProblem(cause)}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw usageError(`Invalid JSON in ${option} "${value}": ${(cause as Error).message}`);
  }
}

/** Inline JSON is named by the option alone, a file by its path too (as `ctct-fake-server` does). */
function seedName(value: string): string {
  return /^\s*[[{]/.test(value) ? "--seed" : `--seed "${value}"`;
}

function wholeNumber(value: unknown, option: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw usageError(
      `Invalid ${option} "${String(value)}": expected a whole number ≥ 0`,
      "fake-server",
    );
  return value;
}

/** `ctct-bulk fake-server`: run the emulator, with the flags of `ctct-fake-server`. */
export const fakeServerCommand: CommandDefinition = {
  command: "fake-server",
  describe: "Run the fake Bulk Activities API (the emulator the tests use) until Ctrl-C",
  options: {
    port: { type: "number", default: 8787, describe: "The port to listen on (0: any free port)" },
    host: { type: "string", default: "127.0.0.1", describe: "The interface to listen on" },
    seed: {
      type: "string",
      requiresArg: true,
      describe:
        'A JSON seed, inline or a file: { "accounts": [...], "lists": [...], "contacts": [...] }',
    },
    "job-delay": {
      type: "number",
      default: 400,
      describe: "How long each job status step takes, in ms",
    },
    clock: {
      type: "string",
      choices: ["realistic", "immediate", "manual"],
      default: "realistic",
      describe: "How jobs move",
    },
    faults: {
      type: "string",
      requiresArg: true,
      describe: "Fault rules: a JSON array (or object), inline or a file",
    },
    "random-seed": {
      type: "number",
      default: 1,
      describe: "The seed of activity ids and fault draws",
    },
    "log-body-bytes": {
      type: "number",
      describe:
        "The parameter text the request log keeps, newest requests first (default 8388608; older entries keep their metadata)",
    },
  },
  examples: [
    [
      "$0 fake-server --port 8787",
      "Then, in another shell: CTCT_BASE_URL=http://127.0.0.1:8787/ws/customers …",
    ],
  ],
  async run(args, { context, output }) {
    const { checkFaultRule, DEFAULT_ACCOUNT, describeListenError, startFakeServer } = await import(
      "@ctct-bulk/fake-server"
    );
    const seed =
      typeof args.seed === "string"
        ? ((await readJsonOption(args.seed, "--seed", context.cwd)) as FakeSeed)
        : undefined;
    if (
      typeof args.seed === "string" &&
      (typeof seed !== "object" || seed === null || Array.isArray(seed))
    )
      throw usageError(
        `Invalid ${seedName(args.seed)}: expected a JSON object with accounts, lists or contacts`,
        "fake-server",
      );
    let faults: FaultRule[] = [];
    if (typeof args.faults === "string") {
      const raw = await readJsonOption(args.faults, "--faults", context.cwd);
      try {
        faults = (Array.isArray(raw) ? raw : [raw]).map((rule, index) =>
          checkFaultRule(rule, `--faults rule ${index + 1}`),
        );
      } catch (cause) {
        throw usageError((cause as Error).message, "fake-server");
      }
    }
    const port = wholeNumber(args.port, "--port");
    if (port > 65535)
      throw usageError(
        `Invalid --port "${port}": expected a whole number from 0 to 65535`,
        "fake-server",
      );
    const host = String(args.host);
    // Node reads an empty host as every interface: said with 0.0.0.0 on purpose, not by a slip.
    if (host.trim() === "")
      throw usageError(
        `Invalid --host "${host}": expected an interface's address or name, e.g. 127.0.0.1 or 0.0.0.0`,
        "fake-server",
      );
    // Checked before the start: an error thrown in it is read as the seed's.
    const jobDelay = wholeNumber(args.jobDelay, "--job-delay");
    const randomSeed = wholeNumber(args.randomSeed, "--random-seed");
    const logBodyBytes =
      args.logBodyBytes === undefined
        ? {}
        : { requestLogBodyBytes: wholeNumber(args.logBodyBytes, "--log-body-bytes") };
    let running: Awaited<ReturnType<typeof startFakeServer>>;
    try {
      running = await startFakeServer({
        port,
        host,
        clock: args.clock as ClockMode,
        jobDelay,
        randomSeed,
        faults,
        ...logBodyBytes,
        ...(seed === undefined ? {} : { seed }),
      });
    } catch (cause) {
      // Socket errors carry a code; anything else was thrown while applying the seed.
      if (typeof (cause as NodeJS.ErrnoException).code === "string")
        throw new CliError(describeListenError(cause as NodeJS.ErrnoException, host, port), {
          exitCode: EXIT_CODES.USAGE,
          cause,
        });
      if (typeof args.seed === "string")
        throw new CliError(`Invalid ${seedName(args.seed)}: ${(cause as Error).message}`, {
          exitCode: EXIT_CODES.USAGE,
          hint: "Run ctct-bulk fake-server --help for the options",
          cause,
        });
      throw cause;
    }
    // The lines to paste name the demo account's credentials as the seed may have set them (as
    // ctct-fake-server's banner does): the defaults would not open it.
    const shown =
      (Array.isArray(seed?.accounts) ? seed.accounts : []).find(
        (account) =>
          typeof account?.username === "string" &&
          account.username.toLowerCase() === DEFAULT_ACCOUNT.username,
      ) ?? DEFAULT_ACCOUNT;
    output.result(
      { url: running.url, origin: running.origin, username: DEFAULT_ACCOUNT.username },
      () =>
        [
          `Fake server listening on ${running.origin} (${String(args.clock)} clock)`,
          shown === DEFAULT_ACCOUNT
            ? "Point the CLI at it with its demo account (fixed, public values of the fake server):"
            : "Point the CLI at it with its demo account (the credentials the seed gave it):",
          `  export CTCT_BASE_URL=${running.url}`,
          `  export CTCT_USERNAME=${shown.username} CTCT_API_KEY=${shown.apiKey} CTCT_PASSWORD=${shown.password}`,
          `Inspection: ${running.origin}/_fake/requests`,
          "Press Ctrl-C to stop.",
        ].join("\n"),
    );
    await new Promise<void>((done) => {
      if (!context.signal || context.signal.aborted) return done();
      context.signal.addEventListener("abort", () => done(), { once: true });
    });
    await running.close();
    output.info("Fake server stopped");
    return EXIT_CODES.SUCCESS;
  },
};
