import yargs, { type Argv } from "yargs";

/** Builds the `ctct-bulk` yargs parser over the given arguments. */
export function buildCli(argv: readonly string[]): Argv {
  return yargs([...argv])
    .scriptName("ctct-bulk")
    .usage("$0 <command> [options]")
    .strict()
    .demandCommand(1, "Name a command: see --help")
    .help();
}
