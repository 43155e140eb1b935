import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import type { CliContext } from "./context.ts";

/**
 * Whether the run can ask the user a question: stdin and stderr are both terminals.
 *
 * @param context The process's streams.
 * @returns `true` on an interactive terminal.
 * @example Deciding whether to prompt
 * ```ts
 * import { processContext } from "@ctct-bulk/cli";
 * import { canPrompt } from "./prompt.ts"; // internal to @ctct-bulk/cli
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
 * import { processContext } from "@ctct-bulk/cli";
 * import { ask } from "./prompt.ts"; // internal to @ctct-bulk/cli
 * const answer = await ask(processContext(), "Clear 2 lists? [y/N] ");
 * ```
 */
export async function ask(
  context: Pick<CliContext, "stdin" | "stderr" | "signal">,
  question: string,
  options: { hidden?: boolean } = {},
): Promise<string> {
  // readline has no option to hide what is typed: it echoes through its output, so the output is
  // a sink that passes the question and then, for a secret, only the final line break.
  let muted = false;
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      if (!muted) context.stderr.write(text);
      else if (/[\r\n]/.test(text)) context.stderr.write("\n");
      done();
    },
  });
  Object.assign(sink, { isTTY: context.stderr.isTTY, columns: context.stderr.columns });
  const readline = createInterface({
    input: context.stdin,
    output: sink,
    terminal: context.stdin.isTTY === true,
  });
  try {
    const answer = readline.question(question, context.signal ? { signal: context.signal } : {});
    // The question is written at once; what follows is the echo of the answer.
    muted = options.hidden === true;
    return (await answer).trim();
  } finally {
    readline.close();
  }
}
