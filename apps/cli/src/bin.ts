#!/usr/bin/env node
import { runCli } from "./cli.ts";
import { processContext } from "./context.ts";
import { EXIT_CODES } from "./exit-codes.ts";

// The first Ctrl-C (or SIGTERM) asks the running command to stop cleanly (an import records its
// state, a server closes); a second one leaves at once.
const controller = new AbortController();
let interrupts = 0;
const interrupt = (): void => {
  interrupts++;
  if (interrupts > 1) process.exit(EXIT_CODES.INTERRUPTED);
  controller.abort(new DOMException("Interrupted", "AbortError"));
};
process.on("SIGINT", interrupt);
process.on("SIGTERM", interrupt);
// A reader that closes the pipe (`ctct-bulk export --out - | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processContext(controller.signal));
// An interrupted import from a pipe that is still open (`tail -f … | ctct-bulk import -`) would
// otherwise keep the process waiting for input it no longer reads.
process.stdin.destroy();
