// The writer thread of the SQLite store: it takes pushes from the main thread and stores them
// in groups. While one group commits (the fsync), the next accumulates in the message queue and
// the main thread goes on parsing and verifying requests.
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { createGroupAcceptor } from "./_sqlite-accept.ts";
import type { NewPush } from "./store.ts";

interface AcceptMessage {
  type: "accept";
  pushes: { id: number; push: NewPush }[];
}

const { path, synchronous } = workerData as { path: string; synchronous: "FULL" | "OFF" };
const db = new DatabaseSync(path);
db.exec("PRAGMA journal_mode = WAL");
db.exec(`PRAGMA synchronous = ${synchronous}`);
db.exec("PRAGMA busy_timeout = 5000");
const acceptGroup = createGroupAcceptor(db);
let pending: { id: number; push: NewPush }[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const group = pending;
  pending = [];
  if (group.length === 0) return;
  try {
    const outcomes = acceptGroup(group.map((message) => message.push));
    parentPort!.postMessage({
      type: "accepted",
      results: group.map((message, i) => [message.id, outcomes[i]]),
    });
  } catch (error) {
    parentPort!.postMessage({
      type: "failed",
      ids: group.map((message) => message.id),
      message: (error as Error).message,
    });
  }
}

parentPort!.on("message", (message: AcceptMessage | { type: "close" }) => {
  if (message.type === "accept") {
    pending.push(...message.pushes);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return;
  }
  flush();
  db.close();
  parentPort!.postMessage({ type: "closed" });
});
