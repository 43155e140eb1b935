// Test helpers: a CliContext whose streams are strings.
import { Readable } from "node:stream";
import type { CliContext, CliWritable } from "./context.ts";

/** A writable that keeps what is written. */
export interface CapturedStream extends CliWritable {
  text: string;
}

export function captured(isTTY = false): CapturedStream {
  const stream: CapturedStream = {
    text: "",
    isTTY,
    columns: 100,
    write(chunk: string | Uint8Array) {
      stream.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    },
  };
  return stream;
}

/** A context over captured streams; stdin holds `stdin` (empty by default). */
export function testContext(
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    stdin?: string | Uint8Array;
    tty?: boolean;
  } = {},
): CliContext & { stdout: CapturedStream; stderr: CapturedStream } {
  const stdin = Readable.from(
    options.stdin === undefined ? [] : [Buffer.from(options.stdin)],
  ) as Readable & {
    isTTY?: boolean;
  };
  return {
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdin,
    stdout: captured(options.tty),
    stderr: captured(options.tty),
  };
}
