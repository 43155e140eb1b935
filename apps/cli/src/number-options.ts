/**
 * Checks of the numeric options that yargs cannot say: it reads `--chunk-size abc` as `NaN` and
 * keeps no trace of what was typed, so the message would quote `"NaN"`. The typed text is found
 * again in the command line (hand-written: yargs has no API for a value's raw token).
 */

/** The option names as typed (`chunk-size`), for the keys yargs gives (`chunkSize`). */
function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * What was typed for `--name` on the command line: the last `--name value` or `--name=value`.
 *
 * @param argv The arguments after the program's name.
 * @param name The option's long name, without dashes (`chunk-size`).
 * @returns The typed text, or `undefined` when the option is not on the command line.
 * @example
 * ```ts
 * rawOptionValue(["import", "a.csv", "--chunk-size", "abc"], "chunk-size"); // "abc"
 * ```
 */
export function rawOptionValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === "--") break;
    if (argument === `--${name}`) value = argv[index + 1];
    else if (argument.startsWith(`--${name}=`)) value = argument.slice(name.length + 3);
  }
  return value;
}

/**
 * Throws for a numeric option whose value is not a number (naming what was typed), and for a
 * `--timeout` that is not above 0 (a deadline already passed would give up before the first look).
 *
 * @param args The parsed arguments.
 * @param argv The arguments after the program's name.
 * @throws {Error} `Invalid --chunk-size "abc": expected a number`.
 * @example
 * ```ts
 * checkNumberOptions({ timeout: -1 }, ["wait", "a07e…", "--timeout", "-1"]); // throws
 * ```
 */
export function checkNumberOptions(args: Record<string, unknown>, argv: readonly string[]): void {
  for (const [key, value] of Object.entries(args)) {
    if (key.includes("-") || typeof value !== "number" || !Number.isNaN(value)) continue;
    const name = kebab(key);
    const typed = rawOptionValue(argv, name);
    throw new Error(`Invalid --${name} "${typed ?? ""}": expected a number`);
  }
  const timeout = args.timeout;
  if (typeof timeout === "number" && !(timeout > 0))
    throw new Error(
      `Invalid --timeout "${rawOptionValue(argv, "timeout") ?? timeout}": expected a number of seconds above 0`,
    );
}
