import { createInterface } from "node:readline/promises";
import type { CliContext } from "./context.ts";

/**
 * Whether the run can ask the user a question: stdin and stderr are both terminals.
 *
 * @param context The process's streams.
 * @returns `true` on an interactive terminal.
 * @example Deciding whether to prompt
 * ```ts
 * import { canPrompt, processContext } from "@ctct-bulk/cli";
 * canPrompt(processContext());
 * ```
 */
export function canPrompt(context: Pick<CliContext, "stdin" | "stderr">): boolean {
  return context.stdin.isTTY === true && context.stderr.isTTY === true;
}

/**
 * Asks a question on stderr and reads one line from stdin; with `hidden`, what is typed is not
 * echoed (for passwords).
 *
 * @param context The process's streams.
 * @param question The question, ending with a space.
 * @param options `hidden` for secrets.
 * @returns The answer, trimmed.
 * @example Asking for confirmation
 * ```ts
 * import { ask, processContext } from "@ctct-bulk/cli";
 * const answer = await ask(processContext(), "Clear 2 lists? [y/N] ");
 * ```
 */
export async function ask(
  context: Pick<CliContext, "stdin" | "stderr" | "signal">,
  question: string,
  options: { hidden?: boolean } = {},
): Promise<string> {
  const output = context.stderr as unknown as NodeJS.WritableStream;
  const readline = createInterface({
    input: context.stdin,
    output,
    terminal: context.stdin.isTTY === true,
  });
  if (options.hidden) {
    // readline has no option to hide input: its echo goes through this method, so silence it.
    const internals = readline as unknown as { _writeToOutput: (text: string) => void };
    internals._writeToOutput = (text: string) => {
      if (text.startsWith(question)) output.write(question);
      else if (text.includes("\n") || text.includes("\r")) output.write("\n");
    };
  }
  try {
    const answer = await readline.question(
      question,
      context.signal ? { signal: context.signal } : {},
    );
    return answer.trim();
  } finally {
    readline.close();
  }
}
