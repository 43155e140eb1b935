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

const made: string[] = [];

/** A fresh temporary directory, removed by {@linkcode removeTempDirs}. */
export async function makeTempDir(prefix: string): Promise<string> {
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every directory {@linkcode makeTempDir} made (for `afterAll`). */
export async function removeTempDirs(): Promise<void> {
  const { rm } = await import("node:fs/promises");
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
