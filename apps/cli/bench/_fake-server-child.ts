// The fake server for the import benchmark, in its own process so that neither side's figures
// include it. Prints its URL and account as one JSON line, then serves until its stdin closes.
import { DEFAULT_ACCOUNT, startFakeServer } from "@ctct-bulk/fake-server";

const running = await startFakeServer({ port: 0, clock: "immediate" });
process.stdout.write(`${JSON.stringify({ url: running.url, account: DEFAULT_ACCOUNT })}\n`);
process.stdin.on("end", () => {
  void running.close().then(() => process.exit(0));
});
process.stdin.resume();
