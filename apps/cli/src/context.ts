/** A stream the CLI writes to: stdout or stderr, or a test's stand-in. */
export interface CliWritable {
  write(chunk: string): boolean;
  /** Set by Node when the stream is a terminal. */
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

/** Stdin, or a test's stand-in. */
export type CliReadable = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * Everything the CLI takes from its process: environment, working directory, standard streams, an
 * abort signal (Ctrl-C) and, for tests and `--sandbox`, a `fetch` to use instead of the network's.
 */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdin: CliReadable;
  stdout: CliWritable;
  stderr: CliWritable;
  /** Aborted when the user interrupts (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Replaces the network for every request the client makes. */
  fetch?: typeof globalThis.fetch;
}

/**
 * The context of the running process.
 *
 * @param signal Aborted when the process is interrupted.
 * @returns The process's environment, directory and streams.
 * @example Running the CLI as the process
 * ```ts
 * import { processContext, runCli } from "@ctct-bulk/cli";
 * process.exitCode = await runCli(process.argv.slice(2), processContext());
 * ```
 */
export function processContext(signal?: AbortSignal): CliContext {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    ...(signal ? { signal } : {}),
  };
}
