import type { Options, PositionalOptions } from "yargs";
import type { CliContext } from "./context.ts";
import type { ExitCode } from "./exit-codes.ts";
import type { Output } from "./output.ts";

/** The options every command takes. */
export interface GlobalArgs {
  json: boolean;
  ndjson: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean | undefined;
  baseUrl: string | undefined;
  sandbox: boolean;
  /** `--rate-limit`: requests a second, 0 for none; the client's default when unset. */
  rateLimit: number | undefined;
}

/** What a command's handler is given besides its arguments. */
export interface Session {
  context: CliContext;
  output: Output;
  globals: GlobalArgs;
}

/**
 * One `ctct-bulk` command: its yargs definition (from which `--help` and `docs/cli/reference.md`
 * are generated) and what it does.
 */
export interface CommandDefinition {
  /** The yargs command string, e.g. `"import <file>"`. */
  command: string;
  /** One line for the command list. */
  describe: string;
  positionals?: Record<string, PositionalOptions>;
  options?: Record<string, Options>;
  examples?: readonly (readonly [command: string, meaning: string])[];
  /** Text after the options in the command's help. */
  epilogue?: string;
  /** Checks across options that yargs cannot say; throws a usage error. */
  check?: (args: Record<string, unknown>) => void;
  /** Runs the command; resolves to the exit code (0 when nothing is returned). */
  run(args: Record<string, unknown>, session: Session): Promise<ExitCode | undefined>;
}
