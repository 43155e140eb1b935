/**
 * `@ctct-bulk/cli`: the `ctct-bulk` command line for Constant Contact bulk imports, removes, clears
 * and exports. Run it as `ctct-bulk` (`npx @ctct-bulk/cli`); this module exposes the pieces for
 * tests, the reference generator and programs that embed the CLI.
 *
 * @example Running the CLI from a program
 * ```ts
 * import { processContext, runCli } from "@ctct-bulk/cli";
 * process.exitCode = await runCli(["validate", "contacts.csv"], processContext());
 * ```
 *
 * @module
 */

export { type BuildCliOptions, buildCli, GLOBAL_OPTIONS, runCli } from "./cli.ts";
export { CliError, type CliErrorOptions, usageError } from "./cli-error.ts";
export type { CommandDefinition, GlobalArgs, Session } from "./command.ts";
export { COMMANDS } from "./commands/all.ts";
export {
  type CredentialSource,
  type Credentials,
  configPath,
  DEFAULT_BASE_URL,
  readConfig,
  resolveCredentials,
  type StoredConfig,
  writeConfig,
} from "./config.ts";
export { type CliContext, type CliReadable, type CliWritable, processContext } from "./context.ts";
export {
  type DescribeErrorOptions,
  describeError,
  type ErrorDescription,
} from "./describe-error.ts";
export { EXIT_CODE_MEANINGS, EXIT_CODES, type ExitCode } from "./exit-codes.ts";
export {
  type InputFormat,
  type OpenedInput,
  type OpenInputOptions,
  openInputFile,
} from "./input.ts";
export {
  createOutput,
  formatTable,
  type Output,
  type OutputMode,
  type OutputOptions,
  type ProgressDisplay,
  type StatusDisplay,
} from "./output.ts";
export {
  createRejectsWriter,
  dropRejectColumns,
  isRejectsHeader,
  REJECT_COLUMNS,
  type RejectedRow,
  type RejectsWriter,
} from "./rejects.ts";
