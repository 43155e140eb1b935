/**
 * yargs's own messages for a bad command line name options without their dashes ("Missing
 * required argument: list", "Argument: sort, Given: …") and cannot tell an unknown option from an
 * extra argument. They are reworded here in the CLI's own style (`Invalid --sort "size": …`), so
 * every bad value names the flag as it is typed. Hand-written: yargs's `updateStrings` can change
 * the words around a name but not add the dashes to each of a list of names.
 */

const dashed = (name: string): string => `--${name}`;

/** `--name`, `--name=…`, `--no-name`: a long option as typed; `-n` inside `-xn`: a short one. */
function typedOption(name: string, argv: readonly string[]): string | undefined {
  for (const argument of argv) {
    if (argument === "--") break;
    if (
      argument === `--${name}` ||
      argument.startsWith(`--${name}=`) ||
      argument === `--no-${name}`
    )
      return `--${name}`;
    if (name.length === 1 && /^-[^-]/.test(argument) && argument.slice(1).includes(name))
      return `-${name}`;
  }
  return undefined;
}

function names(list: string): string[] {
  return list.split(", ").filter((name) => name !== "");
}

/**
 * Rewords a yargs usage message so that it names options as they are typed.
 *
 * @param message yargs's message.
 * @param argv The arguments after the program's name.
 * @returns The message to print; one yargs did not write is returned as it is.
 * @example A required option
 * ```ts
 * import { usageMessage } from "./usage-message.ts"; // internal to @ctct-bulk/cli
 * usageMessage("Missing required argument: list", ["import", "a.csv"]); // "Missing --list"
 * ```
 */
export function usageMessage(message: string, argv: readonly string[]): string {
  let match = /^Missing required arguments?: (.+)$/.exec(message);
  if (match) return `Missing ${names(match[1]!).map(dashed).join(", ")}`;
  match = /^Not enough arguments following: (.+)$/.exec(message);
  if (match) return `Missing the value of --${match[1]}`;
  match = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
  if (match) return `--${match[1]} and --${match[2]} cannot be used together`;
  match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match) {
    const parts = names(match[1]!).map((name) => {
      const option = typedOption(name, argv);
      return option ? `unknown option ${option}` : `unexpected argument "${name}"`;
    });
    const text = parts.join("; ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (message.startsWith("Invalid values:")) {
    const parts = [...message.matchAll(/Argument: (\S+), Given: (.+?), Choices: (.+)$/gm)].map(
      ([, name, given, choices]) => `invalid --${name} ${given}: expected one of ${choices}`,
    );
    if (parts.length === 0) return message;
    const text = parts.join("; ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return message;
}
