import yargs, { type Argv } from "yargs";
import packageJson from "../package.json" with { type: "json" };
import { usageError } from "./cli-error.ts";
import type { CommandDefinition, GlobalArgs, Session } from "./command.ts";
import { COMMANDS } from "./commands/all.ts";
import type { CliContext } from "./context.ts";
import { describeError } from "./describe-error.ts";
import { EXIT_CODE_MEANINGS, EXIT_CODES } from "./exit-codes.ts";
import { checkNumberOptions } from "./number-options.ts";
import { createOutput, type Output } from "./output.ts";
import { usageMessage } from "./usage-message.ts";

/**
 * The options every command takes, as yargs definitions (the reference page is generated from
 * them).
 *
 * @example Listing the global flags
 * ```ts
 * import { GLOBAL_OPTIONS } from "@ctct-bulk/cli";
 * Object.keys(GLOBAL_OPTIONS); // ["json", "ndjson", "quiet", "verbose", "color", "base-url", "rate-limit", "sandbox"]
 * ```
 */
export const GLOBAL_OPTIONS: Record<string, import("yargs").Options> = {
  json: {
    type: "boolean",
    describe: "Write the result to stdout as one JSON document",
    conflicts: "ndjson",
  },
  ndjson: {
    type: "boolean",
    describe: "Write events and the result to stdout as JSON, one object a line",
  },
  quiet: {
    alias: "q",
    type: "boolean",
    describe: "Print nothing on stderr but errors (no progress, no messages)",
  },
  verbose: {
    alias: "v",
    type: "boolean",
    describe: "Explain errors with their causes and log each request",
    conflicts: "quiet",
  },
  color: {
    type: "boolean",
    describe:
      "Colour the output (default: on a terminal, unless NO_COLOR is set); --no-color turns it off",
  },
  "base-url": {
    type: "string",
    describe: `The API root, the username is appended (env CTCT_BASE_URL; default https://api.constantcontact.com/ws/customers)`,
  },
  "rate-limit": {
    type: "number",
    requiresArg: true,
    describe: "The most requests a second (default 4, what the API allows; 0 turns the limit off)",
  },
  sandbox: {
    type: "boolean",
    default: false,
    describe:
      "Run against a fake server inside this process, with the demo account (no credentials)",
  },
};

const EPILOGUE = [
  "Credentials come from the environment (CTCT_USERNAME with CTCT_API_KEY and CTCT_PASSWORD, or with CTCT_ACCESS_TOKEN) or from the file written by `ctct-bulk login`. Results go to stdout; messages and progress to stderr.",
  "",
  "Exit codes:",
  ...EXIT_CODE_MEANINGS.map(({ code, meaning }) => `  ${String(code).padStart(3)}  ${meaning}`),
  "",
  "Documentation: https://github.com/ctct-bulk/ctct-bulk/tree/main/docs/cli",
].join("\n");

/**
 * yargs's message for a missing positional counts "non-option arguments": name the argument
 * instead, with the command's usage line.
 */
function plainUsageMessage(
  message: string | undefined,
  argv: readonly string[],
): string | undefined {
  if (!message?.startsWith("Not enough non-option arguments")) return message;
  const definition = COMMANDS.find((command) => command.command.split(" ")[0] === argv[0]);
  const positionals = definition?.command.split(" ").slice(1) ?? [];
  const missing = positionals.filter((word) => word.startsWith("<"));
  if (!definition || missing.length === 0) return message;
  return `Missing ${missing.join(" ")}: ctct-bulk ${definition.command} [options]`;
}

/** Options of {@linkcode buildCli}. */
export interface BuildCliOptions {
  /** Where the chosen command's exit code is put once it has run. */
  onExit?: (code: number) => void;
  /** The width help text wraps at (default: the terminal's, at most 100). */
  wrap?: number;
}

function globalsOf(args: Record<string, unknown>): GlobalArgs {
  return {
    json: args.json === true,
    ndjson: args.ndjson === true,
    quiet: args.quiet === true,
    verbose: args.verbose === true,
    color: typeof args.color === "boolean" ? args.color : undefined,
    baseUrl: typeof args.baseUrl === "string" ? args.baseUrl : undefined,
    sandbox: args.sandbox === true,
    rateLimit: typeof args.rateLimit === "number" ? args.rateLimit : undefined,
  };
}

function outputFor(context: CliContext, globals: GlobalArgs): Output {
  return createOutput(context, {
    mode: globals.json ? "json" : globals.ndjson ? "ndjson" : "human",
    quiet: globals.quiet,
    verbose: globals.verbose,
    ...(globals.color === undefined ? {} : { color: globals.color }),
  });
}

/**
 * The options with `requiresArg` on every one that takes a value: yargs otherwise reads
 * `--port` or `--sheet` typed without a value as not given (the default, silently), or `--limit`
 * as `NaN`. A repeatable option takes one value each time it is typed (`--list 2 --list 3`):
 * yargs would otherwise take every word after it, the file too (`import --list 2 contacts.csv`).
 */
function valued(
  options: Record<string, import("yargs").Options>,
): Record<string, import("yargs").Options> {
  return Object.fromEntries(
    Object.entries(options).map(([name, option]) => [
      name,
      option.type === "boolean"
        ? option
        : { ...option, requiresArg: true, ...(option.array ? { nargs: 1 } : {}) },
    ]),
  );
}

