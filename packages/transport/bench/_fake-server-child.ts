// The fake server for the big-import benchmark, in its own process so that the benchmark's peak
// RSS is the client's alone (the server stores every contact it receives, and loads Hono and
// xlsx). Prints its URL and account as one JSON line, then serves until its stdin closes.
import { DEFAULT_ACCOUNT, startFakeServer } from "@ctct-bulk/fake-server";

const running = await startFakeServer({ clock: "immediate" });
process.stdout.write(`${JSON.stringify({ url: running.url, account: DEFAULT_ACCOUNT })}\n`);
process.stdin.on("end", () => {
  void running.close().then(() => process.exit(0));
});
process.stdin.resume();
