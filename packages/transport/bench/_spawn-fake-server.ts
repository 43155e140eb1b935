// Starts `_fake-server-child.ts` in a process of its own (so that a benchmark's memory is the
// client's alone) and reads the URL and account it prints; closing the child's stdin stops it.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** The running fake server's child process, base URL and account. */
export interface SpawnedFakeServer {
  child: ChildProcess;
  url: string;
  account: { username: string; apiKey: string; password: string };
}

/** Starts the fake server in a child process and waits for its first line. */
export async function spawnFakeServer(): Promise<SpawnedFakeServer> {
  const child = spawn(
    process.execPath,
    [new URL("./_fake-server-child.ts", import.meta.url).pathname],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("error", reject);
  });
  return { child, ...(JSON.parse(firstLine) as Omit<SpawnedFakeServer, "child">) };
}