function register(
  parser: Argv,
  definition: CommandDefinition,
  context: CliContext,
  options: BuildCliOptions,
  argv: readonly string[],
): Argv {
  const name = definition.command.split(" ")[0]!;
  return parser.command({
    command: definition.command,
    describe: definition.describe,
    builder: (command: Argv) => {
      for (const [key, positional] of Object.entries(definition.positionals ?? {}))
        command = command.positional(key, positional);
      command = command.options(valued(definition.options ?? {}));
      const own = Object.keys(definition.options ?? {});
      if (own.length > 0) command = command.group(own, "Options:");
      for (const [example, meaning] of definition.examples ?? [])
        command = command.example(example, meaning);
      if (definition.epilogue) command = command.epilogue(definition.epilogue);
      const check = definition.check;
      command = command.check((args) => {
        try {
          checkNumberOptions(args, argv);
          check?.(args);
        } catch (error) {
          throw usageError((error as Error).message, name);
        }
        return true;
      });
      return command;
    },
    handler: async (args: Record<string, unknown>) => {
      const globals = globalsOf(args);
      const session: Session = { context, output: outputFor(context, globals), globals };
      options.onExit?.((await definition.run(args, session)) ?? EXIT_CODES.SUCCESS);
    },
  });
}

/**
 * Builds the `ctct-bulk` yargs parser over the given arguments. {@linkcode runCli} runs it; this is
 * for tests and for generating the reference from the definitions.
 *
 * @param argv The arguments after the program's name.
 * @param context The process's streams and environment.
 * @param options Where the exit code goes, and the help text's width.
 * @returns The parser, not yet run.
 * @example Reading the help text
 * ```ts
 * import { buildCli, processContext } from "@ctct-bulk/cli";
 * buildCli(["--help"], processContext()).parse(["--help"], {}, (_error, _args, help) => help);
 * ```
 */
export function buildCli(
  argv: readonly string[],
  context: CliContext,
  options: BuildCliOptions = {},
): Argv {
  let parser: Argv = yargs([...argv])
    .scriptName("ctct-bulk")
    .usage(
      "$0 <command> [options]\n\nImport, remove, clear and export Constant Contact contact lists in bulk.",
    )
    .options(valued(GLOBAL_OPTIONS))
    .group(Object.keys(GLOBAL_OPTIONS).concat("help", "version"), "Global options:")
    .strict()
    .exitProcess(false)
    .demandCommand(1, "Name a command")
    .version(packageJson.version)
    .help()
    .alias("help", "h")
    .epilogue(EPILOGUE)
    .wrap(options.wrap ?? Math.min(100, context.stdout.columns ?? 80))
    .fail((message, error) => {
      // yargs reports some command-line mistakes (an option without its value) as its own
      // error, YError: a usage error too, not an error of the run.
      if (error && error.name !== "YError") throw error;
      const text = plainUsageMessage(message ?? error?.message, argv) ?? "Invalid command line";
      const command = COMMANDS.find((definition) => definition.command.split(" ")[0] === argv[0]);
      throw usageError(usageMessage(text, argv), command?.command.split(" ")[0]);
    });
  for (const definition of COMMANDS) parser = register(parser, definition, context, options, argv);
  return parser;
}

/**
 * Runs `ctct-bulk` with the given arguments and resolves to the process's exit code: prints help
 * and results to stdout, errors as one line (and a hint) to stderr.
 *
 * @param given The arguments after the program's name (`help [command]` is `[command] --help`).
 * @param context The process's streams and environment.
 * @returns The exit code (see `EXIT_CODES`).
 * @example Validating a file from a script
 * ```ts
 * import { processContext, runCli } from "@ctct-bulk/cli";
 * const code = await runCli(["validate", "contacts.csv", "--json"], processContext());
 * ```
 */
export async function runCli(given: readonly string[], context: CliContext): Promise<number> {
  // `ctct-bulk help [command]`, as git, npm and gh take it: the same as `[command] --help`.
  const argv = given[0] === "help" ? [...given.slice(1, 2), "--help"] : given;
  let exitCode: number = EXIT_CODES.SUCCESS;
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const quiet = argv.includes("--quiet") || argv.includes("-q");
  try {
    const first = argv[0];
    if (
      first !== undefined &&
      !first.startsWith("-") &&
      !COMMANDS.some((command) => command.command.split(" ")[0] === first)
    )
      throw usageError(
        `Unknown command "${first}": expected one of ${COMMANDS.map((command) => command.command.split(" ")[0]).join(", ")}`,
      );
    await buildCli(argv, context, { onExit: (code) => (exitCode = code) }).parseAsync(
      [...argv],
      {},
      (_error, _args, text) => {
        // Help and version text; errors are thrown and reported below.
        if (text && !_error) context.stdout.write(`${text}\n`);
      },
    );
    return exitCode;
  } catch (error) {
    const output = createOutput(context, { quiet, verbose });
    const command = COMMANDS.find((definition) => definition.command.split(" ")[0] === argv[0]);
    const { lines, exitCode: code } = describeError(error, {
      verbose,
      signal: context.signal,
      command: command?.command.split(" ")[0],
      sandbox: argv.includes("--sandbox"),
    });
    for (const line of lines) output.error(line);
    return code;
  }
}
